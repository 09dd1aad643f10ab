"""Alliance treaties (ATOP): bilateral treaty obligations apart from memberships of multilateral treaties.

ATOP's dyad-years say which obligations hold between Mongolia and a partner (defence,
non-aggression, consultation ...), not whether they come from a treaty between the two or
from a multilateral treaty both joined. ``data/alliances.csv`` records the treaty each spell
belongs to, with its citation and the confidence of the attribution. A spell of a
multilateral treaty is shown as *membership of that treaty*, never as a bilateral commitment
or a dimension of the bilateral relationship. A spell that runs to the last year of the data
is "in force at the end of the data (2018)": ATOP stops there, the treaty does not.
"""

from __future__ import annotations

import pandas as pd

from partnerships.data import flags, numbers

FLAGS = ["defense", "offense", "neutral", "nonagg", "consul"]
FLAG_WORDS = {
    "defense": "defence",
    "offense": "offence",
    "neutral": "neutrality",
    "nonagg": "non-aggression",
    "consul": "consultation",
}


def data_end(alliances: pd.DataFrame) -> int:
    """The last year the ATOP data cover (the latest ``year_to`` in the table)."""
    return int(numbers(alliances["year_to"]).max())


def is_multilateral(alliances: pd.DataFrame) -> pd.Series:
    """True for spells of a multilateral treaty (the table's ``multilateral`` column)."""
    return flags(alliances["multilateral"]).astype(bool)


def bilateral(alliances: pd.DataFrame) -> pd.DataFrame:
    """The spells of treaties between Mongolia and the partner alone."""
    return alliances[~is_multilateral(alliances)]


def memberships(alliances: pd.DataFrame) -> pd.DataFrame:
    """The spells that are memberships of a multilateral treaty (not bilateral ties)."""
    return alliances[is_multilateral(alliances)]


def obligations(row) -> str:
    """'defence and non-aggression' for a spell's ATOP flags ('alliance' if none is set)."""
    held = [FLAG_WORDS[f] for f in FLAGS if str(row.get(f, "")).strip() in ("1", "True", "true")]
    if not held:
        return "alliance"
    return held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]


def in_force(year_from, year_to, end: int) -> str:
    """'in force 1967–1991', 'in force in 1992', or 'from 2005, in force at the end of the data (2018)'."""
    y0, y1 = int(year_from), int(year_to)
    if y1 >= end:
        return f"from {y0}, in force at the end of the data ({end})"
    return f"in force in {y0}" if y0 == y1 else f"in force {y0}–{y1}"


def _the(treaty: str) -> str:
    return treaty if treaty.lower().startswith(("a ", "an ", "the ")) else f"the {treaty}"


def describe(row, end: int) -> str:
    """One spell in words: a bilateral treaty obligation, or membership of a multilateral treaty.

    A treaty attribution of low confidence says so (the dyad-year data carry no treaty id)."""
    span = in_force(row["year_from"], row["year_to"], end)
    unsure = str(row.get("treaty_confidence", "")).strip() == "low"
    if str(row.get("multilateral", "")).strip().lower() in ("true", "1"):
        text = (
            f"Membership of a multilateral treaty, not a bilateral tie: both are parties to {_the(row['treaty'])}, {span}; "
            f"ATOP codes it as a {obligations(row)} obligation"
        )
    else:
        text = f"{obligations(row).capitalize()} obligations under {_the(row['treaty'])}, {span}"
    return text + ("; which treaty ATOP codes here is inferred (low confidence)" if unsure else "")


def treaty_overview(alliances: pd.DataFrame) -> dict:
    """What ATOP records for Mongolia, split by kind of treaty (for prose).

    Returns: end (last year of the data); last_defence (row of the latest defence pact spell, or None);
    bilateral_at_end (partners with a bilateral treaty spell in force at the end); memberships_at_end
    (treaty -> number of partners sharing it at the end); n_partners_at_end.
    """
    end = data_end(alliances)
    at_end = alliances[numbers(alliances["year_to"]) == end]
    defence = alliances[numbers(alliances["defense"]) == 1].sort_values("year_to", kind="mergesort")
    multi = memberships(at_end)
    return {
        "end": end,
        "last_defence": defence.iloc[-1] if len(defence) else None,
        "bilateral_at_end": sorted(bilateral(at_end)["partner"]),
        "memberships_at_end": multi.groupby("treaty")["partner"].nunique().sort_values(ascending=False).to_dict(),
        "n_partners_at_end": int(at_end["partner"].nunique()),
    }
