"""The registers annex: the full lists the main chapters summarise, one row per item, each with the
compact tag of its source and its locator (the only place in the report where locators appear).

* :func:`deal_register`: every deal in SIPRI's trade register, with the condition and terms that
  :mod:`partnerships.analysis.supply_terms` reads from SIPRI's status and comment fields;
* :func:`event_register`: the dated milestones of :func:`partnerships.analysis.timeline.milestones`
  (events, agreements, first editions of exercise series);
* :func:`exercise_register`: every exercise edition as :func:`partnerships.analysis.exercises.editions`
  defines one (sources and spellings of one holding merged).
"""

from __future__ import annotations

import re

import pandas as pd

from partnerships import data
from partnerships.analysis import exercises as exmod
from partnerships.analysis import spending, supply_terms

#: Short words for a deal's condition in the register (from supply_terms.terms' ``second_hand``).
CONDITION_SHORT = {"status": "second-hand", "comment": "rebuilt", "": "new"}
#: Short words for a deal's terms in the register (from supply_terms.terms' ``aid``).
AID_SHORT = {"stated": "aid", "probable": "aid?", "": ""}


def deal_register(arms: pd.DataFrame) -> pd.DataFrame:
    """Every deal, newest order first: order year, supplier, weapon, type, numbers ordered and
    delivered ('?' where SIPRI is unsure), delivery years, TIV delivered, condition (second-hand per
    SIPRI's status; rebuilt: second-hand per the comment although the status says new; new), terms
    (aid, or aid? where the comment says probably aid), and the locator."""
    if "deal_id" not in arms:
        raise ValueError("the arms transfers table needs a deal_id per row for the register")
    d = spending.deals(arms)
    t = supply_terms.terms(arms, None).set_index("deal_id")
    return pd.DataFrame(
        {
            "Order": d["order_year"],
            "Supplier": d["supplier"],
            "Weapon": d["weapon"],
            "Type": d["description"],
            "Ordered": d["ordered"],
            "Deliv.": d["delivered"],
            "Delivered in": d["delivery_years"],
            "TIV": d["tiv_delivered_m"].map(lambda v: f"{v:,.1f}"),
            "Condition": d["deal_id"].map(t["second_hand"]).map(CONDITION_SHORT),
            "Terms": d["deal_id"].map(t["aid"]).map(AID_SHORT),
            "Where": d["locator"].map(_short_locator),
        }
    )


def event_register(milestones: pd.DataFrame) -> pd.DataFrame:
    """The timeline's milestones in order, numbered: date, kind, partner, what, and where it is sourced
    (each source's tag with its locator)."""
    return pd.DataFrame(
        {
            "#": range(1, len(milestones) + 1),
            "Date": milestones["date"].astype(str),
            "Kind": milestones["kind"],
            "Partner": milestones["partner"].fillna(""),
            "What": milestones["milestone"],
            "Source and place": [cite_places(i, loc) for i, loc in zip(milestones["source_id"], milestones["locator"])],
        }
    )


def exercise_register(exercises: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Every dated edition, oldest first: year, name (with its series when the name does not say it),
    type, host, number of foreign partners the sources list, and where it is sourced (each source's
    tag with its locator)."""
    ed = exmod.editions(exercises, participants)
    return pd.DataFrame(
        {
            "Year": ed["year"].astype(int),
            "Edition": [_with_series(n, s) for n, s in zip(ed["name"], ed["series"])],
            "Type": ed["type"].map(exmod.TYPE_LABELS).fillna(ed["type"]),
            "Host": ed["host"].replace("", "–"),
            "Partners": ed["n_partners"].map(lambda n: "–" if pd.isna(n) else f"{int(n)}"),
            "Source and place": [cite_places(i, loc) for i, loc in zip(ed["sources"], ed["locators"])],
        }
    )


def _with_series(name: str, series: str) -> str:
    """'Darkhan 1 (Selenga series)'; 'Khaan Quest 2006' as it is; a one-off edition as it is."""
    if not isinstance(series, str) or series in exmod.NO_SERIES:
        return name
    short = exmod.series_label(series, short=True)

    def letters(t: str) -> str:
        return re.sub(r"[^a-z]", "", t.lower())

    return name if letters(short) in letters(name) else f"{name} ({short} series)"


def cite_places(source_ids: str, locators: str) -> str:
    """'MME mme2874; US FMTR 2006_2007 report: ...' from ';'-separated source ids and locators, the
    locators of one source after its tag ('MME mme1918, mme1927').

    Locators written 'source_id: locator' (as exercise editions list them; a locator may itself hold
    a ';') go with their source; otherwise the n-th locator goes with the n-th source when the counts
    agree, and the tags and the locators are listed one after the other when they do not."""
    ids = [i.strip() for i in str(source_ids).split(";") if i.strip()]
    text = str(locators).strip()
    prefixed = re.compile(r"(?:^|;\s*)(" + "|".join(map(re.escape, ids)) + r"):\s*") if ids else None
    places: dict[str, list[str]] = {}
    if prefixed is not None and prefixed.match(text):
        marks = list(prefixed.finditer(text))
        for m, nxt in zip(marks, marks[1:] + [None]):
            places.setdefault(m.group(1), []).append(text[m.end() : nxt.start() if nxt else len(text)].strip())
    else:
        locs = [p.strip() for p in text.split(";") if p.strip()]
        if len(ids) != len(locs):
            return f"{data.tags(ids)}: {'; '.join(_short_locator(p) for p in locs)}"
        for i, loc in zip(ids, locs):
            places.setdefault(i, []).append(loc)
    return "; ".join(f"{data.tag(i)} {', '.join(_short_locator(p) for p in locs)}" for i, locs in places.items())


def _short_locator(loc: str) -> str:
    """A locator as compact as it stays unambiguous: '(via extract)' and repeated words dropped."""
    loc = re.sub(r"\s*\(via extract\)", "", str(loc))
    return " ".join(loc.split())
