"""Headline figures in the rendered real report against values computed here from data/*.csv.

Every expected value is computed DIRECTLY with pandas from the curated tables (not with
the package's analysis functions), then the sentence the report prints is looked for in
the HTML's text. A data change that the prose does not follow (or a prose change that the
data do not support) fails here, with the expected sentence in the message.
"""

from __future__ import annotations

import calendar
import html as htmllib
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import report_files

DATA: Path | None = None  # the real report's copy of the repository's data/ (set by the fixture)


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def html_text(path: Path) -> str:
    doc = path.read_text(encoding="utf-8")
    doc = re.sub(r"<(svg|style|script)\b.*?</\1>", " ", doc, flags=re.S | re.I)
    doc = re.sub(r"</?(strong|em|b|i|span|a|code|sup|sub|abbr|time)\b[^>]*>", "", doc)  # inline: no space
    doc = re.sub(r"<[^>]+>", " ", doc)
    return " ".join(htmllib.unescape(doc).replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def text(real_report) -> str:
    global DATA
    DATA = real_report / "data"  # data/ exactly as the report was built from it
    return html_text(report_files(real_report)[0])


def month(date: str) -> str:
    y, m = date[:4], int(date[5:7])
    return f"{calendar.month_name[m]} {y}"


def english_list(items: list[str]) -> str:
    """'A, B and the C' as prose writes country names ('the United States')."""
    items = [f"the {i}" if i.startswith("United ") else i for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def found(fragment: str, text: str) -> None:
    assert fragment in text, f"the report should say: {fragment!r}"


# --------------------------------------------------------------------------- chapters
def test_chapter_count_and_partner_profiles(text, real_report):
    manifest = yaml.safe_load((real_report / "report.yml").read_text(encoding="utf-8"))
    partners = table("partners")
    profiled = sorted(partners.loc[partners["profile"].str.lower() == "true", "partner"])
    assert len(profiled) >= 5
    entries = [e if isinstance(e, dict) else {"notebook": e} for e in manifest["chapters"]]
    annexes = [e for e in entries if e.get("annex")]
    # the profile chapter expands per partner; the build adds the section on changes since the last edition
    n_chapters = len(entries) - len(annexes) - 1 + len(profiled) + 1
    contents = text[text.index("Contents") : text.index("Chapter 1 ")]
    numbered = re.findall(r"(?:^|[a-z?] |Contents )(\d+|[A-Z]) [A-Z]", contents)
    letters = [chr(ord("A") + i) for i in range(len(annexes))]
    assert numbered == [str(i) for i in range(1, n_chapters + 1)] + letters, numbered
    assert f"Chapter {n_chapters} " in text and f"Chapter {n_chapters + 1} " not in text
    assert all(f"Annex {a} " in text for a in letters) and f"Annex {chr(ord('A') + len(annexes))} " not in text
    shown = re.findall(r"Chapter \d+ Partner profile: ([A-Z][A-Za-z ]+?) What ", text)
    assert sorted(shown) == profiled


# --------------------------------------------------------------------------- aggregate claims (article A)
def test_aggregate_claims_32_16_5_5(text):
    agg = table("aggregate_claims").set_index("metric")["value"].astype(int)
    agreements = table("agreements")["partner"].nunique()
    found(
        f"defence cooperation agreements with {agg['agreements_countries']} countries and active cooperation "
        f"with {agg['active_partners']}; the data name {agreements} agreement countries",
        text,
    )
    assert (agg["agreements_countries"], agg["active_partners"]) == (32, 16)
    found(f"It counts {agg['equipment_source_countries']} sources of weapons", text)
    rel = table("partner_relations")
    attaches_in = rel.loc[rel["relation"] == "attache_in_mongolia", "partner"].nunique()
    found(
        f"Attachés of {attaches_in} countries serve in Mongolia, while the {agg['mongolian_attache_countries']} "
        "countries hosting Mongolian attachés go unnamed",
        text,
    )
    assert (agg["equipment_source_countries"], agg["mongolian_attache_countries"]) == (5, 5)


# --------------------------------------------------------------------------- arms transfers (SIPRI)
def test_arms_transfer_suppliers(text):
    arms = table("arms_transfers")
    suppliers = sorted(arms["supplier"].unique())
    recent = sorted(arms.loc[arms["order_year"].astype(int) >= 1992, "supplier"].unique())
    found(
        f"SIPRI lists {len(suppliers)} suppliers of major arms over all years, but only {len(recent)} "
        f"({english_list(recent)}) with orders since 1992",
        text,
    )


# --------------------------------------------------------------------------- peacekeeping (IPI)
def test_peacekeeping_peak_and_end(text):
    pk = table("pk_monthly")
    pk["total"] = pk[["troops", "police", "experts"]].astype(int).sum(axis=1)
    peak = pk.loc[pk["total"].idxmax()]
    found(f"to a peak of {peak['total']} in {month(peak['date'])}", text)
    found(f"UN peacekeeping peaked at {peak['total']} Mongolians deployed ({month(peak['date'])})", text)
    last = pk.sort_values("date").iloc[-1]
    found(f"The monthly series ends in {month(last['date'])} with {last['total']} personnel", text)
    yearly = pk.assign(year=pk["date"].str[:4]).groupby("year")["total"].mean()
    found(f"the monthly average fell to {round(yearly['2011'])} in 2011", text)


# --------------------------------------------------------------------------- spending (SIPRI)
def test_spending_1990_vs_trough_and_recovery(text):
    me = table("military_expenditure")
    real = me[(me["measure"] == "constant_2023_usd_m") & (me["value"] != "")]
    s = real.assign(year=real["year"].astype(int), value=real["value"].astype(float)).set_index("year")["value"]
    v1990 = s[1990]
    nineties = s.loc[1990:1999]
    trough_year = int(nineties.idxmin())
    trough = nineties.min()
    drop = round((1 - trough / v1990) * 100)
    found(
        f"real spending fell from US${v1990:.0f} million in 1990 to US${trough:.0f} million in {trough_year} "
        f"(constant 2023 dollars), a drop of {drop}%",
        text,
    )
    above = s[(s.index > 1990) & (s > v1990)]
    first_above = int(above.index.min())
    years_below = first_above - 1991
    found(
        f"It stayed below the 1990 level for {years_below} years and passed it only in {first_above} "
        f"(US${s[first_above]:.0f} million in {first_above}, +{round((s[first_above] / v1990 - 1) * 100)}% on 1990)",
        text,
    )


# --------------------------------------------------------------------------- training flows (articles)
def test_students_abroad_per_year(text):
    t = table("training_flows")
    per_year = t[(t["direction"] == "mongolians_abroad") & (t["unit"] == "per_year") & (t["count"] != "")]
    per_year = per_year.assign(n=per_year["count"].astype(int)).sort_values("n", ascending=False)
    parts = "; ".join(f"{r.partner} {r.qualifier} {r.n}" for r in per_year.itertuples())
    found(f"about {per_year['n'].sum()} Mongolian students and officers abroad a year ({parts})", text)
