"""Guards for the errors an expert read of the 25 November edition found (issue 8).

Each section names the error, tests the case on small frames or on the curated data, and
tests the *class* of mistake so that the next data update cannot bring it back. Nothing
here reads ../shared: what a test needs from the articles is committed in data/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from partnerships import data
from partnerships.analysis import metrics, profile, training

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ANALYSIS = sorted((REPO / "src" / "partnerships" / "analysis").glob("*.py"))


def notebook_sources(kind: str | None = None) -> dict[str, str]:
    """notebook file name -> the joined source of its cells (of one kind, or all)."""
    out = {}
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out[nb.name] = "\n".join("".join(c["source"]) for c in cells if kind is None or c["cell_type"] == kind)
    return out


# --------------------------------------------------------------------------- 1. planned + completed training
SENTINEL = 100_000  # students in a planned row: any output that adds planned rows shows a number this large


def us_training_two_reports() -> pd.DataFrame:
    """FY2000 given as planned by one report (sentinel numbers) and as completed by the next."""
    return pd.DataFrame(
        {
            "fiscal_year": ["1999", "1999", "2000", "2000", "2000", "2000", "2000"],
            "program": ["IMET", "APC", "IMET", "FMF", "IMET", "APC", "PKO"],
            "program_group": ["IMET", "Other", "IMET", "FMF", "IMET", "Other", "PKO"],
            "students": ["235", "7", str(SENTINEL), str(SENTINEL), "100", "15", "5"],
            "cost_usd": ["1000", "10", str(SENTINEL), str(SENTINEL), "500", "20", "5"],
            "fy_reported_as_completed": [True, True, False, False, True, True, True],
            "totals_source": ["sum_of_courses"] * 7,
            "report": ["1999_2000_1"] * 4 + ["2000_2001"] * 3,
            "source_id": ["fmtr"] * 7,
            "locator": [f"r{i}" for i in range(7)],
        }
    )


def test_us_profile_shows_completed_training_only():
    rows = profile.collect("United States", {"us_training": us_training_two_reports()})
    fy = rows.loc[rows["what"].str.startswith("FY2000"), "what"].tolist()
    assert fy == ["FY2000: 120 Mongolian students in 3 US programmes"]


def test_no_function_adds_planned_to_completed_training():
    """Every analysis function that sums US training gives the completed figure, never the sentinel."""
    us = us_training_two_reports()
    by_year = training.us_training_by_year(us)
    outputs = {
        "us_training_by_year": by_year,
        "yearly_totals": training.yearly_totals(by_year),
        "by_group": training.by_group(by_year, "students"),
        "profile.collect": profile.collect("United States", {"us_training": us})[["what"]],
    }
    value, _ = metrics.us_students_per_year(us)
    outputs["metrics.us_students_per_year"] = pd.DataFrame({"v": [value]})
    tm = metrics.training_metrics(pd.DataFrame(columns=["partner", "direction", "count", "unit"]), us)
    outputs["metrics.training_metrics"] = tm.select_dtypes("number")
    for name, df in outputs.items():
        text = df.astype(str).to_string()
        nums = [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]
        assert max(nums, default=0) < SENTINEL, f"{name} adds planned training to completed training"
    totals = training.yearly_totals(by_year).set_index("fiscal_year")["students"]
    assert totals.to_dict() == {1999: 242, 2000: 120}


def test_us_training_is_summed_only_through_the_one_selection():
    """Code that sums US training students goes through training.us_training_by_year (one place).

    Analysis modules that read the table's students call it; notebooks never index or group a frame
    loaded from the table themselves (they pass it to package functions)."""
    offenders = []
    for path in ANALYSIS:
        src = path.read_text(encoding="utf-8")
        if (
            path.name != "training.py"
            and re.search(r"us_training", src)
            and re.search(r"\[\"students\"\]|students=", src)
        ):
            if "us_training_by_year" not in src:
                offenders.append(path.name)
    for name, src in notebook_sources("code").items():
        for var in re.findall(r"(\w+)\s*=\s*data\.load\(\"us_training\"\)", src):
            if re.search(rf"\b{var}\s*(\[|\.groupby|\.pivot|\.sum)", src):
                offenders.append(f"{name} ({var})")
    assert offenders == []


# --------------------------------------------------------------------------- validation fixtures
DATA = REPO / "data"


def csv_table(name: str) -> pd.DataFrame:
    """A committed table read with plain pandas (every cell text)."""
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A data/ folder with the real sources, partners and article paragraphs, for bad-input tests."""
    import shutil

    (tmp_path / "data").mkdir()
    for name in ("sources", "partners", "article_paragraphs", "claims"):
        shutil.copy(DATA / f"{name}.csv", tmp_path / "data" / f"{name}.csv")
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(tmp_path))
    return tmp_path


