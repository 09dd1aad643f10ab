"""The validation layer: one test per kind of bad input, each asserting the exact file, row and column.

Each test builds a small data/ folder in tmp_path (PARTNERSHIPS_ROOT points there), with
copies of the repository's sources.csv and partners.csv for the foreign keys.
Row numbers are editor line numbers: header = line 1, first data row = line 2.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from partnerships.data import cli_validate, schemas, validate
from partnerships.data.validate import DataError, Problem, read_table, validate_all

REPO = Path(__file__).resolve().parents[1]
HEADER = "partner,direction,trainees,count,qualifier,unit,period,source_id,locator,note"
GOOD = "Russia,mongolians_abroad,officers,50,about,per_year,yearly,art_growth,para 9,"
OTHER = "China,mongolians_abroad,officers,100,over,per_year,yearly,art_growth,para 10,"


@pytest.fixture
def root(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    for name in ("sources", "partners"):
        shutil.copy(REPO / "data" / f"{name}.csv", tmp_path / "data" / f"{name}.csv")
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(tmp_path))
    return tmp_path


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / "data" / f"{name}.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def problems_of(name: str) -> list[str]:
    with pytest.raises(DataError) as info:
        read_table(name)
    assert str(info.value) == "\n".join(str(p) for p in info.value.problems[: validate.MAX_IN_MESSAGE])
    return [str(p) for p in info.value.problems]


def flows(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


# --------------------------------------------------------------------- good input


def test_good_table_reads_with_types(root):
    write(root, "training_flows", flows(GOOD, OTHER))
    df = read_table("training_flows")
    assert list(df.columns) == HEADER.split(",")
    assert df["count"].tolist() == [50, 100]
    assert str(df["count"].dtype) == "Int64"
    assert df.loc[0, "note"] == ""


def test_empty_optional_number_is_missing_not_zero(root):
    write(root, "training_flows", flows(GOOD.replace(",50,", ",,")))
    df = read_table("training_flows")
    assert df["count"].isna().tolist() == [True]


def test_crlf_line_endings_are_accepted(root):
    write(root, "training_flows", flows(GOOD, OTHER.replace(",para 10,", ",para 10,last")).replace("\n", "\r\n"))
    df = read_table("training_flows")
    assert df["note"].tolist() == ["", "last"]  # no stray \r in the last column


def test_utf8_bom_is_accepted(root):
    write(root, "training_flows", b"\xef\xbb\xbf" + flows(GOOD).encode("utf-8"))
    df = read_table("training_flows")
    assert list(df.columns)[0] == "partner"
    assert df.loc[0, "partner"] == "Russia"


def test_html_in_a_cell_is_valid_data(root):
    write(root, "training_flows", flows(GOOD + "<script>alert(1)</script>"))
    df = read_table("training_flows")
    assert df.loc[0, "note"] == "<script>alert(1)</script>"


def test_row_numbers_count_lines_of_multiline_cells(root):
    multiline = GOOD + '"first line\nsecond line"'
    bad = OTHER.replace(",100,", ",-1,")
    write(root, "training_flows", flows(multiline, bad))
    # header = 1, the quoted note spans lines 2-3, so the bad row starts on line 4
    assert problems_of("training_flows") == [
        "data/training_flows.csv:4: count: negative (must be 0 or more) (-1)",
    ]


def test_blank_lines_are_skipped_but_counted(root):
    write(root, "training_flows", HEADER + "\n" + GOOD + "\n\n" + OTHER.replace(",100,", ",x,") + "\n")
    assert problems_of("training_flows") == ["data/training_flows.csv:4: count: not a whole number (x)"]


# --------------------------------------------------------------------- file-level problems


def test_missing_file(root):
    with pytest.raises(DataError, match=r"^data/training_flows\.csv: file not found$"):
        read_table("training_flows")
    found = [str(p) for p in validate_all(use_cache=False)]
    assert "data/training_flows.csv: file not found" in found
    assert "data/sources.csv: file not found" not in found


def test_empty_file(root):
    write(root, "training_flows", "")
    assert problems_of("training_flows") == [
        "data/training_flows.csv: empty file (expected a header line with the column names)"
    ]


def test_header_only_file(root):
    write(root, "training_flows", HEADER + "\n")
    assert problems_of("training_flows") == ["data/training_flows.csv: no data rows (the file has only a header)"]


def test_non_utf8_file_names_row_column_and_byte(root):
    text = flows(GOOD, OTHER + "Caf\xe9")
    raw = text.encode("latin-1")
    write(root, "training_flows", raw)
    offset = raw.index(b"\xe9")
    assert problems_of("training_flows") == [
        f"data/training_flows.csv:3: note: not valid UTF-8: byte 0xE9 at byte offset {offset}; "
        "save the file as UTF-8 (Caf\ufffd)"
    ]


def test_stray_delimiter_names_the_row(root):
    write(root, "training_flows", flows(GOOD, OTHER.replace("officers", "officers,cadets")))
    assert problems_of("training_flows") == [
        "data/training_flows.csv:3: row has 11 fields, the header has 10 "
        "(a stray delimiter, or a value with a comma that is not in quotes?) "
        "(China,mongolians_abroad,officers,cadets,100,over,per_year,yearly,art_growth,para 10,)"
    ]


def test_missing_field(root):
    write(root, "training_flows", flows(GOOD.rsplit(",", 1)[0]))
    assert problems_of("training_flows")[0].startswith(
        "data/training_flows.csv:2: row has 9 fields, the header has 10 (a missing delimiter?)"
    )


# --------------------------------------------------------------------- header problems


def test_missing_column(root):
    header = HEADER.replace(",unit", "")
    row = GOOD.replace(",per_year", "")
    write(root, "training_flows", header + "\n" + row + "\n")
    assert problems_of("training_flows") == [
        "data/training_flows.csv:1: unit: missing column; expected columns: " + HEADER.replace(",", ", ")
    ]


def test_unknown_column(root):
    write(root, "training_flows", HEADER + ",remarks\n" + GOOD + ",x\n")
    assert problems_of("training_flows") == ["data/training_flows.csv:1: remarks: unknown column ('remarks')"]


def test_misspelt_column_gets_a_hint(root):
    write(root, "training_flows", HEADER.replace("qualifier", "qualifer") + "\n" + GOOD + "\n")
    found = problems_of("training_flows")
    assert "data/training_flows.csv:1: qualifer: unknown column (did you mean 'qualifier'?) ('qualifer')" in found
    assert any(p.startswith("data/training_flows.csv:1: qualifier: missing column") for p in found)


# --------------------------------------------------------------------- cell problems


def test_wrong_type(root):
    write(root, "training_flows", flows(GOOD, OTHER.replace(",100,", ",fifty,")))
    assert problems_of("training_flows") == ["data/training_flows.csv:3: count: not a whole number (fifty)"]


def test_bad_year(root):
    header = "year,question,response,share_pct,source_id,locator,note"
    write(
        root, "opinion", f"{header}\n2024,q,Russia,69,art_forefront,para 12,\n1850,q,China,10,art_forefront,para 12,\n"
    )
    assert problems_of("opinion") == ["data/opinion.csv:3: year: outside the range 1900-2100 (1850)"]


def test_share_above_100_percent(root):
    header = "year,question,response,share_pct,source_id,locator,note"
    write(root, "opinion", f"{header}\n2024,q,Russia,690,art_forefront,para 12,\n")
    assert problems_of("opinion") == ["data/opinion.csv:2: share_pct: outside the range 0-100 (690)"]


def test_negative_count(root):
    write(root, "training_flows", flows(GOOD.replace(",50,", ",-5,")))
    assert problems_of("training_flows") == ["data/training_flows.csv:2: count: negative (must be 0 or more) (-5)"]


def test_value_not_allowed(root):
    write(root, "training_flows", flows(GOOD.replace("per_year", "weekly")))
    assert problems_of("training_flows") == [
        "data/training_flows.csv:2: unit: not one of the allowed values: per_year, total, unknown (weekly)"
    ]


def test_required_value_empty(root):
    write(root, "training_flows", flows(GOOD.replace(",para 9,", ",,")))
    assert problems_of("training_flows") == [
        "data/training_flows.csv:2: locator: is empty (a value is required) (empty)"
    ]


def test_bad_date(root):
    header = "event_id,date,end_date,precision,year,event,partner,category,status,source_id,locator,end_source_id,end_locator,note"
    write(root, "events", f"{header}\ne1,2024-13-03,,day,2024,visit,Russia,visit,confirmed,art_forefront,para 4,,,\n")
    assert problems_of("events") == [
        "data/events.csv:2: date: not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY) (2024-13-03)"
    ]


def test_duplicate_key(root):
    write(root, "training_flows", flows(GOOD, OTHER, GOOD))
    assert problems_of("training_flows") == [
        "data/training_flows.csv:4: partner+direction+trainees+source_id+locator: duplicate key: "
        "same as row 2 (Russia, mongolians_abroad, officers, art_growth, para 9)"
    ]


def test_unknown_source_id(root):
    write(root, "training_flows", flows(GOOD.replace("art_growth", "art_grow")))
    assert problems_of("training_flows") == [
        "data/training_flows.csv:2: source_id: not found in data/sources.csv column source_id "
        "(did you mean 'art_growth'?) (art_grow)"
    ]


def test_unknown_partner(root):
    write(root, "training_flows", flows(OTHER, GOOD.replace("Russia", "Atlantis")))
    assert problems_of("training_flows") == [
        "data/training_flows.csv:3: partner: not found in data/partners.csv column partner (Atlantis)"
    ]


def test_unknown_id_in_a_list_column(root):
    header = "partner,iso3,historical,named_in,profile,source_id,locator,note"
    write(root, "partners", f"{header}\nRussia,RUS,false,art_growth;art_nowhere,true,art_growth,para 8,\n")
    assert problems_of("partners") == [
        "data/partners.csv:2: named_in: not found in data/sources.csv column source_id (art_nowhere)"
    ]


def test_several_problems_all_reported_in_row_order(root):
    write(root, "training_flows", flows(GOOD.replace(",50,", ",-1,"), OTHER.replace("over", "lots")))
    assert problems_of("training_flows") == [
        "data/training_flows.csv:2: count: negative (must be 0 or more) (-1)",
        "data/training_flows.csv:3: qualifier: not one of the allowed values: "
        "about, over, nearly, exactly, several, some (lots)",
    ]


# --------------------------------------------------------------------- validate_all, CLI, cache


def test_csv_without_schema_is_a_problem(root):
    write(root, "mystery", "a,b\n1,2\n")
    found = [str(p) for p in validate_all(use_cache=False)]
    assert "data/mystery.csv: no schema for this table (add src/partnerships/data/schemas/mystery.py)" in found


def test_problem_format():
    assert str(Problem("data/x.csv", 7, "year", "outside the range 1900-2100", "1850")) == (
        "data/x.csv:7: year: outside the range 1900-2100 (1850)"
    )
    assert str(Problem("data/x.csv", None, None, "file not found")) == "data/x.csv: file not found"


def test_cache_notices_an_edited_file(root):
    path = write(root, "training_flows", flows(GOOD))
    first = [str(p) for p in validate_all()]
    assert not any(p.startswith("data/training_flows.csv") for p in first)
    assert (root / "build" / "validate-cache.json").exists()
    path.write_text(flows(GOOD.replace(",50,", ",-50,")), encoding="utf-8")
    import os

    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    second = [str(p) for p in validate_all()]
    assert "data/training_flows.csv:2: count: negative (must be 0 or more) (-50)" in second


@pytest.mark.parametrize("where", ["the table", "a table its keys point to"])
def test_cache_keys_on_content_not_time_or_size(root, where):
    """cp -p, rsync -a and tar keep mtimes: an edit of the same size with the old mtime is still seen."""
    path = write(root, "training_flows", flows(GOOD))
    assert not any("training_flows" in str(p) for p in validate_all())
    target = path if where == "the table" else root / "data" / "sources.csv"
    st = target.stat()
    old, new = (",50,", ",-5,") if where == "the table" else ("art_growth,", "zzzzzzzzzz,")
    text = target.read_text(encoding="utf-8")
    assert old in text and len(old) == len(new)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert target.stat().st_size == st.st_size and target.stat().st_mtime_ns == st.st_mtime_ns
    found = [str(p) for p in validate_all()]
    if where == "the table":
        assert "data/training_flows.csv:2: count: negative (must be 0 or more) (-5)" in found
    else:
        assert (
            "data/training_flows.csv:2: source_id: not found in data/sources.csv column source_id (art_growth)" in found
        ), [f for f in found if "training" in f or "sources" in f]


def test_every_reader_reads_a_csv_alike(root):
    """One CSV reader: a byte-order mark, Windows line endings and a blank line mean the same
    to validation, the manifest (foreach, choices), the country tables and the importers."""
    import csv as csv_module

    import pandas as pd

    from partnerships.data import countries
    from partnerships.data.importers import _common
    from partnerships.engine import params

    for name in ("partners", "country_aliases"):
        lines = (REPO / "data" / f"{name}.csv").read_bytes().split(b"\n")
        (root / "data" / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines[:3] + [b""] + lines[3:]))
    with open(REPO / "data" / "partners.csv", encoding="utf-8", newline="") as fh:
        expected = [r["partner"] for r in csv_module.DictReader(fh)]
    assert list(read_table("partners", validate=False)["partner"]) == expected
    assert params.read_column("partners", "partner") == expected
    profiled = params.read_column("partners", "partner", where="profile")
    assert (
        profiled
        == [
            r["partner"]
            for r in csv_module.DictReader(open(REPO / "data" / "partners.csv", encoding="utf-8"))
            if r["profile"] == "true"
        ]
        and len(profiled) > 3
    )
    assert [r["partner"] for r in countries._read_csv("partners.csv")] == expected
    countries._aliases.cache_clear()
    assert countries.canonical("Russian Federation") == "Russia"  # the alias table read with its BOM
    header = next(csv_module.reader(open(REPO / "data" / "partners.csv", encoding="utf-8")))
    _common.save("partners", pd.DataFrame(columns=header), key=["partner"], source_ids={"no_such_source"})
    rewritten = (root / "data" / "partners.csv").read_text(encoding="utf-8")
    assert rewritten.splitlines()[0] == ",".join(header)  # no byte-order mark glued to the first column
    assert [r["partner"] for r in csv_module.DictReader(rewritten.splitlines())] == sorted(expected, key=str.lower)


def test_one_validation_cache(root):
    """validate and build share build/validate-cache.json; nothing else caches validation."""
    write(root, "training_flows", flows(GOOD))
    validate_all()
    assert sorted(p.name for p in (root / "build").rglob("*") if p.is_file()) == ["validate-cache.json"]


def test_cli_reports_problems_with_exit_code_2(root, capsys):
    write(root, "training_flows", flows(GOOD.replace("Russia", "Atlantis")))
    assert cli_validate.run(None) == 2
    out = capsys.readouterr().out
    assert (
        "data/training_flows.csv:2: partner: not found in data/partners.csv column partner (Atlantis)"
        in out.splitlines()
    )


def test_every_table_module_follows_the_convention():
    for name, spec in schemas.all_specs().items():
        assert set(spec.dtypes) == set(spec.columns), name
        assert set(spec.key) <= set(spec.columns), name
        for column, (table, target) in {**spec.foreign_keys, **spec.multi_foreign_keys}.items():
            assert column in spec.columns, (name, column)
            assert target in schemas.get(table).columns, (name, table, target)


def test_real_data_validates_clean(monkeypatch, capsys):
    monkeypatch.delenv("PARTNERSHIPS_ROOT", raising=False)
    problems = validate_all(use_cache=False)
    assert [str(p) for p in problems] == []
    assert cli_validate.run(None) == 0
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    n_tables = len(schemas.names())
    assert summary.startswith(f"{n_tables} tables, ") and summary.endswith(" rows: OK")


def test_real_article_tables_have_expected_facts(monkeypatch):
    monkeypatch.delenv("PARTNERSHIPS_ROOT", raising=False)
    agg = read_table("aggregate_claims").set_index("claim_id")
    assert agg.loc["agreements_32", "value"] == 32 and agg.loc["active_16", "value"] == 16
    flows_ = read_table("training_flows")
    russia = flows_[(flows_.partner == "Russia")].set_index("source_id")
    assert russia.loc["art_growth", "count"] == 50 and russia.loc["art_growth", "unit"] == "per_year"
    assert russia.loc["art_forefront", "count"] == 300 and russia.loc["art_forefront", "unit"] == "unknown"
    rel = read_table("partner_relations")
    attaches = set(rel.loc[rel.relation == "attache_in_mongolia", "partner"])
    assert attaches == {"Russia", "China", "United States", "South Korea", "Turkey", "Japan"}
    events = read_table("events").set_index("event_id")
    assert events.loc["putin_visit_2024", "date"] == "2024-09-03"
    assert events.loc["putin_visit_2021_claimed", "status"] == "contradicted"
    assert events.loc["icc_noncompliance_2024", "date"] == "2024-10-24"
    claims = read_table("claims")
    assert len(claims) >= 30
    conflicts = read_table("conflicts").set_index("conflict_id")
    assert conflicts.loc["c01", "status"] == "resolved"


def test_spaces_around_an_id_are_reported(root):
    write(root, "training_flows", flows(GOOD.replace("Russia", "Russia ")))
    assert problems_of("training_flows") == [
        "data/training_flows.csv:2: partner: has leading or trailing spaces (Russia )"
    ]


def test_column_twice_in_header(root):
    write(root, "training_flows", HEADER + ",note\n" + GOOD + ",x\n")
    assert problems_of("training_flows") == [
        "data/training_flows.csv:1: note: column appears twice in the header (note)"
    ]


def test_row_check_across_columns_names_both(root):
    header = "event_id,date,end_date,precision,year,event,partner,category,status,source_id,locator,end_source_id,end_locator,note"
    write(root, "events", f"{header}\ne1,2024-09-03,,day,2021,visit,Russia,visit,confirmed,art_forefront,para 4,,,\n")
    assert problems_of("events") == ["data/events.csv:2: date+year: year does not match the date (2024-09-03, 2021)"]


def test_end_source_needs_an_end_date_and_a_known_source(root):
    header = "event_id,date,end_date,precision,year,event,partner,category,status,source_id,locator,end_source_id,end_locator,note"
    rows = [
        "e1,1987,,year,1987,withdrawal,Russia,withdrawal,confirmed,art_forefront,para 4,art_growth,para 1,",
        "e2,1987,1992,year,1987,withdrawal,Russia,withdrawal,confirmed,art_forefront,para 4,art_grwth,para 1,",
    ]
    write(root, "events", header + "\n" + "\n".join(rows) + "\n")
    assert problems_of("events") == [
        "data/events.csv:2: end_date+end_source_id: end_source_id without an end_date (, art_growth)",
        "data/events.csv:3: end_source_id: not found in data/sources.csv column source_id (did you mean 'art_growth'?)"
        " (art_grwth)",
    ]


def test_start_after_end(root):
    header = "operation,country,framework,start_year,end_year,source_id,locator,dates_source_id,dates_locator,note"
    write(
        root,
        "deployments",
        f"{header}\nKFOR,Kosovo,NATO,2007,2005,art_growth,para 7,,,\nISAF,Afghanistan,NATO,2010,,art_growth,para 7,,,\n",
    )
    assert problems_of("deployments") == [
        "data/deployments.csv:2: start_year+end_year: start_year is after end_year (2007, 2005)"
    ]


def test_read_without_validation_still_types_but_skips_checks(root):
    write(root, "training_flows", flows(GOOD.replace("Russia", "Atlantis").replace(",50,", ",-5,")))
    df = read_table("training_flows", validate=False)
    assert df.loc[0, "partner"] == "Atlantis" and df.loc[0, "count"] == -5
    write(root, "training_flows", flows(GOOD.replace(",50,", ",fifty,")))
    with pytest.raises(DataError, match=r"^data/training_flows\.csv:2: count: not a whole number \(fifty\)$"):
        read_table("training_flows", validate=False)


def test_table_without_schema_cannot_be_read(root):
    write(root, "mystery", "a,b\n1,2\n")
    with pytest.raises(DataError, match=r"^data/mystery\.csv: no schema for this table"):
        read_table("mystery")


def test_unclosed_quote_names_the_row_it_starts_on(root):
    write(root, "training_flows", flows(GOOD, OTHER + '"never closed', GOOD.replace("para 9", "para 11")))
    found = problems_of("training_flows")
    assert len(found) == 1 and found[0].startswith("data/training_flows.csv:3: cannot read the CSV: ")
