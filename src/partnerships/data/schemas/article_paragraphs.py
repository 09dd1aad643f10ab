"""article_paragraphs: one row per body paragraph of an article (para 1 = first paragraph of the body text), with its first words and vocabulary; the index every ``para N`` locator is checked against."""

from partnerships.data.schemas._helpers import dtypes, integer, locator, schema, source_id, text

SCHEMA = schema(
    {
        "source_id": source_id(),
        "para": integer(required=True, min_value=1),
        "first_words": text(required=True),
        "words": text(
            required=True, pattern=r"^\S+( \S+)*$", pattern_error="not a list of words separated by single spaces"
        ),
        "locator": locator(),
    }
)
DTYPES = dtypes(SCHEMA)
KEY = ["source_id", "para"]
FOREIGN_KEYS = {"source_id": ("sources", "source_id")}