def edit_csv(root: Path, name: str, row_where: dict, **changes) -> int:
    """Change cells of the first row matching ``row_where``; returns that row's editor line number."""
    import csv
    import io

    path = root / "data" / f"{name}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    i = next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in row_where.items()))
    rows[i].update(changes)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return i + 2


def problems(name: str) -> list[str]:
    from partnerships.data.validate import DataError, read_table

    with pytest.raises(DataError) as info:
        read_table(name)
    return [str(p) for p in info.value.problems]


# --------------------------------------------------------------------------- 6. verdicts need a checking source
def test_a_verdict_without_a_checking_source_is_rejected(root):
    line = edit_csv(root, "claims", {"claim_id": "forefront_14"}, checked_against="")
    assert problems("claims") == [
        f"data/claims.csv:{line}: verdict+checked_against: a verdict of supported, partly supported or contradicted "
        "needs the source it was checked against (supported, )"
    ]


@pytest.mark.parametrize("verdict", ["supported", "partly_supported", "contradicted"])
def test_every_checked_verdict_in_the_data_names_its_source(verdict):
    claims = csv_table("claims")
    rows = claims[claims["verdict"] == verdict]
    assert len(rows) > 0
    assert (rows["checked_against"].str.strip() != "").all(), rows.loc[
        rows["checked_against"] == "", "claim_id"
    ].tolist()


def test_icc_warrants_are_dated_and_the_claim_is_supported():
    claims = csv_table("claims").set_index("claim_id")
    assert claims.loc["forefront_14", "verdict"] == "supported"
    assert claims.loc["forefront_02", "verdict"] == "unverifiable"  # nothing here dates the meeting
    sources = csv_table("sources").set_index("source_id")
    checked = claims.loc["forefront_14", "checked_against"].split(";")
    assert sorted(sources.loc[checked, "published"]) == ["2023-03-17", "2024-03-05", "2024-06-24"]
    events = csv_table("events").set_index("event_id")
    shoigu = events[events["event"].str.contains("Shoigu") & (events["category"] == "legal")]
    assert shoigu["date"].tolist() == ["2024-06-24"]
    assert "Shoigu" in claims.loc["forefront_01", "note"] and "ICC" in claims.loc["forefront_01", "note"]


# --------------------------------------------------------------------------- 12. paragraph locators
from partnerships.data.importers import articles  # noqa: E402

ARTICLE_SAMPLE = """feature

Growth of something

  \u2022 1334
  \u2022 0
Growth of something

The first body paragraph has enough words to be a real paragraph of the article text here.
A second paragraph, also long enough to count as one, about around 50 students a year.
0 COMMENTS
"""


def test_body_paragraphs_skip_headline_counters_and_comment_lines():
    paras = articles.body_paragraphs(ARTICLE_SAMPLE)
    assert [line for line, _ in paras] == [6, 7]  # non-empty lines 1-5 are headline, counters, title
    assert paras[0][1].startswith("The first body paragraph")


def test_article_paragraphs_table_is_what_the_importer_makes(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE_SAMPLE, encoding="utf-8")
    df = articles.parse(f, "art_growth")["article_paragraphs"]
    assert df["para"].tolist() == [1, 2]
    assert df.loc[1, "first_words"] == "A second paragraph, also long enough to count"
    assert "around" in df.loc[1, "words"].split() and "headline" not in df.loc[1, "words"].split()


def vocab() -> dict[tuple[str, int], set[str]]:
    ap = csv_table("article_paragraphs")
    return {(s, int(p)): set(w.split()) for s, p, w in zip(ap["source_id"], ap["para"], ap["words"])}


def para_of(locator: str) -> int | None:
    m = re.match(r"para (\d+)", locator)
    return int(m.group(1)) if m else None


