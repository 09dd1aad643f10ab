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
    assert len(profiled) >= 3
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
    # one section per profiled partner, titled with its name, right after the comparison of partners
    compared = int(re.search(r"Chapter (\d+) Mongolia's partners compared ", text).group(1))
    for i, p in enumerate(profiled):
        title = f"The {p}" if p.startswith("United ") else p
        assert f"Chapter {compared + 1 + i} {title} " in text, title


# --------------------------------------------------------------------------- aggregate claims (article A)
def test_aggregate_claims_32_16_5_5(text):
    agg = table("aggregate_claims").set_index("metric")["value"].astype(int)
    agreements = table("agreements")["partner"].nunique()
    found(
        f"defence cooperation agreements with {agg['agreements_countries']} countries, but the datasets and articles "
        f"together name only {agreements}",
        text,
    )
    found(f'of the {agg["active_partners"]} "actively cooperating" partners it counts', text)
    found(f"Article A counts {agg['equipment_source_countries']} sources of weapons", text)
    rel = table("partner_relations")
    attaches_in = rel.loc[rel["relation"] == "attache_in_mongolia", "partner"].nunique()
    found(
        f"Attachés of {attaches_in} countries serve in Mongolia, while the {agg['mongolian_attache_countries']} "
        "countries that host Mongolian attachés go unnamed",
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
    last = pk.sort_values("date").iloc[-1]
    found(f"The monthly series ends in {month(last['date'])} with {last['total']} personnel", text)
    yearly = pk.assign(year=pk["date"].str[:4]).groupby("year")["total"].mean()
    found(f"the monthly average fell to {round(yearly['2011'])} in 2011", text)
    # the second step of the 2011 dip: the UNMIL unit's last month in IPI's counts by mission, and the month after
    mis = table("pk_missions")
    um = mis[(mis["mission"] == "UNMIL") & (mis["personnel_type"] == "total") & (mis["sex"] == "total")]
    um = um[um["count"].astype(int) >= 50].sort_values("date").iloc[-1]
    after = pk[pk["date"] > um["date"]].sort_values("date").iloc[0]
    before = pk.loc[pk["date"] == um["date"], "total"].iloc[0]
    found(
        f"the {um['count']}-strong UNMIL unit left in {month(after['date'])}, when the monthly total fell from "
        f"{before} to {after['total']}",
        text,
    )


def test_summary_peacekeeping_peak(text):
    pk = table("pk_monthly")
    pk["total"] = pk[["troops", "police", "experts"]].astype(int).sum(axis=1)
    peak = pk.loc[pk["total"].idxmax()]
    found(
        f"a UN peacekeeping contribution that peaked at {peak['total']} uniformed personnel in {month(peak['date'])}",
        text,
    )


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


# --------------------------------------------------------------------------- peers (SIPRI, UN, World Bank)
def _ranks_on(date: str) -> pd.DataFrame:
    c = table("pk_contributors")
    c = c[c["date"] == date].copy()
    c["personnel"] = c["personnel"].astype(int)
    pop = table("population")
    pop = pop[pop["year"] == date[:4]].set_index("iso3")["population"].astype(float)
    c["per_million"] = c["personnel"] / c["iso3"].map(pop) * 1e6
    c["rank"] = c["personnel"].rank(ascending=False, method="min").astype(int)
    c["rank_pm"] = c["per_million"].rank(ascending=False, method="min").astype(int)
    return c.set_index("iso3")


def test_peers_peacekeeping_per_million_rank_among_all_contributors(text):
    last = _ranks_on("2021-01-31")
    first = _ranks_on("2014-03-31")
    m, f = last.loc["MNG"], first.loc["MNG"]
    share = m["personnel"] / last["personnel"].sum() * 100
    ahead = last[last["rank_pm"] < m["rank_pm"]].sort_values("rank_pm")["country"].tolist()
    found(
        f"On 31 January 2021 Mongolia had {m['personnel']} uniformed personnel in UN operations, rank {m['rank']} of {len(last)} "
        f"contributors and {share:.1f}% of all UN uniformed personnel. Per million inhabitants that is {m['per_million']:,.0f}, "
        f"rank {m['rank_pm']} among all contributors, behind only {english_list(ahead)}.",
        text,
    )
    assert m["rank"] == int(m["un_rank"])  # the UN's own rank
    found(
        f"In March 2014 it had {f['personnel']} (rank {f['rank']}), {f['per_million']:,.0f} per million (rank {f['rank_pm']}).",
        text,
    )


def test_peers_spending_share_of_gdp_rank(text):
    me = table("military_expenditure")
    mng = me[(me["measure"] == "share_gdp_pct") & (me["year"] == "2024")]["value"].astype(float).iloc[0]
    peer = table("peer_military_expenditure")
    peer = peer[
        (peer["measure"] == "share_gdp_pct") & (peer["value"] != "") & ~peer["country"].isin(["China", "Russia"])
    ]
    peer = peer.assign(year=peer["year"].astype(int), value=peer["value"].astype(float))
    latest = peer[peer["year"] <= 2024].sort_values("year").groupby("country").last()["value"]
    rank = int((latest > mng).sum()) + 1
    found(
        f"{mng:.2f}% of its GDP, which ranks {rank} of the {len(latest) + 1} countries in the comparison without the neighbours",
        text,
    )


# --------------------------------------------------------------------------- peacekeeping after 2014 (RADPKO, UN open data)
def test_peacekeeping_after_2014_overlap_of_un_means_and_radpko(text):
    y = table("pk_yearly")
    y = y[y["country"] == "Mongolia"].assign(
        year=lambda d: d["year"].astype(int), personnel=lambda d: d["personnel"].astype(float)
    )
    un = y[(y["measure"] == "un_yearly_mean") & (y["usable"] == "true")].groupby("year")["personnel"].sum()
    rad = y[y["measure"] == "african_bases_mean"].groupby("year")["personnel"].sum()
    years = sorted(set(un.index) & set(rad.index) - {2011})
    gap = ((rad[years] - un[years]) / un[years] * 100).abs()
    found(
        f"Where a UN yearly mean and RADPKO's African missions overlap after 2014 ({years[0]}-{years[-1]}), they differ by "
        f"{gap.min():.1f}% to {gap.max():.1f}%",
        text,
    )
    last = table("pk_monthly")["date"].max()
    found(f"After {month(last)} each stretch of years rests on a different kind of figure", text)


def test_peacekeeping_per_head_rank_in_the_peacekeeping_chapter(text):
    last, first = _ranks_on("2021-01-31"), _ranks_on("2014-03-31")
    m, f = last.loc["MNG"], first.loc["MNG"]
    ahead = last[last["rank_pm"] < m["rank_pm"]].sort_values("rank_pm")["country"].tolist()
    th = {1: "st", 2: "nd", 3: "rd"}
    found(
        f"per million inhabitants ({m['per_million']:,.0f}) it came {m['rank_pm']}{th.get(m['rank_pm'], 'th')} of "
        f"{len(last)} contributing countries, after only {english_list(ahead)}",
        text,
    )
    assert f["rank_pm"] == m["rank_pm"]  # the chapter says "the same rank per head" on both dates
    found(
        f"it held the same rank per head in March 2014 ({f['rank_pm']}{th.get(f['rank_pm'], 'th')} of {len(first)})",
        text,
    )


# --------------------------------------------------------------------------- since 2022 (SIPRI, Geo-PKO)
def test_since_2022_spending_jump_and_new_suppliers(text):
    me = table("military_expenditure")
    s = me[(me["measure"] == "constant_2023_usd_m") & (me["value"] != "")].set_index("year")["value"].astype(float)
    found(
        f"Real spending rose from US${s['2021']:,.0f} million in 2021 to US${s['2024']:,.0f} million in 2024 "
        f"({(s['2024'] / s['2021'] - 1) * 100:+.0f}%), most of it in 2024 alone ({(s['2024'] / s['2023'] - 1) * 100:+.0f}% on 2023)",
        text,
    )
    arms = table("arms_transfers")
    other = arms[~arms["supplier"].isin(["Soviet Union", "Russia"])].assign(
        order_year=lambda d: d["order_year"].astype(int)
    )
    before = other[other["order_year"] < 2022].sort_values("order_year").iloc[-1]
    found(
        f"They are the first such orders since {before['order_year']} ({before['supplier']}), {2022 - before['order_year']} years earlier.",
        text,
    )
    dep = table("pk_deployments").assign(year=lambda d: d["year"].astype(int))
    first = dep.groupby(["mission", "location"])["year"].min()
    new = first[first >= 2022]
    assert len(new) == 1
    (mission, loc), year = next(iter(new.items()))
    found(f"One new location appears since 2022: {loc} ({mission}, South Sudan) from {year}.", text)


# --------------------------------------------------------------------------- Russian supplies (SIPRI status and comment fields)
def test_russian_supplies_second_hand_and_aid_shares(text):
    arms = table("arms_transfers")
    ru = arms[(arms["supplier"] == "Russia") & (arms["order_year"].astype(int) >= 1992)]
    tiv = ru["tiv_delivered"].replace("", "0").astype(float)
    second = ru["status"].str.lower().str.startswith("second hand")
    aid = ru["comments"].str.contains(r"\baid\b", case=False) & ~ru["comments"].str.contains("probably aid", case=False)
    found(
        f"SIPRI records {len(ru)} deals ordered from Russia since 1992, delivering {tiv.sum():,.0f} million TIV. By SIPRI's status field, "
        f"{tiv[second].sum() / tiv.sum() * 100:.0f}% of that volume was second-hand ({int(second.sum())} deals)",
        text,
    )
    found(f"The comments call {int(aid.sum())} deals aid, {tiv[aid].sum() / tiv.sum() * 100:.0f}% of the volume", text)
    all_tiv = arms["tiv_delivered"].replace("", "0").astype(float)
    legacy = all_tiv[arms["supplier"].isin(["Soviet Union", "Russia"])].sum() / all_tiv.sum() * 100
    found(f"the Soviet Union and Russia delivered {legacy:.1f}% of the volume of Mongolia's major arms", text)


# --------------------------------------------------------------------------- training in Mongolia (US training reports)
def _completed(df: pd.DataFrame) -> pd.DataFrame:
    """One figure per fiscal year: the completed rows where a year has any, else the planned ones."""
    done = df["fy_reported_as_completed"].str.lower() == "true"
    has = done.groupby(df["fiscal_year"]).transform("any")
    return df[done | ~has]


def test_training_hub_and_places(text):
    fo = table("us_training_foreign")
    n = fo["students"].replace("", "0").astype(int)
    found(
        f"The US reports list {n.sum()} training places in Mongolia, paid for by the US, for trainees from "
        f"{fo['country'].nunique()} countries",
        text,
    )
    kq = n[fo["course_title"].str.contains("khaan quest", case=False)].sum()
    found(f"{kq} of the places were at Khaan Quest", text)
    pl = _completed(table("us_training_places"))
    pl = pl.assign(fy=pl["fiscal_year"].astype(int), students=pl["students"].astype(int))
    first = pl[pl["place"] != "not_stated"]["fy"].min()
    pl = pl[pl["fy"] >= first]
    by = pl.groupby("place")["students"].sum()
    found(
        f"From FY{first}, when the reports start giving places, {by['in_mongolia']:,} training places were in Mongolia and "
        f"{by['abroad']:,} abroad",
        text,
    )
    us = _completed(table("us_training"))
    per_fy = (
        us.assign(fy=us["fiscal_year"].astype(int))
        .groupby("fy")["students"]
        .apply(lambda s: s.astype(int).sum())
        .sort_index()
        .tail(5)
    )
    abroad = pl[(pl["place"] == "abroad") & pl["fy"].isin(per_fy.index)].groupby("fy")["students"].sum()
    abroad = abroad.reindex(per_fy.index, fill_value=0).mean()
    found(
        f"over FY{per_fy.index.min()}-FY{per_fy.index.max()} the US paid for {abroad:,.0f} training places a year abroad",
        text,
    )
    found(f"the US paid for {per_fy.mean():,.0f} training places a year", text)


# --------------------------------------------------------------------------- China (AidData, ATOP)
def test_china_visits_and_treaty(text):
    cv = table("china_visits")
    mg = cv[(cv["country"] == "Mongolia") & (cv["military_visits"] != "")].assign(
        year=lambda d: d["year"].astype(int), v=lambda d: d["military_visits"].astype(int)
    )
    after = mg[mg["year"] >= 2011]["v"].sum()
    last_visit = mg[mg["v"] > 0]["year"].max()
    found(
        f"AidData records {mg['v'].sum()} high-level military visits between China and Mongolia in {mg['year'].min()}-{mg['year'].max()}: "
        f"{mg[mg['year'] < 2011]['v'].sum()} before 2011 and {after} from 2011 to {mg['year'].max()} (the last in {last_visit}).",
        text,
    )
    al = table("alliances")
    cn = al[(al["partner"] == "China") & (al["nonagg"] == "1")]
    found(
        f"ATOP records between Mongolia and China the {cn['year_from'].min()} treaty's non-aggression obligation, "
        f"from {cn['year_from'].min()}, in force at the end of the data ({al['year_to'].astype(int).max()}), "
        "and no defence obligation",
        text,
    )
    found("is not in the sources here", text)
    # Russia: the Soviet 1966 treaty carried on to its last defence year, then the 1993 treaty; never a 1992 treaty
    ru = al[(al["partner"] == "Russia") & (al["defense"] == "1")]
    found(f"the 1966 treaty's defence obligation, continued to {ru['year_to'].astype(int).max()}", text)
    assert "1992 treaty" not in text and "treaty since 1992" not in text and "treaty 1992" not in text


# --------------------------------------------------------------------------- partners compared
def test_partners_compared_arms_training_and_exercise_balance(text):
    arms = table("arms_transfers")
    recent = arms[arms["order_year"].astype(int) >= 1992].assign(tiv=lambda d: pd.to_numeric(d["tiv_delivered"]))
    share = recent.loc[recent["supplier"] == "Russia", "tiv"].sum() / recent["tiv"].sum()
    found(f"it supplied {share:.0%} of the arms value SIPRI records for deals since 1992", text)
    # the balance section reads the same deals: one Russian total across chapters (the register's, not 360info's)
    ru_tiv = recent.loc[recent["supplier"] == "Russia", "tiv"].sum()
    found(f"Russia delivered {ru_tiv:,.0f} million TIV, {share:.0%} of all deliveries to Mongolia", text)
    found(f"{(recent['supplier'] == 'Russia').sum()} arms deals since 1992, {ru_tiv:,.0f} million TIV delivered", text)
    us = table("us_training")
    done = us[us["fy_reported_as_completed"].str.lower() == "true"].assign(fy=lambda d: d["fiscal_year"].astype(int))
    found(
        f"{done['students'].astype(int).sum():,} US-funded places from FY{done['fy'].min()} to FY{done['fy'].max()}",
        text,
    )
    # editions in 2000-2009 with at least one partner other than Russia and China (each counted once)
    dated, alias = _editions()
    parts = table("exercise_participants")
    parts = parts[parts["partner"] != "Mongolia"].assign(e=lambda d: d["exercise_id"].map(lambda x: alias.get(x, x)))
    years = dated.drop_duplicates("e").set_index("e")["year"].astype(int)
    parts = parts[parts["e"].isin(years.index)].assign(y=lambda d: d["e"].map(years))
    a = parts[parts["y"].between(2000, 2009)]
    third = a[~a["partner"].isin(["Russia", "China", "Soviet Union"])]["e"].nunique()
    found(
        f"the third neighbours took part in {third} editions in 2000-2009, against "
        f"{a[a['partner'] == 'Russia']['e'].nunique()} with Russia and {a[a['partner'] == 'China']['e'].nunique()} with China",
        text,
    )


def test_partner_sections_open_with_a_finding_and_point_to_the_claims_register(text):
    claims = table("claims")
    partners = table("partners")
    for p in partners.loc[partners["profile"].str.lower() == "true", "partner"]:
        name = f"the {p}" if p.startswith("United ") else p
        n = (claims["partner"] == p).sum()
        if n > 1:
            found(f"lists all {n} claims about {name}, each with its verdict and evidence", text)
    ru = claims[(claims["partner"] == "Russia") & (claims["verdict"] == "contradicted")]
    for statement in ru["statement"]:
        found(f"The claim that {statement} is refuted by", text)


# --------------------------------------------------------------------------- corrections of issue 8 (each recomputed here)
def test_us_profile_fiscal_years_are_completed_training_only(text):
    """The United States' section counts completed training only: a fiscal year a later report gives as
    completed never has its planned figure added (issue 8)."""
    us = table("us_training").assign(fy=lambda d: d["fiscal_year"].astype(int), n=lambda d: d["students"].astype(int))
    done = us[us["fy_reported_as_completed"].str.lower() == "true"]
    planned_only = us[~us["fy"].isin(done["fy"])]
    assert planned_only.empty or planned_only["fy"].min() > done["fy"].max()  # no year is planned-only in between
    found(f"{done['n'].sum():,} US-funded training places FY{done['fy'].min()}–FY{done['fy'].max()}", text)
    assert f"{us['n'].sum():,} US-funded" not in text  # planned + completed never summed


def _editions() -> tuple[pd.DataFrame, dict]:
    """Dated exercise ids with the duplicates the data README lists merged (plain pandas)."""
    ex = table("exercises")
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    merged = dict(re.findall(r"^\| `([a-z0-9-]+)` \([^|]*\| `([a-z0-9-]+)` \(", readme, flags=re.M))
    alias = {m: k for k, m in merged.items()}
    dated = ex[ex["year"] != ""].assign(e=lambda d: d["exercise_id"].map(lambda x: alias.get(x, x)))
    return dated, alias


def test_exercise_editions_counted_once_and_multinational_share(text):
    dated, alias = _editions()
    n = dated["e"].nunique()
    assert n == 29
    found(f"The sources date {n} editions between {dated['year'].min()} and {dated['year'].max()}", text)
    parts = table("exercise_participants")
    parts = parts[parts["partner"] != "Mongolia"].assign(e=lambda d: d["exercise_id"].map(lambda x: alias.get(x, x)))
    # a US training report names the US (the training country) for each edition: alone it lists no participants
    own = (parts["source_id"] == "fmtr") & (parts["partner"] == "United States")
    listed = parts[parts["e"].isin(set(parts.loc[~own, "e"]))]
    foreign = listed.groupby("e")["partner"].nunique().reindex(dated["e"].unique()).dropna()
    found(f"{round(100 * (foreign > 1).mean())}% were multinational, with more than one foreign partner listed", text)


def test_summary_counts_the_same_exercise_editions(text):
    dated, _ = _editions()
    found(f"What the datasets measure directly is more solid: {dated['e'].nunique()} dated exercise editions", text)


def test_oldest_and_latest_series_in_the_exercise_chart_title(real_report):
    """The exercise chart's caption (read from the executed notebook) names the recurring series dated
    earliest and the one dated latest, never a 'longest-running' series the coverage cannot settle."""
    import json

    dated, _ = _editions()
    named = dated[~dated["series"].isin(["single", "other"])].assign(y=lambda d: d["year"].astype(int))
    span = named.groupby("series")["y"].agg(["min", "max", "nunique"])
    first = span[span["nunique"] > 1]["min"].idxmin()
    last = span["max"].idxmax()
    labels = table("exercise_series").set_index("series")
    nb = json.loads((real_report / "build" / "executed" / "05-exercises.ipynb").read_text(encoding="utf-8"))
    import base64

    page = "".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", []))
    # charts are stored as data-URL SVG images (present.figure): decode them
    svg = page + "".join(
        base64.b64decode(b).decode("utf-8") for b in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    )
    expected = (
        f"{labels.loc[first, 'short']} has the earliest dated edition of a series ({span.loc[first, 'min']}), "
        f"{labels.loc[last, 'short']} the latest ({span.loc[last, 'max']})"
    )
    assert expected in htmllib.unescape(svg), expected
    assert "longest-running" not in htmllib.unescape(svg)


def test_russia_bilateral_editions_equal_its_series(text):
    dated, alias = _editions()
    parts = table("exercise_participants")
    parts = parts[parts["partner"] != "Mongolia"].assign(e=lambda d: d["exercise_id"].map(lambda x: alias.get(x, x)))
    parts = parts[parts["e"].isin(dated["e"])]
    n_foreign = parts.groupby("e")["partner"].nunique()
    russia_only = sorted(set(parts.loc[parts["partner"] == "Russia", "e"]) & set(n_foreign[n_foreign == 1].index))
    selenga = dated.loc[dated["series"] == "selenga", "e"].nunique()
    assert len(russia_only) == selenga
    found(f"holds the Selenga exercise ({selenga} bilateral editions recorded)", text)
    found(f"{selenga} of the Russian-Mongolian Darkhan/Selenga series", text)


def test_exercise_partners_by_format(text):
    """Co-attendance is not partnership: partners counted by the size of the editions they shared (plain pandas)."""
    dated, alias = _editions()
    parts = table("exercise_participants")
    parts = parts[parts["partner"] != "Mongolia"].assign(e=lambda d: d["exercise_id"].map(lambda x: alias.get(x, x)))
    parts = parts[parts["e"].isin(dated["e"])].drop_duplicates(["e", "partner"])
    size = parts.groupby("e")["partner"].nunique()
    # an edition whose only participant row is a US training report's own country lists no participants
    own = (parts["source_id"] == "fmtr") & (parts["partner"] == "United States")
    size = size.where(size.index.isin(set(parts.loc[~own, "e"])))
    parts = parts.assign(n=parts["e"].map(size))
    per = parts.groupby("partner")["n"].agg(
        total="size", bilateral=lambda n: int((n == 1).sum()), large=lambda n: int((n >= 5).sum())
    )
    found(
        f"{len(per)} countries took part in at least one dated edition with Mongolia, but "
        f"{int((per['large'] == per['total']).sum())} of them only in large exercises with five or more foreign partners",
        text,
    )
    ru, us = per.loc["Russia"], per.loc["United States"]
    found(
        f"Only {int((per['bilateral'] > 0).sum())} ever exercised with Mongolia alone: Russia in {ru['bilateral']} of its "
        f"{ru['total']} editions, the United States in {us['bilateral']} of {us['total']}",
        text,
    )


def test_atop_spells_read_as_treaties_and_end_of_data(text):
    al = table("alliances")
    end = al["year_to"].astype(int).max()
    assert not re.search(rf"non-aggression pact in force \d{{4}}[–-]{end}", text)
    found(f"in force at the end of the data ({end})", text)
    at_end = al[al["year_to"].astype(int) == end]
    multi = at_end[at_end["multilateral"] == "true"]
    bilateral = sorted(at_end.loc[at_end["multilateral"] != "true", "partner"])
    found(
        f"In ATOP's last year ({end}) Mongolia has treaty obligations with {at_end['partner'].nunique()} countries, but "
        f"{multi['partner'].nunique()} of them come from accessions to multilateral treaties",
        text,
    )
    found(f"the bilateral ones, with {english_list(bilateral)}, enter the agreements dimension", text)


def test_soviet_withdrawal_is_a_span_and_icc_warrants_are_dated(text):
    ev = table("events").set_index("event_id")
    w = ev.loc["soviet_withdrawal"]
    found(f"{w['date']}–{w['end_date']}", text)
    legal = ev[(ev["category"] == "legal") & ev["event"].str.contains("arrest warrants for")].sort_values("date")
    found(f"further warrants on {legal['date'].iloc[0]} and {legal['date'].iloc[-1]}", text)


def test_sierra_leone_and_framework_counts(text):
    dep = table("deployments")
    counts = dep["framework"].value_counts()
    found(f"by framework {counts.get('UN', 0)} are UN operations, {counts.get('NATO', 0)} are NATO-led", text)
    assert "no Sierra Leone deployment" not in text.lower() and counts.get("unknown", 0) == 0
    c12 = table("conflicts").set_index("conflict_id").loc["c12"]
    found(f"({c12['confidence']} confidence: no source here names the contributor", text)


def test_sources_chapter_on_copies_and_data_files(text):
    arms = table("arms_transfers")
    tiv = table("arms_tiv_by_year")
    last = tiv["year"].astype(int).max()
    later = sorted({int(y) for c in arms["delivery_years"] for y in re.findall(r"\d{4}", c) if int(y) > last})
    found(
        f"it is the copy that stops, since sipri_trade_register records deliveries to Mongolia in {later[0]} and {later[-1]}",
        text,
    )
    assert "Mongolia simply has no row" not in text and "cited by no row: world_atlas" not in text


def test_personnel_series_say_what_they_count(text):
    assert "Neither says whether it counts" not in text
    found("counts active forces including paramilitary forces and excluding reserves", text)


def test_personnel_jumps_are_signed_and_iiss_below_cow_years_named(text):
    af = table("armed_forces")
    pv = af.assign(year=af["year"].astype(int), p=pd.to_numeric(af["personnel"])).pivot(
        index="year", columns="measure", values="p"
    )
    pv = pv.reindex(range(pv.index.min(), pv.index.max() + 1))
    d = pv["iiss_active_personnel"].diff()
    big = d[d.abs() > 10000]
    said = " and ".join(f"{'rises' if v > 0 else 'falls'} {abs(v):,.0f} in {y}" for y, v in big.items())
    found(f"the IISS figure {said}", text)
    both = pv.dropna()
    both = both.loc[both.index[both["iiss_active_personnel"] == both["cow_milper"]].min() :]  # from when they agree
    below = sorted(both.index[both["iiss_active_personnel"] < both["cow_milper"]])
    assert below == list(range(below[0], below[-1] + 1))  # one run of years, as the prose words it
    found(f"in {below[0]}–{below[-1]} it is below COW's", text)
    assert "jumps by more than" not in text


def test_icc_refusal_year_read_both_ways(text):
    ev = table("events").set_index("event_id")
    claim = table("claims").set_index("claim_id").loc["forefront_13"]
    w, v = ev.loc["icc_warrant_2023", "date"], ev.loc["putin_visit_2024", "date"]
    assert w[:4] in claim["statement"] and v[:4] not in claim["statement"]
    found(f"can be read two ways. If the year dates the warrant, it is right: the warrant is of {w}", text)
    found(f"the refusal came with the visit of {pd.Timestamp(v):%B %Y}", text)
    found(f"the claim is graded {claim['verdict'].replace('_', ' ')}", text)


def test_russia_is_training_300(text):
    flows = table("training_flows")
    n = flows.loc[(flows["partner"] == "Russia") & (flows["source_id"] == "art_forefront"), "count"].iloc[0]
    found(f"Article B says Russia is training {n} Mongolian military personnel", text)
    assert f"has trained {n}" not in text


def test_chapter_introductions_state_the_data_spans(text):
    """The years typed in the chapters' opening paragraphs are the spans of the tables they describe."""
    us = table("us_training")["fiscal_year"].astype(int)
    found(f"training places for Mongolians over fiscal years {us.min()} to {us.max()}", text)
    ex = table("exercises")
    found(f"the exercise dataset stops in {ex.loc[ex['source_id'] == 'mme', 'year'].astype(int).max()}", text)
    pk = table("pk_monthly")
    pk = pk[pk[["troops", "police", "experts"]].astype(int).sum(axis=1) > 0].sort_values("date")
    found(f"From a handful of military experts in {pk['date'].iloc[0][:4]} its contribution grew", text)
    found(f"What the data here do not give is a monthly head-count after {month(pk['date'].iloc[-1])}", text)
    # the level is claimed on counts only: the years after the last count (the UN head-count of one date)
    # are map-symbol estimates, named as such, up to the last year of the deployment maps
    mng = table("pk_contributors")
    last_count = int(mng.loc[mng["iso3"] == "MNG", "date"].str[:4].astype(int).max())
    found(
        f"For {last_count + 1}-{table('pk_deployments')['year'].astype(int).max()} the only figures are map-symbol "
        "estimates",
        text,
    )
    me = table("military_expenditure")
    real = me[(me["measure"] == "constant_2023_usd_m") & (me["value"] != "")]["year"].astype(int)
    found(f"expenditure from {real.min()} to {real.max()} in constant US dollars", text)


# --------------------------------------------------------------------------- pinned values (moved out of the notebooks)
# The notebooks keep relational checks (the prose's wording follows the data); the values the
# current data give are pinned here, so a data change that moves them is seen and reviewed.
def test_summary_pinned_headline_values(text):
    assert table("agreements")["partner"].nunique() == 10
    found(
        "with defence cooperation agreements with 32 countries, but the datasets and articles together name only 10 (31%)",
        text,
    )
    found('and none of the 16 "actively cooperating" partners it counts', text)
    rel = table("partner_relations")
    assert rel.loc[rel["relation"] == "attache_in_mongolia", "partner"].nunique() == 6
    t = table("training_flows")
    per_year = t[(t["direction"] == "mongolians_abroad") & (t["unit"] == "per_year") & (t["count"] != "")]
    assert per_year["count"].astype(int).sum() == 160
    pk = table("pk_monthly")
    pk["total"] = pk[["troops", "police", "experts"]].astype(int).sum(axis=1)
    peak = pk.loc[pk["total"].idxmax()]
    assert (peak["total"], month(peak["date"])) == (947, "March 2013")


def test_summary_pinned_breadth_of_partners(text):
    found("only 8 have 3 or more kinds of relationship on record", text)
    found("Russia, the United States, Turkey, China, Japan, South Korea, Germany and India", text)
    found("Russia and the United States have the widest relationship, with 7 kinds each", text)
    found(
        "As many as 36 partners appear through a single kind of relationship, 32 of them as fellow participants in exercises",
        text,
    )


def test_opinion_neutrality_has_one_source(text):
    sources = set()
    for name in ("claims", "opinion", "events", "partner_relations"):
        df = table(name)
        hit = df.apply(lambda r: r.astype(str).str.contains("neutral", case=False).any(), axis=1)
        sources |= set(df.loc[hit, "source_id"])
    assert sources == {"art_forefront"}
    tag = table("sources").set_index("source_id").loc["art_forefront", "tag"]
    found(f"all from {tag}: the article calls it a cornerstone", text)


# --------------------------------------------------------------------------- timeline, spending against peers (issue 11)
def test_timeline_split_agreements_with_third_neighbours_arms_from_russia(text):
    ag = table("agreements").drop_duplicates(["partner", "year"])
    third = ag[~ag["partner"].isin(["Russia", "Soviet Union"])]
    found(f"{len(third)} of the {len(ag)} dated defence agreements are with partners other than Russia", text)
    arms = table("arms_transfers")
    post = arms[arms["order_year"].astype(int) >= 1992]
    tiv = post["tiv_delivered"].replace("", "0").astype(float)
    share = tiv[post["supplier"] == "Russia"].sum() / tiv.sum() * 100
    found(f"Russia supplied {share:.0f}% of the major arms delivered since 1992", text)
    years = arms.assign(y=arms["order_year"].astype(int))
    last_soviet = years.loc[years["supplier"] == "Soviet Union", "y"].max()
    first_russian = years.loc[(years["supplier"] == "Russia") & (years["y"] > 1991), "y"].min()
    found(
        f"after the last Soviet order ({last_soviet}) no major weapon was ordered for {first_russian - last_soviet - 1} years",
        text,
    )


def test_spending_share_below_the_peers_median_since(text):
    me = table("military_expenditure")
    own = me[me["measure"] == "share_gdp_pct"].assign(
        year=lambda d: d["year"].astype(int), v=lambda d: d["value"].astype(float)
    )
    own = own.set_index("year")["v"]
    peers = table("peer_military_expenditure")
    peers = peers[
        (peers["measure"] == "share_gdp_pct") & (peers["value"] != "") & ~peers["country"].isin(["China", "Russia"])
    ]
    median = peers.assign(year=peers["year"].astype(int), v=peers["value"].astype(float)).groupby("year")["v"].median()
    below = own.reindex(median.index) < median  # years with a peers' median (a missing own value is not below)
    since = int(below[::-1].cumprod().astype(bool)[::-1].idxmax())  # the first year of the last unbroken run
    assert below.loc[since:].all() and (since == below.index.min() or not below.loc[since - 1])
    found(
        f"its share of GDP has been below the peers' median every year since {since} "
        f"({own[2024]:.2f}% against {median[2024]:.2f}% in 2024)",
        text,
    )


def test_annual_series_attributed_to_the_articles_that_say_so(text):
    """'Annual' is attributed per series to the articles whose claims say it (review item 9): article B's
    claims never name Khaan Quest, so the report must not say both articles call it annual."""
    c = table("claims")
    c = c[c["topic"] == "exercises"]
    annual = c["quote"].str.contains(r"annual|every year", case=False) | c["statement"].str.contains(
        r"annual|every year", case=False
    )
    kq = sorted(set(c.loc[annual & c["statement"].str.contains("Khaan Quest"), "source_id"]))
    sel = sorted(set(c.loc[annual & c["statement"].str.contains("Selenga|Selenge"), "source_id"]))
    assert sel == ["art_forefront", "art_growth"] and kq == ["art_growth"]
    found("Both articles call Selenga annual; article A calls Khaan Quest annual", text)
    assert "Both articles call the two series annual" not in text
