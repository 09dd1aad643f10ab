"""conflicts: one row per point where two sources (or a source and a dataset) disagree, with both sides."""

from partnerships.data.schemas._helpers import dtypes, row_check, schema, source_id, source_ids, text

CONFIDENCE = ["high", "moderate", "low"]

SCHEMA = schema(
    {
        "conflict_id": text(required=True, pattern=r"^c\d{2}$", pattern_error="not a conflict id (c01, c02, ...)"),
        "topic": text(required=True),
        "side_a": text(required=True),
        "source_a": source_id(),
        "side_b": text(required=True),
        "source_b": source_ids(required=True),
        "resolution": text(required=True),
        "status": text(required=True, isin=["resolved", "unresolved", "definitional"]),
        "confidence": text(isin=CONFIDENCE),  # how sure the resolution is (required when resolved)
        "claim_ids": text(
            pattern=r"^[a-z]+_\d{2,3}(;[a-z]+_\d{2,3})*$", pattern_error="not a ';'-separated list of claim ids"
        ),
    },
    checks=[
        row_check(
            ["status", "confidence"],
            lambda df: (df["status"] != "resolved") | (df["confidence"].str.strip() != ""),
            "a resolved conflict states its confidence (high, moderate or low)",
        ),
    ],
)
DTYPES = dtypes(SCHEMA)
KEY = ["conflict_id"]
FOREIGN_KEYS = {"source_a": ("sources", "source_id")}
MULTI_FOREIGN_KEYS = {"source_b": ("sources", "source_id"), "claim_ids": ("claims", "claim_id")}