def quote_words(quote: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", quote.lower().replace("\u2019", "'"))


def test_quoted_words_of_claims_stand_in_the_paragraph_the_locator_names():
    """Every claim's quote (a few words of the article, verbatim) is in the body paragraph its locator names."""
    v = vocab()
    claims = csv_table("claims")
    art = claims[claims["source_id"].str.startswith("art_")]
    assert len(art) >= 50 and (art["quote"].str.strip() != "").all()
    misplaced = []
    for r in art.itertuples():
        words = v[(r.source_id, para_of(r.locator))]
        if any(w not in words for w in quote_words(r.quote)):
            misplaced.append((r.claim_id, r.locator, r.quote))
    assert misplaced == []


def test_old_line_counted_locators_would_name_the_wrong_paragraph():
    """The first edition counted non-empty lines (headline included): those locators fail the quote check."""
    v = vocab()
    offset = {"art_growth": 5, "art_forefront": 2}  # headline lines before the body
    claims = csv_table("claims")
    art = claims[claims["source_id"].str.startswith("art_")]
    wrong = 0
    for r in art.itertuples():
        words = v.get((r.source_id, para_of(r.locator) + offset[r.source_id]), set())
        wrong += any(w not in words for w in quote_words(r.quote))
    assert wrong >= 0.9 * len(art)


def test_a_quote_outside_the_named_paragraph_is_rejected_by_validation(root):
    line = edit_csv(root, "claims", {"claim_id": "growth_16"}, locator="para 9, sentence 1")
    out = problems("claims")
    assert out == [
        f"data/claims.csv:{line}: quote: not in art_growth para 9: 'every', 'around', '50', 'officers', 'go', "
        "'russia' (does the locator name the right paragraph?) (every year, around 50 students and officers go to Russia)"
    ]


def test_a_locator_beyond_the_last_body_paragraph_is_rejected(root):
    line = edit_csv(root, "claims", {"claim_id": "forefront_18"}, locator="para 17")
    assert problems("claims")[0] == (
        f"data/claims.csv:{line}: locator: art_forefront has no body paragraph 17 (it has 15; para 1 is the first "
        "paragraph of the body text, after the headline) (para 17)"
    )


def test_every_article_locator_and_mention_in_data_names_a_body_paragraph():
    """Locators of every table and mentions such as 'art_growth para 7' in any text cell."""
    have = set(vocab())
    bad = []
    for path in sorted(DATA.glob("*.csv")):
        df = csv_table(path.stem)
        if path.stem == "article_paragraphs":
            continue
        if {"source_id", "locator"} <= set(df.columns):
            for s, loc in zip(df["source_id"], df["locator"]):
                if s.startswith("art_") and loc not in ("headline", "whole article"):
                    if (s, para_of(loc)) not in have:
                        bad.append((path.name, s, loc))
        for col in df.columns:
            for cell in df[col]:
                for art, n in re.findall(r"\b(art_[a-z]+) paras? (\d+)", cell):
                    if (art, int(n)) not in have:
                        bad.append((path.name, col, cell[:60]))
    assert bad == []


def test_notebooks_and_analysis_type_no_paragraph_number():
    """Prose takes article locators from data/, never types 'para N' (the numbering changed once already)."""
    typed = {name: re.findall(r"\bparas? \d+", src) for name, src in notebook_sources().items()}
    typed.update({p.name: re.findall(r"\bparas? \d+", p.read_text(encoding="utf-8")) for p in ANALYSIS})
    assert {k: v for k, v in typed.items() if v} == {}


# --------------------------------------------------------------------------- 13. paraphrases keep tense and hedges
HEDGES = {
    "about",
    "around",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "some",
    "several",
    "probably",
    "possibly",
    "likely",
}
HEDGE_BEFORE_NUMBER = re.compile(r"\b(over|more than|fewer than|less than|up to)\s+\d", re.I)
MODALS = {"can", "could", "may", "might", "will", "would", "should", "shall"}
PERFECT = re.compile(
    r"\b(has|have|had)\s+(?:\w+\s+)?(\w+ed|been|done|made|taken|held|given|seen|gone|run|begun|grown|known)\b", re.I
)


def paraphrase_problems(quote: str, statement: str) -> list[str]:
    q, s = set(quote_words(quote)), set(quote_words(statement))
    q_hedges = (q & HEDGES) | {m.group(1).lower() for m in HEDGE_BEFORE_NUMBER.finditer(quote)}
    s_hedged = bool(s & HEDGES) or bool(HEDGE_BEFORE_NUMBER.search(statement))
    out = []
    if q_hedges and not s_hedged:
        out.append(f"drops the hedge {sorted(q_hedges)}")
    if q & MODALS and not s & (MODALS | {"plans", "intends", "aims"}):
        out.append(f"drops the modal {sorted(q & MODALS)}")
    if PERFECT.search(statement) and not PERFECT.search(quote) and not re.search(r"\b(has|have)\b", quote, re.I):
        out.append("turns the source's tense into a perfect ('has trained')")
    return out


def test_paraphrase_rules_catch_the_first_edition_error():
    assert paraphrase_problems(
        "training 300 Mongolian military personnel", "Russia has trained 300 Mongolian military personnel"
    ) == ["turns the source's tense into a perfect ('has trained')"]
    assert paraphrase_problems("around 50 students and officers go to Russia", "50 students go to Russia") == [
        "drops the hedge ['around']"
    ]
    assert paraphrase_problems("Japan will be implementing a program", "Japan runs a programme") == [
        "drops the modal ['will']"
    ]


def test_every_claim_paraphrase_keeps_the_tense_and_hedges_of_its_quote():
    claims = csv_table("claims")
    art = claims[claims["source_id"].str.startswith("art_")]
    found = {r.claim_id: paraphrase_problems(r.quote, r.statement) for r in art.itertuples()}
    assert {k: v for k, v in found.items() if v} == {}


def test_no_article_paraphrase_says_russia_has_trained_300():
    """Every article-derived text cell and every notebook keep article B's present tense."""
    cells = []
    for name in ("claims", "partner_relations", "training_flows", "conflicts", "events"):
        df = csv_table(name)
        cells += [c for col in df.columns for c in df[col]]
    cells += [nb.read_text(encoding="utf-8") for nb in NOTEBOOKS]  # sources and committed outputs
    cells += ["; ".join(profile.collect("Russia", profile.load_tables())["what"])]
    bad = re.compile(r"\b(has|have) trained 300\b|\b300\b[^.;]{0,60}\btrained\b")
    assert [m.group(0) for c in cells for m in bad.finditer(c)] == []


# --------------------------------------------------------------------------- 2. one exercise counted twice
from partnerships.analysis import exercises  # noqa: E402


def two_spellings(second_dates=("2000-09-13", ""), second_host="Kazakhstan", second_partners=None, first_host=""):
    """One exercise reported under two spellings (as MME does for Centrasbat 2000), plus an unrelated one."""
    ex = pd.DataFrame(
        {
            "exercise_id": ["centrasbat-2000", "tsentrazbat-2000", "other-2000"],
            "name": ["Centrasbat 2000", "Tsentrazbat 2000", "Other 2000"],
            "series": ["tsentrazbat", "tsentrazbat", "single"],
            "year": ["2000", "2000", "2000"],
            "start_date": ["2000-09-10", second_dates[0], "2000-09-12"],
            "end_date": ["2000-09-20", second_dates[1], "2000-09-14"],
            "host": [first_host, second_host, "Mongolia"],
            "type": ["disaster_relief", "peacekeeping", "peacekeeping"],
            "multilateral": ["true", "true", "false"],
            "source_id": ["mme", "src_b", "mme"],
            "locator": ["mme1918", "row 7", "mme9"],
        }
    )
    a = ["Azerbaijan", "Georgia", "Kyrgyzstan", "Russia", "Turkey", "United Kingdom", "United States", "Uzbekistan"]
    b = second_partners or [
        "Azerbaijan",
        "Georgia",
        "Kyrgyzstan",
        "Russia",
        "Turkey",
        "United Kingdom",
        "United States",
    ]
    rows = [("centrasbat-2000", p, "participant", "mme", "mme1918") for p in a]
    rows += [("tsentrazbat-2000", p, "participant", "src_b", "row 7") for p in b] + [
        ("tsentrazbat-2000", "Kazakhstan", "host", "src_b", "row 7")
    ]
    rows += [("other-2000", "United States", "participant", "mme", "mme9")]
    return ex, pd.DataFrame(rows, columns=["exercise_id", "partner", "role", "source_id", "locator"])


def test_one_exercise_under_two_spellings_is_one_edition_citing_both_rows():
    ex, parts = two_spellings()
    ed = exercises.editions(ex, parts).set_index("exercise_id")
    assert sorted(ed.index) == ["centrasbat-2000", "other-2000"]
    c = ed.loc["centrasbat-2000"]
    assert c["merged_ids"] == "tsentrazbat-2000" and c["sources"] == "mme;src_b"
    assert c["locators"] == "mme: mme1918; src_b: row 7"
    assert c["n_partners"] == 9 and c["type"] == "peacekeeping" and c["host"] == "Kazakhstan"


@pytest.mark.parametrize(
    "case, merged",
    [
        ({}, True),  # overlapping dates
        ({"second_dates": ("", ""), "first_host": "Kazakhstan"}, True),  # no dates: the same host decides
        ({"second_dates": ("", "")}, False),  # no dates and one host unknown
        ({"second_dates": ("2000-10-01", "2000-10-05")}, False),  # a second holding a month later
        ({"second_dates": ("", ""), "first_host": "Kyrgyzstan"}, False),  # no dates, another host
        ({"second_partners": ["China", "India", "Nepal"]}, False),  # other participants
    ],
)
def test_duplicate_rule_merges_only_the_same_holding(case, merged):
    ex, parts = two_spellings(**case)
    assert (len(exercises.duplicates(ex, parts)) == 1) is merged


def test_metrics_and_profiles_count_a_merged_edition_once():
    ex, parts = two_spellings()
    m = metrics.exercise_metrics(ex, parts)
    assert m.loc["Russia", "exercise_editions"] == 1 and m.loc["United States", "exercise_editions"] == 2
    rows = profile.collect("Russia", {"exercises": ex, "exercise_participants": parts})
    assert rows.loc[rows["dimension"] == "exercises", "what"].tolist() == ["Centrasbat 2000"]


def readme_merges() -> list[tuple[str, str, int]]:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    block = text[text.index("<!-- merged editions") :]
    rows = []
    for line in block.splitlines()[3:]:
        if not line.startswith("| `"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append(
            (re.search(r"`([^`]+)`", cells[0]).group(1), re.search(r"`([^`]+)`", cells[1]).group(1), int(cells[2]))
        )
    return rows


def test_the_data_readme_lists_every_merge_the_data_make():
    found = exercises.duplicates(data.load("exercises"), data.load("exercise_participants"))
    assert [(r.kept, r.merged, r.year) for r in found.itertuples()] == readme_merges()
    assert ("centrasbat-2000", "tsentrazbat-central-asian-peacekeeping-battalion-2000", 2000) in readme_merges()


def test_dated_editions_recomputed_with_plain_pandas():
    """Dated exercise ids minus the ids the README lists as merged = the editions the report counts."""
    ex = csv_table("exercises")
    dated = set(ex.loc[ex["year"] != "", "exercise_id"])
    merged = {m for _, m, _ in readme_merges()}
    ed = exercises.editions(data.load("exercises"), data.load("exercise_participants"))
    assert len(ed) == len(dated - merged) == 29
    parts = csv_table("exercise_participants")
    alias = {m: k for k, m, _ in readme_merges()}
    per = parts[parts["exercise_id"].isin(dated)].assign(e=lambda d: d["exercise_id"].map(lambda x: alias.get(x, x)))
    per = per.drop_duplicates(["e", "partner"]).groupby("partner")["e"].count()
    m = metrics.partner_metrics()
    for partner in ("United States", "Russia", "China"):
        assert m.loc[partner, "exercise_editions"] == per[partner], partner


# --------------------------------------------------------------------------- 11. one definition each
def test_multinational_is_more_than_one_foreign_partner_everywhere():
    ed = exercises.editions(data.load("exercises"), data.load("exercise_participants"))
    parts = csv_table("exercise_participants")
    alias = {m: k for k, m, _ in readme_merges()}
    parts = parts.assign(e=parts["exercise_id"].map(lambda x: alias.get(x, x)))
    foreign = parts[parts["partner"] != "Mongolia"]
    # a US training report names the US (the training country) for every edition: that alone lists no participants
    own = (foreign["source_id"] == "fmtr") & (foreign["partner"] == "United States")
    listed = set(foreign.loc[~own, "e"])
    n = foreign[foreign["e"].isin(listed)].groupby("e")["partner"].nunique()
    expected = round(100 * (n.reindex(ed["exercise_id"]).dropna() > 1).mean())
    assert round(exercises.multinational_share(ed)) == expected
    kq14 = ed.set_index("exercise_id").loc["khaan-quest-2014"]
    assert pd.isna(kq14["n_partners"]) and pd.isna(kq14["multinational"]) and kq14["partners"] == "United States"
    t = exercises.type_counts(ed)
    assert int(t["multinational"].sum()) == int((n.reindex(ed["exercise_id"]) > 1).sum())


def test_no_analysis_code_counts_with_the_sources_multilateral_coding():
    """Exercise counts use the computed 'multinational', never the exercises table's own 'multilateral' coding
    (an alliance spell's 'multilateral', the kind of treaty, is another column of another table)."""
    rx = re.compile(r"""\b(ed|ex|exs|exercises|editions\([^)]*\))\s*\[["']multilateral["']\]""")
    used = [p.name for p in ANALYSIS if rx.search(p.read_text(encoding="utf-8"))]
    used += [n for n, src in notebook_sources("code").items() if rx.search(src)]
    assert used == []
    assert rx.search('multi_share = ed["multilateral"].mean() * 100')  # the first edition's line


def test_bilateral_editions_and_series_editions_agree_for_russia():
    m = metrics.partner_metrics()
    ed = exercises.editions(data.load("exercises"), data.load("exercise_participants"))
    selenga = ed[ed["series"] == "selenga"]
    russia_only = ed[ed["partners"] == "Russia"]
    assert m.loc["Russia", "bilateral_exercise_editions"] == len(russia_only) == len(selenga) == 6


def test_longest_running_series_is_computed():
    ed = exercises.editions(data.load("exercises"), data.load("exercise_participants"))
    ex = csv_table("exercises")
    named = ex[(ex["year"] != "") & ~ex["series"].isin(["single", "other"])].assign(y=lambda d: d["year"].astype(int))
    span = named.groupby("series")["y"].agg(lambda y: y.max() - y.min())
    assert exercises.longest_running(ed)["series"] == span.idxmax() == "selenga"
    src = notebook_sources("code")["05-exercises.ipynb"]
    assert "longest_running(ed)" in src and not re.search(r"\{kq_label\} is the longest", src)


def test_one_series_label_table():
    """Series labels come from data/exercise_series.csv only: no label dict or title-casing of ids elsewhere."""
    offenders = [
        p.name
        for p in ANALYSIS
        if re.search(
            r"SERIES_LABELS\s*=|series\W+\.str\.replace\(\"_\", \" \"\)\.str\.title", p.read_text(encoding="utf-8")
        )
    ]
    offenders += [n for n, s in notebook_sources("code").items() if re.search(r"\.str\.title\(\)", s)]
    assert offenders == []
    labels = csv_table("exercise_series").set_index("series")
    assert exercises.series_label("selenga") == labels.loc["selenga", "label"]
    from partnerships.analysis import timeline

    assert timeline.series_label("selenga") == labels.loc["selenga", "short"]
    assert set(csv_table("exercises")["series"]) <= set(labels.index)


def test_private_number_helpers_are_gone():
    for name in ("metrics.py", "profile.py", "timeline.py"):
        src = (REPO / "src" / "partnerships" / "analysis" / name).read_text(encoding="utf-8")
        assert "def _num(" not in src, name


# --------------------------------------------------------------------------- 7. the Soviet withdrawal, a span; unverified article claims marked
from partnerships.analysis import timeline  # noqa: E402


def withdrawal_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["soviet_withdrawal", "us_english_training_1991", "putin_visit_2019"],
            "date": ["1987", "1991", "2019"],
            "end_date": ["1992", "", ""],
            "precision": ["year"] * 3,
            "year": ["1987", "1991", "2019"],
            "event": ["Soviet forces withdraw", "US English training", "Putin visit"],
            "partner": ["Soviet Union", "United States", "Russia"],
            "category": ["withdrawal", "training", "visit"],
            "status": ["confirmed", "as_reported", "as_reported"],
            "source_id": ["fc_loc_mongolia_1991", "art_growth", "fc_tass"],
            "locator": ["ch. 5", "para 6, sentence 1", "r"],
        }
    )


