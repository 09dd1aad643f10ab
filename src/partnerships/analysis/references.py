"""The reference list: every row of data/sources.csv, grouped by kind."""

from __future__ import annotations

import pandas as pd

from partnerships import data

KIND_ORDER = ["article", "dataset", "fact-check"]


def kind(source_id: str) -> str:
    """'article' (art_*), 'fact-check' (fc_*) or 'dataset' (everything else)."""
    if source_id.startswith("art_"):
        return "article"
    if source_id.startswith("fc_"):
        return "fact-check"
    return "dataset"


def reference_list(sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per source: kind, the tag it is cited by in tables and prose, the short
    citation printed under figures, the full reference, licence, date accessed and how
    many upstream files' checksums the project records (the checksums themselves are in
    the dataset download)."""
    s = data.sources() if sources is None else sources
    out = pd.DataFrame(
        {
            "kind": s["source_id"].map(kind),
            "tag": s["tag"] if "tag" in s else s["short"],
            "cited as": s["short"],
            "reference": [
                ". ".join(p for p in (row.producer, row.title, row.published, row.url) if p) for row in s.itertuples()
            ],
            "licence": s["licence"],
            "accessed": s["accessed"],
            "files": s["sha256"].map(lambda v: len([x for x in str(v).split(";") if x])),
        }
    )
    out["kind"] = pd.Categorical(out["kind"], KIND_ORDER, ordered=True)
    return out.sort_values(["kind", "tag"], kind="stable").reset_index(drop=True).astype({"kind": str})


def kind_counts(sources: pd.DataFrame | None = None) -> dict[str, int]:
    s = data.sources() if sources is None else sources
    counts = s["source_id"].map(kind).value_counts()
    return {k: int(counts.get(k, 0)) for k in KIND_ORDER}


def _md(text: str) -> str:
    """Text safe inside Markdown (the characters that would start emphasis, code or links escaped)."""
    import re

    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", str(text))


def reference_entries(refs: pd.DataFrame) -> str:
    """The reference list as Markdown, one entry per source: its tag in bold, the short citation
    printed under figures and tables in italics, the full
    reference, then licence, date accessed and (for datasets) how many upstream files' checksums
    the project records."""
    lines = []
    for r in refs.itertuples():
        extra = [f"licence: {r.licence}", f"accessed {r.accessed}"]
        if r.files:
            extra.append(f"{r.files} file{'s' if r.files != 1 else ''} checksummed")
        short = f", *{_md(r._3)}*" if r._3 != r.tag else ""  # the short citation under figures and tables
        lines.append(f"- **{_md(r.tag)}**{short}: {_md(r.reference)} ({_md('; '.join(extra))}).")
    return "\n".join(lines)
