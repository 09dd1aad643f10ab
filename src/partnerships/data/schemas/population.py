"""population: one row per (country, year): total population (World Bank WDI SP.POP.TOTL).

Mongolia, its peers and the two neighbours for 1990-2024, and every country in 2014 and 2021
(the years of the snapshots listing every UN contributor). ``iso3`` is the World Bank's code
(ISO 3166-1 alpha-3; XKX for Kosovo); ``country`` the World Bank's name.
"""

from partnerships.data.schemas._helpers import count, dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "iso3": text(
            required=True, pattern=r"^[A-Z]{3}$", pattern_error="not an ISO alpha-3 code (three capital letters)"
        ),
        "country": text(required=True),
        "year": year(),
        "population": count(required=True),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["iso3", "year"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