def test_withdrawal_is_a_span_that_starts_the_first_era():
    ev = withdrawal_events()
    ms = timeline.milestones(ev, start_year=1990, end_year=2025)
    w = ms[ms["milestone"] == "Soviet forces withdraw"].iloc[0]
    assert (w["year"], w["year_to"], w["date"]) == (1987, 1992, "1987–1992")  # kept although it starts before 1990
    era = {e.key: e for e in timeline.eras(events=ev)}["collapse"]
    assert era.start == 1987 and era.source_ids == ("fc_loc_mongolia_1991",)


def test_only_article_claims_are_marked_unverified_on_the_timeline():
    ms = timeline.milestones(withdrawal_events(), start_year=1980, end_year=2025).set_index("date")
    assert ms.loc["1991", "unverified"] and ms.loc["1991", "label"].endswith("(unverified)")
    assert ms.loc["1991", "milestone"] == "US English training (article claim, unverified)"
    assert not ms.loc["2019", "unverified"]  # one source, but not an article claim
    assert not ms.loc["1987–1992", "unverified"]


def test_real_timeline_starts_the_withdrawal_in_1987_and_types_no_era_year():
    ev = csv_table("events").set_index("event_id")
    assert (ev.loc["soviet_withdrawal", "date"], ev.loc["soviet_withdrawal", "end_date"]) == ("1987", "1992")
    assert ev.loc["soviet_withdrawal", "status"] == "confirmed" and not ev.loc[
        "soviet_withdrawal", "source_id"
    ].startswith("art_")
    claims = csv_table("claims").set_index("claim_id")
    assert claims.loc["growth_01", "verdict"] == "partly_supported"
    era = {e.key: e for e in timeline.eras(events=data.load("events"))}["collapse"]
    assert era.start == 1987
    # the study of 1991 (research completed 1989) dates only the start; the completion has its own source
    assert ev.loc["soviet_withdrawal", "source_id"] == "fc_loc_mongolia_1991"
    assert ev.loc["soviet_withdrawal", "end_source_id"] not in ("", "fc_loc_mongolia_1991")


