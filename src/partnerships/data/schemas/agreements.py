"""agreements: one row per bilateral defence agreement of Mongolia with a named partner (DCAD 1980-2010; agreements the articles state)."""

from partnerships.data.schemas._helpers import date, dtypes, locator, schema, source_id, text, year

SCHEMA = schema(
    {
        "agreement_id": text(required=True),
        "partner": text(required=True),
        "year": year(),
        "date": date(required=False),
        "type": text(isin=["general", "sector"]),
        "category": text(),
        "description": text(required=True),
        "dcad_source_type": text(isin=["treaty", "factiva"]),
        "confidence": text(isin=["high", "med", "low", "atypical"]),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["agreement_id"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "partner": ("partners", "partner")}
