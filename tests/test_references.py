import pandas as pd

from partnerships.analysis import references


def sample():
    return pd.DataFrame(
        {
            "source_id": ["fc_x", "sipri", "art_a"],
            "short": ["Check X", "SIPRI (2025)", "Article “Growth”"],
            "tag": ["Check X", "SIPRI", "Article A"],
            "producer": ["Court", "SIPRI", "News"],
            "title": ["Finding", "Milex", "Growth"],
            "published": ["2024-10-24", "2025", ""],
            "url": ["https://example.org/x", "", ""],
            "licence": ["n/a", "SIPRI terms", "not stated"],
            "accessed": ["2026-11-22"] * 3,
            "sha256": ["", "a" * 64 + ";" + "b" * 64, ""],
        }
    )


def test_kinds_and_order():
    refs = references.reference_list(sample())
    assert list(refs["kind"]) == ["article", "dataset", "fact-check"]
    assert refs.loc[1, "files"] == 2 and refs.loc[0, "files"] == 0
    assert list(refs["tag"]) == ["Article A", "SIPRI", "Check X"]
    assert refs.loc[2, "reference"] == "Court. Finding. 2024-10-24. https://example.org/x"
    assert references.kind_counts(sample()) == {"article": 1, "dataset": 1, "fact-check": 1}


def test_every_source_has_a_unique_tag():
    """A table cell cites a source by its tag; two sources never share one, and a tag is never an id."""
    from partnerships import data

    s = data.sources()
    assert s["tag"].str.strip().ne("").all()
    assert not s["tag"].duplicated().any(), s.loc[s["tag"].duplicated(), "tag"].tolist()
    assert not (s["tag"] == s["source_id"]).any()
    assert data.tags("mme;art_growth") == "Article A; MME"


def test_reference_entries_are_one_markdown_item_per_source():
    refs = references.reference_list(sample())
    text = references.reference_entries(refs)
    lines = text.splitlines()
    assert len(lines) == 3 and all(x.startswith("- **") for x in lines)
    assert lines[1].startswith("- **SIPRI**, *SIPRI (2025)*: SIPRI. Milex. 2025 (")
    assert "2 files checksummed" in lines[1] and "checksummed" not in lines[2]