def test_a_span_dated_by_two_sources_cites_each_for_its_end():
    ev = withdrawal_events()
    ev["end_source_id"] = ["fc_state_mongolia_bgn", "", ""]
    ev["end_locator"] = ["completion", "", ""]
    ms = timeline.milestones(ev, start_year=1980, end_year=2025).set_index("date")
    w = ms.loc["1987–1992"]
    assert w["source_id"] == "fc_loc_mongolia_1991; fc_state_mongolia_bgn"
    assert w["locator"] == "fc_loc_mongolia_1991: start, ch. 5; fc_state_mongolia_bgn: end, completion"
    assert ms.loc["2019", "source_id"] == "fc_tass" and ms.loc["2019", "locator"] == "r"
    from partnerships.analysis import registers

    assert registers.cite_places(w["source_id"], w["locator"]) == "LoC 1991 start, ch. 5; US State Dept end, completion"


# --------------------------------------------------------------------------- 3. ATOP: multilateral treaties are memberships, not bilateral facts
from partnerships.analysis import alliances as atop  # noqa: E402

PROFILED = ["France", "Germany", "India", "Japan", "South Korea", "Turkey", "United States", "Russia", "China"]


def test_every_alliance_spell_names_its_treaty_with_a_citation():
    al = csv_table("alliances")
    assert (al["treaty"].str.strip() != "").all() and (al["treaty_source_id"].str.strip() != "").all()
    sources = set(csv_table("sources")["source_id"])
    assert set(al["treaty_source_id"]) <= sources
    # 17 pairs start in 2005 (Mongolia's accession to the ASEAN TAC), 49 in 2012: all multilateral
    by_start = al.groupby("year_from")["multilateral"].agg(lambda m: (m == "true").sum())
    assert by_start["2005"] == 17 and by_start["2012"] == 49
    assert set(al.loc[al["year_from"] == "2005", "treaty"]) == {
        "Treaty of Amity and Cooperation in Southeast Asia (ASEAN TAC)"
    }
    us, tr = al.set_index("partner").loc["United States"], al.set_index("partner").loc["Turkey"]
    assert (us["year_from"], us["multilateral"], tr["year_from"], tr["multilateral"]) == (
        "2009",
        "true",
        "2010",
        "true",
    )


