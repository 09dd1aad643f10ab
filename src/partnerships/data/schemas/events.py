"""events: one row per dated event on the timeline, with the precision its source gives (an event that lasted gives its span: date to end_date)."""

from partnerships.data.schemas._helpers import date, dtypes, locator, row_check, schema, source_id, text, year

SCHEMA = schema(
    {
        "event_id": text(
            required=True,
            pattern=r"^[a-z][a-z0-9_]*$",
            pattern_error="not an id (lower case letters, digits, underscores)",
        ),
        "date": date(),
        "end_date": date(required=False),  # last date of an event that spans time (empty for a single date)
        "precision": text(required=True, isin=["day", "month", "year", "decade"]),
        "year": year(),
        "event": text(required=True),
        "partner": text(),
        "category": text(
            required=True,
            isin=[
                "visit",
                "agreement",
                "exercise",
                "legal",
                "anniversary",
                "withdrawal",
                "deployment",
                "training",
                "other",
            ],
        ),
        "status": text(required=True, isin=["confirmed", "as_reported", "contradicted"]),
        "source_id": source_id(),
        "locator": locator(),
        # the source of the end date when another source than the start's dates it (empty: source_id dates both)
        "end_source_id": source_id(required=False),
        "end_locator": text(),
        "note": text(),
    },
    checks=[
        row_check(
            ["date", "year"],
            lambda df: df["date"].str[:4] == df["year"].astype("string"),
            "year does not match the date",
        ),
        row_check(
            ["date", "end_date"],
            lambda df: (df["end_date"].str.strip() == "") | (df["end_date"] >= df["date"]),
            "end_date is before date",
        ),
        row_check(
            ["end_source_id", "end_date"],
            lambda df: (df["end_source_id"].str.strip() == "") | (df["end_date"].str.strip() != ""),
            "end_source_id without an end_date",
        ),
    ],
)
DTYPES = dtypes(SCHEMA)
KEY = ["event_id"]
FOREIGN_KEYS = {
    "source_id": ("sources", "source_id"),
    "end_source_id": ("sources", "source_id"),
    "partner": ("partners", "partner"),
}
