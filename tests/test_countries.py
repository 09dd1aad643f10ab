"""Canonical country names (pycountry + data/country_aliases.csv) and COW codes."""

from __future__ import annotations

import pandas as pd
import pycountry
import pytest

from partnerships.data import countries
from partnerships.data.validate import read_table


@pytest.fixture(autouse=True)
def repo_root(monkeypatch):
    monkeypatch.delenv("PARTNERSHIPS_ROOT", raising=False)


@pytest.mark.parametrize(
    "name, partner, iso3",
    [
        ("USA", "United States", "USA"),
        ("United States of America", "United States", "USA"),
        ("Russian Federation", "Russia", "RUS"),
        ("Russia", "Russia", "RUS"),
        ("Republic of Korea", "South Korea", "KOR"),
        ("Korea, South", "South Korea", "KOR"),
        ("Korea, Republic of South", "South Korea", "KOR"),  # FMTR heading as printed
        ("South Korea", "South Korea", "KOR"),
        ("North Korea", "North Korea", "PRK"),
        ("Turkiye", "Turkey", "TUR"),
        ("Türkiye", "Turkey", "TUR"),
        ("UK", "United Kingdom", "GBR"),
        ("China, People's Republic of", "China", "CHN"),
        ("Viet Nam", "Vietnam", "VNM"),
        ("Burma ", "Myanmar", "MMR"),  # FMTR heading with a trailing space; not the historical BUR
        ("Papua-New Guinea", "Papua New Guinea", "PNG"),
        ("japan", "Japan", "JPN"),
        ("DEU", "Germany", "DEU"),
        ("Kosovo", "Kosovo", "XKX"),
    ],
)
def test_canonical_and_iso3(name, partner, iso3):
    assert countries.canonical(name) == partner
    assert countries.to_iso3(name) == iso3


def test_historical_states():
    soviet = countries.resolve("Soviet Union")
    assert (soviet.partner, soviet.iso3, soviet.historical) == ("Soviet Union", "SUN", True)
    assert countries.canonical("USSR") == "Soviet Union"
    assert countries.to_iso3("Czechoslovakia") == "CSK"
    assert countries.resolve("Russia").historical is False


def test_organization_has_no_code():
    assert countries.canonical("NATO") == "NATO"
    assert countries.to_iso3("NATO") == ""


def test_unknown_name_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^unknown country name: 'Atlantis' \(add it to data/country_aliases.csv"):
        countries.canonical("Atlantis")
    with pytest.raises(ValueError, match=r"not a country name: ''"):
        countries.to_iso3("")


def test_cow_codes_depend_on_the_year():
    assert countries.from_cow(365, 1975) == "Soviet Union"
    assert countries.from_cow(365, 1992) == "Russia"
    assert countries.from_cow("732") == "South Korea"
    assert countries.from_cow(345, 2012) == "Serbia"
    with pytest.raises(ValueError, match=r"COW code 365 is ambiguous without a year: Soviet Union, Russia"):
        countries.from_cow(365)
    with pytest.raises(ValueError, match=r"unknown COW country code: 9999"):
        countries.from_cow(9999, 2000)


def test_every_partner_row_is_canonical_with_its_code():
    partners = read_table("partners")
    for row in partners.itertuples():
        c = countries.resolve(row.partner)
        assert c.partner == row.partner, row.partner
        assert c.iso3 == row.iso3, row.partner
        assert bool(c.historical) == bool(row.historical), row.partner


def test_aliases_resolve_and_historical_codes_exist_in_pycountry():
    aliases = read_table("country_aliases")
    for row in aliases.itertuples():
        assert countries.canonical(row.alias) == row.partner
        assert countries.canonical(row.partner) == row.partner
        if row.kind == "historical":
            assert pycountry.historic_countries.get(alpha_3=row.iso3) is not None, row.alias


def test_partners_cover_the_articles_and_the_extract_countries():
    partners = set(read_table("partners")["partner"])
    named = {
        "Soviet Union",
        "Iraq",
        "Afghanistan",
        "Kosovo",
        "Sierra Leone",
        "South Sudan",
        "Russia",
        "China",
        "United States",
        "South Korea",
        "Turkey",
        "Japan",
        "Germany",
        "India",
        "France",
        "Ukraine",
    }
    assert named <= partners
    # SIPRI suppliers, DCAD partners, FMTR other countries as canonical names
    assert {"Poland", "Australia", "Bulgaria", "Kazakhstan", "Qatar", "Taiwan", "Hong Kong", "Micronesia"} <= partners
    profile = read_table("partners").query("profile")["partner"]
    # who has a profile follows the substance rule (tests/test_profile.py); the three big partners always do
    assert {"Russia", "China", "United States"} <= set(profile)


def test_cow_table_partners_are_canonical():
    cow = read_table("cow_codes")
    assert all(countries.canonical(p) == p for p in cow["partner"])
    assert isinstance(cow, pd.DataFrame) and cow["ccode"].is_unique is False  # 345 and 365 have two periods