def test_no_multilateral_spell_is_shown_as_a_bilateral_fact_in_any_profile():
    """For every partner: the profile's rows hold bilateral treaties only; memberships are listed apart."""
    tables = profile.load_tables()
    al = csv_table("alliances")
    for partner in sorted(set(al["partner"])):
        rows = profile.collect(partner, tables)
        treaty_rows = rows[rows["dimension"] == "alliances"]
        multi = al[(al["partner"] == partner) & (al["multilateral"] == "true")]
        for t in multi["treaty"]:
            assert not treaty_rows["what"].str.contains(t, regex=False).any(), (partner, t)
        assert not treaty_rows["what"].str.contains("multilateral|Membership").any(), partner
        assert len(profile.memberships(partner, tables)) == len(multi)
    japan = profile.collect("Japan", tables)
    assert japan[japan["dimension"] == "alliances"].empty
    assert "Bilateral treaties (ATOP)" in profile.missing(japan)


def test_open_ended_spells_read_in_force_at_the_end_of_the_data():
    al = data.load("alliances")
    end = atop.data_end(al)
    assert end == int(csv_table("alliances")["year_to"].astype(int).max()) == 2018
    texts = [atop.describe(r, end) for r in al.to_dict("records")]
    assert not any(re.search(rf"\d{{4}}[–-]{end}\b", t) for t in texts)
    open_ended = [t for t, y in zip(texts, al["year_to"]) if int(y) == end]
    assert open_ended and all(f"in force at the end of the data ({end})" in t for t in open_ended)


