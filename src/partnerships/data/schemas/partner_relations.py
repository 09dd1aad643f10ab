"""partner_relations: one row per stated relationship between Mongolia and one partner (from the articles)."""

from partnerships.data.schemas._helpers import dtypes, locator, schema, source_id, text

RELATIONS = [
    "agreement",
    "active_cooperation",
    "equipment_supplier",
    "attache_in_mongolia",
    "mongolian_attache_there",
    "students_hosted",
    "training",
    "exercises",
    "aid",
    "visits",
    "facilities",
]

SCHEMA = schema(
    {
        "partner": text(required=True),
        "relation": text(required=True, isin=RELATIONS),
        "detail": text(required=True),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["partner", "relation", "source_id", "locator"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "partner": ("partners", "partner")}
