"""Key judgments: the confidence rule, each judgment's numbers recomputed with plain pandas
from data/*.csv, and the rendered report opening with them (each linked to its evidence)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import report_files
from test_report_numbers import html_text

from partnerships.analysis import judgments as J

DATA = Path(__file__).resolve().parents[1] / "data"


def csv(name: str, data: Path = DATA) -> pd.DataFrame:
    return pd.read_csv(data / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize(
    "kw, level",
    [
        ({"datasets": 2}, "high"),
        ({"datasets": 3, "covers_period": True}, "high"),
        ({"datasets": 2, "covers_period": False}, "moderate"),
        ({"datasets": 1}, "moderate"),
        ({"datasets": 0}, "low"),
        ({"datasets": 2, "articles_only": True}, "low"),
        ({"datasets": 2, "contradicted": True}, "low"),
    ],
)
def test_confidence_follows_the_stated_rule(kw, level):
    assert J.confidence(**kw) == level


def test_a_judgment_refuses_an_unknown_confidence_word():
    with pytest.raises(ValueError, match="confidence must be one of"):
        J.Judgment("x", "A line.", [], "fairly sure", "why", [])


def equipment_expected(data: Path = DATA, since: int = 1992) -> dict:
    a = csv("arms_transfers", data)
    a["order_year"] = pd.to_numeric(a["order_year"], errors="coerce")
    a["tiv"] = pd.to_numeric(a["tiv_delivered"], errors="coerce").fillna(0)
    r = a[a["order_year"] >= since]
    ru = r[r["supplier"] == "Russia"]
    words = (ru["status"] + " " + ru["comments"]).str.lower()
    return {
        "russia_share": 100 * ru["tiv"].sum() / r["tiv"].sum(),
        "second_hand_share": 100 * ru.loc[words.str.contains("second-hand|second hand"), "tiv"].sum() / ru["tiv"].sum(),
        "aid_share": 100 * ru.loc[words.str.contains(r"\baid\b"), "tiv"].sum() / ru["tiv"].sum(),
        "deals": len(r),
    }


def test_equipment_judgment_counts_the_360info_copy_as_sipri_not_a_second_source():
    arms = J.data.load("arms_transfers")
    j = J.judge_equipment(arms, J.data.load("arms_tiv_by_year"))
    alone = J.judge_equipment(arms)
    # the copy of SIPRI's totals cannot raise the confidence: one source, moderate (the rule for one dataset)
    assert j.confidence == alone.confidence == J.confidence(1) == "moderate"
    assert "independent copy" not in j.why and "processed copy of SIPRI" in j.why
    assert j.why.startswith("One source")


def test_equipment_shares_match_plain_pandas():
    t = J.russia_terms(J.data.load("arms_transfers"), since=1992)
    e = equipment_expected()
    for k in ("russia_share", "second_hand_share", "aid_share"):
        assert t[k] == pytest.approx(e[k]), k
    assert t["deals"] == e["deals"]


def spending_expected(data: Path = DATA, base: int = 1990) -> dict:
    m = csv("military_expenditure", data)
    s = (
        m[m["measure"] == "constant_2023_usd_m"]
        .assign(year=lambda d: d["year"].astype(int), value=lambda d: pd.to_numeric(d["value"], errors="coerce"))
        .dropna(subset=["value"])
        .set_index("year")["value"]
        .sort_index()
    )
    after = s[s.index > base]
    trough_year = int(after.idxmin())
    above = s[(s.index > trough_year) & (s > s.loc[base])]
    return {
        "fall": 100 * (s.loc[base] - after.min()) / s.loc[base],
        "trough_year": trough_year,
        "recovery_year": int(above.index.min()) if len(above) else None,
    }


def test_spending_judgment_dates_the_collapse_by_its_measurement_not_by_the_series_start():
    m = csv("military_expenditure")
    j = J.judge_spending(J.data.load("military_expenditure"))
    real = m[(m["measure"] == "constant_2023_usd_m") & (m["value"] != "")]
    first = int(real["year"].astype(int).min())
    assert "the collapse that began in" not in j.bottom_line
    if first == 1990:  # the real series begins in the base year: the sentence says so
        assert "measured from 1990, where SIPRI's constant-dollar series begins" in j.bottom_line
    gdp = m[m["measure"] == "share_gdp_pct"].assign(
        year=lambda d: d["year"].astype(int), v=lambda d: pd.to_numeric(d["value"], errors="coerce")
    )
    gdp = gdp.dropna(subset=["v"]).set_index("year")["v"]
    before = gdp[gdp.index < 1990]
    if len(before) and before.max() > gdp.loc[1990]:
        said = f"already falling from {before.max():.1f}% in {int(before.idxmax())}"
        assert any(said in line for line in j.support), j.support
    # a real series that starts earlier does not claim to begin at the base year
    extra = pd.DataFrame(
        [{"year": "1989", "measure": "constant_2023_usd_m", "value": "150", "source_id": "sipri_milex", "locator": "x"}]
    )
    j2 = J.judge_spending(pd.concat([J.data.load("military_expenditure"), extra], ignore_index=True))
    assert (
        "where SIPRI's constant-dollar series begins" not in j2.bottom_line and "measured from 1990" in j2.bottom_line
    )


def pk_expected(data: Path = DATA) -> tuple[int, str]:
    pk = csv("pk_monthly", data)
    total = pk["troops"].astype(int) + pk["police"].astype(int) + pk["experts"].astype(int)
    i = int(total.idxmax())
    d = pd.Timestamp(pk.loc[i, "date"])
    return int(total.max()), f"{J.MONTHS[d.month - 1]} {d.year}"


@pytest.fixture(scope="module")
def report(real_report):
    return real_report, html_text(report_files(real_report)[0])


def test_key_judgments_open_the_report(report):
    root, text = report
    contents_end = text.index("Chapter 1 ")
    assert text[contents_end:].startswith("Chapter 1 Key judgments"), text[contents_end : contents_end + 80]
    doc = report_files(root)[0].read_text(encoding="utf-8")
    found = re.findall(r'<section class="judgment" id="judgment-(\d+)">(.*?)</section>', doc, flags=re.S)
    assert 5 <= len(found) <= 8
    assert [int(n) for n, _ in found] == list(range(1, len(found) + 1))
    anchors = set(re.findall(r'\sid="([^"]+)"', doc))
    for n, body in found:
        assert re.search(r"\((high|moderate|low) confidence\)", body), n
        links = re.findall(r'href="#([^"]+)"', body)
        assert links and all(a in anchors for a in links), (n, links)
        # the evidence is named as the report numbers it ("Chapter 8", "Annex B"), never by a typed number
        named = re.findall(r'<a class="xref" href="#[^"]+">([^<]+)</a>', body)
        assert named and all(re.fullmatch(r"Chapter \d+|Annex [A-Z]|“[^”]+”", x) for x in named), (n, named)


def test_key_judgment_numbers_are_the_data(report):
    root, text = report
    data = root / "data"
    e = equipment_expected(data)
    assert f"Russia accounts for {e['russia_share']:.0f}% of the volume of major arms" in text
    assert f"describe {e['second_hand_share']:.0f}% of that Russian volume as second-hand or rebuilt" in text
    s = spending_expected(data)
    assert f"spending fell by {s['fall']:.0f}% between 1990 and {s['trough_year']}" in text
    if s["recovery_year"]:
        assert f"it first exceeded its 1990 level again in {s['recovery_year']}" in text
        assert f"took {s['recovery_year'] - 1990} years to recover" in text
    peak, when = pk_expected(data)
    assert f"to a peak of {peak:,} in {when}" in text
    claims = csv("claims", data)
    assert f"Of the {len(claims)} statements this report records from the articles" in text


def test_per_head_judgment_names_who_ranks_above(report):
    root, text = report
    data = root / "data"
    c = csv("pk_contributors", data)
    pop = csv("population", data)
    last = sorted(c["date"].unique())[-1]
    c = c[c["date"] == last].copy()
    year = last[:4]
    p = pop[pop["year"] == year].set_index("iso3")["population"].astype(float)
    c["per_million"] = c["personnel"].astype(float) / c["iso3"].map(p) * 1e6
    mine = float(c.loc[c["iso3"] == "MNG", "per_million"].item())
    above = list(c[c["per_million"] > mine].sort_values("per_million", ascending=False)["country"])
    rank = len(above) + 1
    assert f"rank {rank} per head" in text
    d = pd.Timestamp(last)
    names = ", ".join(above[:-1]) + " and " + above[-1] if len(above) > 1 else above[0]
    assert f"Above it per head on {d.day} {J.MONTHS[d.month - 1]} {d.year}: {names}." in text


def _matrix():
    from partnerships.analysis import compare

    return compare.matrix(list(J.COMPARED), compare.context())


def test_partners_judgment_counts_are_the_data():
    """The judgment reads the partners chapter's own matrix; Russia's lead on it is recomputed here."""
    from partnerships.analysis import compare

    m = _matrix()
    j = J.judge_partners(m)
    assert j is not None and j.confidence == "moderate" and j.evidence[0] == "ch-partners"
    deep = m[m["level"] >= 3].groupby("partner")["dimension"].count()
    assert deep.idxmax() == "Russia" and (deep.drop("Russia") < deep["Russia"]).all()
    assert j.support[0].startswith(
        f"Russia is deep on {deep['Russia']} of the {len(compare.DIMENSIONS)} dimensions compared"
    )
    # no evidence counted twice: SIPRI's aid-marked deals are not aid, the embassy guard is not peacekeeping
    ru_deep = set(m[(m["partner"] == "Russia") & (m["level"] >= 3)]["dimension"])
    assert "aid" not in ru_deep and "troops" not in ru_deep
    assert "peacekeeping" not in j.bottom_line
    documented = m[(m["partner"] == "Russia") & (m["level"] >= 3) & ~m["articles_only"]]["dimension"]
    assert j.bottom_line.startswith("Russia is recorded in depth on more of Mongolia's defence relations than any")
    assert all(compare.IN_SENTENCE[d] in j.bottom_line for d in documented)
    arms = csv("arms_transfers")
    assert not (arms["supplier"] == "China").any()  # "no dataset records a Chinese arms deal"
    assert not (csv("agreements")["partner"] == "China").any()


def test_partners_judgment_is_dropped_when_its_wording_no_longer_holds():
    """If China had an arms deal, or the United States' depth rested on an article, the wording would be
    stale: the judgment is dropped instead."""
    m = _matrix()
    assert J.judge_partners(m) is not None
    armed = m.copy()
    armed.loc[(armed["partner"] == "China") & (armed["dimension"] == "equipment"), "level"] = 1
    assert J.judge_partners(armed) is None
    hearsay = m.copy()
    hearsay.loc[(hearsay["partner"] == "United States") & (hearsay["level"] >= 3), "articles_only"] = True
    assert J.judge_partners(hearsay) is None
    ru_hearsay = m.copy()
    ru_hearsay.loc[(ru_hearsay["partner"] == "Russia") & (ru_hearsay["level"] >= 3), "articles_only"] = True
    assert J.judge_partners(ru_hearsay) is None  # "with datasets behind" would no longer hold
    level = m.copy()
    level.loc[(level["partner"] == "China") & (level["dimension"] == "exercises"), "level"] = 3
    level.loc[(level["partner"] == "China") & (level["dimension"] == "aid"), "level"] = 3
    level.loc[(level["partner"] == "China") & (level["dimension"] == "attaches"), "level"] = 3
    assert J.judge_partners(level) is None  # China as deep as Russia: "the only partner" no longer holds
