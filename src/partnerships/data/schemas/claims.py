"""claims: one row per factual statement of an article, with whether and how it was checked."""

from partnerships.data.schemas._helpers import boolean, dtypes, locator, row_check, schema, source_id, source_ids, text

VERDICTS = ["supported", "contradicted", "partly_supported", "unverifiable", "not_checked"]
# verdicts that report the result of a check: each needs the source(s) it was checked against
CHECKED_VERDICTS = ["supported", "contradicted", "partly_supported"]

SCHEMA = schema(
    {
        "claim_id": text(
            required=True, pattern=r"^[a-z]+_\d{2,3}$", pattern_error="not a claim id (e.g. growth_01, forefront_07)"
        ),
        "source_id": source_id(),
        "locator": locator(),
        "topic": text(
            required=True,
            isin=[
                "history",
                "agreements",
                "partners",
                "attaches",
                "training",
                "equipment",
                "aid",
                "exercises",
                "peacekeeping",
                "visits",
                "legal",
                "opinion",
                "policy",
            ],
        ),
        "partner": text(),
        "statement": text(required=True),
        "quote": text(),  # a few words of the article, verbatim, from the paragraph the locator names (checked by validation)
        "checkable": boolean(),
        "verdict": text(required=True, isin=VERDICTS),
        "checked_against": source_ids(),
        "note": text(),
    },
    checks=[
        row_check(
            ["verdict", "checked_against"],
            lambda df: (~df["verdict"].isin(CHECKED_VERDICTS) | (df["checked_against"].str.strip() != "")).fillna(True),
            "a verdict of supported, partly supported or contradicted needs the source it was checked against",
        ),
    ],
)
DTYPES = dtypes(SCHEMA)
KEY = ["claim_id"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id"), "partner": ("partners", "partner")}
MULTI_FOREIGN_KEYS = {"checked_against": ("sources", "source_id")}
