"""pk_missions: one row per (date, UN mission, personnel type, sex, source): Mongolian personnel count (IPI; zero rows left out except each mission's total)."""

from partnerships.data.schemas._helpers import count, date, dtypes, locator, schema, source_id, text

SCHEMA = schema(
    {
        "date": date(),
        "mission": text(required=True),
        "personnel_type": text(
            required=True,
            isin=["troops", "individual_police", "formed_police", "civilian_police", "experts", "observers", "total"],
        ),
        "sex": text(required=True, isin=["male", "female", "total"]),
        "count": count(required=True),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["date", "mission", "personnel_type", "sex", "source_id"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
