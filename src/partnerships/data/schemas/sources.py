"""sources: one row per source (article, public dataset, fact-check page); every other table's ``source_id`` points here."""

from partnerships.data.schemas._helpers import DATE_PATTERN, SHA256_LIST_PATTERN, date, dtypes, schema, source_id, text

SCHEMA = schema(
    {
        "source_id": source_id(),
        "short": text(required=True),  # the short citation printed under figures and tables
        "tag": text(required=True),  # the compact citation in a table cell ("Article A", "SIPRI arms")
        "producer": text(required=True),
        "title": text(required=True),
        "published": text(pattern=DATE_PATTERN, pattern_error="not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        "url": text(pattern=r"^https?://\S+$", pattern_error="not an http(s) URL"),
        "licence": text(required=True),
        "accessed": date(),
        "sha256": text(
            pattern=SHA256_LIST_PATTERN,
            pattern_error="not a sha256 (64 lower-case hex digits; several separated by ';')",
        ),
        "note": text(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["source_id"]
FOREIGN_KEYS: dict = {}
