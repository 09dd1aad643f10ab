"""Canonical country names and ISO 3166 alpha-3 codes, from pycountry plus a small alias table.

Every table names a country by its *partner* name: a short, common English name
("Russia", "South Korea", "United States", "Soviet Union"). ``canonical(name)`` turns any
spelling a source uses into that name; ``to_iso3(name)`` gives its ISO 3166-1 alpha-3 code
(ISO 3166-3 for historical states: the Soviet Union is "SUN").

How a name is resolved, in order:

1. ``data/country_aliases.csv`` (columns ``alias, partner, iso3, kind, note``): name
   variants that pycountry does not resolve, or resolves to a long official name
   ("Russian Federation" -> "Russia", "Türkiye" -> "Turkey", "Korea, South" -> "South
   Korea"). Matching ignores case and runs of spaces. ``iso3`` is filled for historical states
   (checked against pycountry's ISO 3166-3 list by the tests) and for entities pycountry
   does not list (Kosovo's user-assigned "XKX"); for current states it comes from
   pycountry. ``kind`` is ``state``, ``historical`` (ISO 3166-3:
   Soviet Union "SUN", Czechoslovakia "CSK", Yugoslavia "YUG", East Germany "DDR") or
   ``organization`` (NATO: no code, ``to_iso3`` gives ""). Aliases are data: add a row
   there, not an ``if`` here.
2. ``pycountry.countries.lookup`` (current states: name, official name, common name,
   alpha-2/alpha-3 codes); the result is named by its pycountry common name (or name),
   unless that name is itself an alias (then the alias' partner name wins).
3. ``pycountry.historic_countries.lookup`` (ISO 3166-3), same rule.

An unknown name raises ``ValueError`` naming the value.

COW state codes (used by DCAD, ATOP, COW NMC) are mapped in ``data/cow_codes.csv``
(``ccode, cow_abb, partner, valid_from, valid_to``): ``from_cow(ccode, year)``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pycountry

from partnerships import paths
from partnerships.errors import DataError
from partnerships.files import read_csv


@dataclass(frozen=True)
class Country:
    partner: str  # canonical short name
    iso3: str  # ISO 3166-1 alpha-3, ISO 3166-3 for historical states, "" if none (NATO)
    historical: bool


def _read_csv(name: str) -> list[dict[str, str]]:
    path = paths.data_dir() / name
    table, problems = read_csv(path)  # the project's one CSV reader (BOM, CRLF, blank lines)
    if table is None:
        p = problems[0]
        raise DataError(f"{paths.relative(path)}{f':{p.line}' if p.line else ''}: {p.message}", problems)
    return table.records()


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


@functools.lru_cache(maxsize=4)
def _aliases(root: str) -> dict[str, dict[str, str]]:
    return {_key(r["alias"]): r for r in _read_csv("country_aliases.csv")}


def aliases() -> dict[str, dict[str, str]]:
    """The alias table, keyed by normalised alias."""
    return _aliases(str(paths.root()))


def _pycountry_lookup(name: str):
    """(record, historical) from pycountry, or (None, False)."""
    for db, historical in ((pycountry.countries, False), (pycountry.historic_countries, True)):
        try:
            return db.lookup(name), historical
        except LookupError:
            continue
    return None, False


def _name_of(record) -> str:
    return getattr(record, "common_name", None) or record.name


@functools.lru_cache(maxsize=2048)
def _resolve(name: str, root: str) -> Country:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"not a country name: {name!r}")
    table = _aliases(root)
    row = table.get(_key(name))
    if row is not None:
        partner = row["partner"].strip()
        iso3 = row.get("iso3", "").strip()
        kind = row.get("kind", "").strip() or "state"
        if not iso3 and kind != "organization":
            # the alias, or its partner name, or another alias of the same partner
            # current states only: "Burma" is also a historical ISO 3166-3 entry (BUR)
            for candidate in [partner, name] + [r["alias"] for r in table.values() if r["partner"] == partner]:
                try:
                    iso3 = pycountry.countries.lookup(candidate.strip()).alpha_3
                    break
                except LookupError:
                    continue
            else:
                raise ValueError(
                    f"country alias {name!r} -> {partner!r}: no ISO code found (add iso3 in data/country_aliases.csv)"
                )
        return Country(partner, iso3, kind == "historical")
    record, historical = _pycountry_lookup(name.strip())
    if record is None:
        raise ValueError(f"unknown country name: {name!r} (add it to data/country_aliases.csv if it is a variant)")
    # a long official name that has an alias (e.g. "Russian Federation") uses the alias' partner
    for candidate in (record.name, getattr(record, "official_name", None), getattr(record, "common_name", None)):
        if candidate and _key(candidate) in table:
            return Country(table[_key(candidate)]["partner"].strip(), record.alpha_3, historical)
    return Country(_name_of(record), record.alpha_3, historical)


def resolve(name: str) -> Country:
    """The canonical :class:`Country` for any spelling; ``ValueError`` if unknown."""
    return _resolve(name, str(paths.root()))


def canonical(name: str) -> str:
    """The partner name used in every table: ``canonical("Russian Federation") == "Russia"``."""
    return resolve(name).partner


def to_iso3(name: str) -> str:
    """ISO alpha-3 code: ``to_iso3("Soviet Union") == "SUN"``; "" for NATO (no code)."""
    return resolve(name).iso3


@functools.lru_cache(maxsize=4)
def _cow(root: str) -> list[dict[str, str]]:
    return _read_csv("cow_codes.csv")


def from_cow(ccode: int | str, year: int | None = None) -> str:
    """Partner name for a Correlates of War state code (in ``year`` when the code changed meaning)."""
    code = str(int(str(ccode).strip()))
    rows = [r for r in _cow(str(paths.root())) if r["ccode"] == code]
    if year is not None:
        rows = [
            r
            for r in rows
            if (not r["valid_from"] or int(r["valid_from"]) <= int(year))
            and (not r["valid_to"] or int(year) <= int(r["valid_to"]))
        ]
    if not rows:
        raise ValueError(
            f"unknown COW country code: {ccode!r}"
            + (f" in {year}" if year is not None else "")
            + " (see data/cow_codes.csv)"
        )
    if len(rows) > 1:
        raise ValueError(f"COW code {ccode!r} is ambiguous without a year: {', '.join(r['partner'] for r in rows)}")
    return rows[0]["partner"]