def test_profiles_and_index_chapter_never_type_a_pact_with_the_data_end_year():
    """The first edition wrote 'non-aggression pact in force 2005-2018'; no notebook output may say so again."""
    for nb in NOTEBOOKS:
        text = nb.read_text(encoding="utf-8")
        assert not re.search(r"non-aggression pacts?\b[^.]{0,40}\b20\d\d[–-]2018", text), nb.name
        assert "only non-aggression pacts, with" not in text, nb.name


# --------------------------------------------------------------------------- 5. no typed chapter, figure or table numbers
TYPED_NUMBER = re.compile(r"\b(chapters?|figures?|figs?\.|tables?)\s+\d+\b", re.I)


def test_no_notebook_types_a_chapter_figure_or_table_number():
    found = {name: TYPED_NUMBER.findall(src) for name, src in notebook_sources().items()}
    found.update({p.name: TYPED_NUMBER.findall(p.read_text(encoding="utf-8")) for p in ANALYSIS})
    assert {k: v for k, v in found.items() if v} == {}


def test_the_typed_number_check_catches_the_first_edition_note():
    assert TYPED_NUMBER.findall(
        "From the project's conflict register (data/conflicts.csv); chapter 10 lists every conflict."
    )
    assert TYPED_NUMBER.findall("as Figure 3 shows") and TYPED_NUMBER.findall("see table 12")


def test_chapters_named_in_prose_exist():
    """A chapter referred to by name ('the chapter “Sources and discrepancies”') is the H1 of a notebook."""
    titles = set()
    for nb in NOTEBOOKS:
        first = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for c in first:
            m = re.match(r"#\s+(.+)", "".join(c["source"])) if c["cell_type"] == "markdown" else None
            if m:
                titles.add(m.group(1).strip())
                break
    named = [t for src in notebook_sources().values() for t in re.findall(r"the chapter “([^”]+)”", src)]
    assert set(named) <= titles, set(named) - titles
    # chapters referred to by label (@ch-x, written "Chapter N" by the build) are labelled H1s
    labels = {m for src in notebook_sources().values() for m in re.findall(r"^#\s.*\{#(ch-[a-z0-9-]+)\}", src, re.M)}
    refs = [r for src in notebook_sources().values() for r in re.findall(r"@(ch-[a-z0-9-]+)", src)]
    assert (named or refs) and set(refs) <= labels, set(refs) - labels


