"""arms_transfers: one row per SIPRI trade-register deal with Mongolia as recipient; TIV in SIPRI trend-indicator millions (a volume index, not prices)."""

from partnerships.data.schemas._helpers import boolean, count, dtypes, locator, number, schema, source_id, text, year

SCHEMA = schema(
    {
        "deal_id": text(
            required=True, pattern=r"^[a-z0-9-]+$", pattern_error="not a deal id (lower case, digits, hyphens)"
        ),
        "supplier": text(required=True),
        "weapon_designation": text(required=True),
        "weapon_description": text(required=True),
        "number_ordered": count(),
        "number_ordered_uncertain": boolean(),
        "order_year": year(),
        "order_year_uncertain": boolean(),
        "delivery_years": text(pattern=r"^\d{4}(; \d{4})*$", pattern_error="not a '; '-separated list of years"),
        "number_delivered": count(),
        "number_delivered_uncertain": boolean(),
        "tiv_per_unit": number(min_value=0),
        "tiv_total_order": number(min_value=0),
        "tiv_delivered": number(min_value=0),
        "status": text(required=True),
        "comments": text(),
        "source_id": source_id(),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["deal_id"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "supplier": ("partners", "partner")}
