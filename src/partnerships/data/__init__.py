"""The data layer: the curated tables in data/ (load, validate, schemas, importers, countries).

It knows tables, not the subject and not the report engine. ``from partnerships import data``
then ``data.load("exercises")`` is how notebooks and the analysis read a table.
"""

from partnerships.data.tables import (  # noqa: F401
    cite,
    flags,
    load,
    numbers,
    record_dependency,
    sources,
    table_path,
    tables,
    tag,
    tags,
)
