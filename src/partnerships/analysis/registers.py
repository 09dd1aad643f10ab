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
    """The timeline's milestones in order, numbered: date, kind, partner, what, source tag, locator."""
    return pd.DataFrame(
        {
            "#": range(1, len(milestones) + 1),
            "Date": milestones["date"].astype(str),
            "Kind": milestones["kind"],
            "Partner": milestones["partner"].fillna(""),
            "What": milestones["milestone"],
            "Source": milestones["source_id"].map(data.tags),
            "Where": milestones["locator"].astype(str).map(_short_locator),
        }
    )


def exercise_register(exercises: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Every dated edition, oldest first: year, name, series, type, host, number of foreign partners
    the sources list, source tags and locators."""
    ed = exmod.editions(exercises, participants)
    return pd.DataFrame(
        {
            "Year": ed["year"].astype(int),
            "Edition": ed["name"],
            "Series": ed["series_label"].where(~ed["series"].isin(exmod.NO_SERIES), "–"),
            "Type": ed["type"].map(exmod.TYPE_LABELS).fillna(ed["type"]),
            "Host": ed["host"].replace("", "–"),
            "Partners": ed["n_partners"].map(lambda n: "–" if pd.isna(n) else f"{int(n)}"),
            "Source": ed["sources"].map(data.tags),
            "Where": ed["locators"].map(lambda s: _short_locator(_drop_source_prefix(s))),
        }
    )


def _drop_source_prefix(locators: str) -> str:
    """'mme: mme2874; fmtr: 2006_2007 report: ...' -> 'mme2874; 2006_2007 report: ...'."""
    return "; ".join(re.sub(r"^[a-z_]+:\s*", "", p.strip()) for p in str(locators).split(";") if p.strip())


def _short_locator(loc: str) -> str:
    """A locator as compact as it stays unambiguous: '(via extract)' and repeated words dropped."""
    loc = re.sub(r"\s*\(via extract\)", "", str(loc))
    return " ".join(loc.split())
