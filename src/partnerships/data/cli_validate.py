"""`partnerships validate`: check every table in data/ against its schema.

Prints each problem as ``data/<file>.csv:<row>: <column>: <what is wrong> (<value>)``
(row = editor line number, header = line 1) and returns 2 if there is any problem;
otherwise prints "N tables, M rows: OK" and returns 0.
"""

from __future__ import annotations

import sys


def run(args=None) -> int:
    from partnerships.data.validate import check_all

    no_cache = bool(getattr(args, "no_cache", False))
    report = check_all(use_cache=not no_cache)
    for problem in report.problems:
        print(problem, file=sys.stdout)
    if report.problems:
        print(report.summary(), file=sys.stderr)
        return 2
    print(report.summary())
    return 0


def add_arguments(parser) -> None:
    """Options for the subcommand (the CLI may call this on its `validate` subparser)."""
    parser.add_argument("--no-cache", action="store_true", help="check every table, even unchanged ones")