# --------------------------------------------------------------------------- 4. what each personnel series counts
def test_personnel_definitions_are_stated_once_and_used():
    from partnerships.analysis import spending

    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for measure, words in spending.PERSONNEL_DEFINITIONS.items():
        assert f"`{measure}`: {words}" in readme, measure  # the data dictionary says the same
    text = (REPO / "notebooks" / "07-spending-forces-equipment.ipynb").read_text(encoding="utf-8")
    assert "Neither says whether it counts" not in text
    assert "spending.PERSONNEL_DEFINITIONS" in notebook_sources("code")["07-spending-forces-equipment.ipynb"]
    for words in spending.PERSONNEL_DEFINITIONS.values():
        assert words in text  # the committed output states it


# --------------------------------------------------------------------------- 8./9. the sources chapter
from partnerships.analysis import sources_report as sr  # noqa: E402


def test_a_copy_that_stops_is_not_read_as_no_activity():
    tables = {
        "arms_tiv_by_year": pd.DataFrame({"supplier": ["Russia"], "year": [2019], "source_id": ["sipri_tiv_360info"]}),
        "arms_transfers": pd.DataFrame(
            {"delivery_years": ["2019; 2021", "2022"], "source_id": ["sipri_trade_register"] * 2}
        ),
    }
    gaps_ = pd.DataFrame(
        {
            "table": ["arms_tiv_by_year", "agreements"],
            "dataset": ["sipri_tiv_360info", "dcad"],
            "last": [2019, 2008],
            "stated coverage to": ["2021", "2010"],
        }
    )
    assert sr.short_coverage_text(gaps_, tables) == [
        "sipri_tiv_360info: last row 2019, stated coverage to 2021: it is the copy that stops, since sipri_trade_register "
        "records deliveries to Mongolia in 2021 and 2022",
        "dcad: last row 2008, stated coverage to 2010: no other source here fills those years, so Mongolia most likely has no row in them",
    ]
    text = (REPO / "notebooks" / "10-sources-discrepancies.ipynb").read_text(encoding="utf-8")
    assert "Mongolia simply has no row" not in text


def test_a_source_used_through_a_data_file_is_not_called_uncited():
    contrib = pd.DataFrame({"table": ["x"], "column": ["source_id"], "source_id": ["ipi_pk"], "rows": [3]})
    sources = pd.DataFrame({"source_id": ["ipi_pk", "world_atlas", "nobody"]})
    assert sr.uncited(contrib, sources) == ["nobody"]
    assert sr.file_only_sources(contrib) == {"world_atlas": "the country shapes of the maps"}
    # every data file that is not a table is declared with its source
    files = {str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file() and p.suffix not in (".csv", ".md")}
    assert files == set(sr.DATA_FILES)
    text = (REPO / "notebooks" / "10-sources-discrepancies.ipynb").read_text(encoding="utf-8")
    assert "cited by no row: world_atlas" not in text


# --------------------------------------------------------------------------- 10. Sierra Leone
def test_sierra_leone_is_resolved_with_the_resolution_and_a_confidence():
    conflicts = csv_table("conflicts").set_index("conflict_id")
    c12 = conflicts.loc["c12"]
    assert c12["status"] == "resolved" and c12["confidence"] == "moderate"
    assert "fc_unsc_res_1626" in c12["source_b"].split(";")
    sources = csv_table("sources").set_index("source_id")
    assert sources.loc["fc_unsc_res_1626", "published"] == "2005-09-19"
    pk = csv_table("pk_monthly")
    first = pk[pk["troops"].astype(int) > 0].iloc[0]
    assert (first["date"][:7], int(first["troops"])) == ("2006-02", 250)  # exactly the 250 the resolution authorised
    dep = csv_table("deployments").set_index("country").loc["Sierra Leone"]
    assert dep["framework"] == "UN" and dep["start_year"] == first["date"][:4]
    claims = csv_table("claims").set_index("claim_id")
    assert (
        # probable, not confirmed: not "supported" (the conflict register's moderate confidence)
        claims.loc["growth_07", "verdict"] == "partly_supported"
        and "fc_unsc_res_1626" in claims.loc["growth_07", "checked_against"]
    )


def test_every_resolved_conflict_states_its_confidence(root):
    line = edit_csv(root, "claims", {"claim_id": "growth_01"})  # unchanged: just the line number helper
    import shutil

    shutil.copy(DATA / "conflicts.csv", root / "data" / "conflicts.csv")
    cline = edit_csv(root, "conflicts", {"conflict_id": "c12"}, confidence="")
    assert problems("conflicts") == [
        f"data/conflicts.csv:{cline}: status+confidence: a resolved conflict states its confidence (high, moderate or low) (resolved, )"
    ]
    assert line == 2


def test_data_readme_counts_of_alliance_spells_match_the_table():
    al = csv_table("alliances")
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    n_multi = int((al["multilateral"] == "true").sum())
    assert f"Of the {len(al)} spells, {n_multi} are memberships of multilateral treaties" in readme
