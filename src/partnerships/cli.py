"""The command line (the application: it wires the engine to the data layer): ``partnerships build | preview | validate | outputs | chapters | data import``.

Exit codes: 0 success; 1 a chapter failed; 2 a user mistake (bad manifest, parameter or
data: one message names the file/chapter, row/parameter and the valid values);
3 another build is running; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="partnerships", description="Build and check the Mongolia defense-partnerships report."
    )
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="execute the chapters (parallel, cached) and render report/<name>.html and .pdf")
    b.add_argument("--manifest", type=Path, default=None, help="manifest file (default: report.yml at the root)")
    b.add_argument("--jobs", "-j", type=int, default=None, help="chapters executed at once (default: CPU count)")
    b.add_argument("--no-cache", action="store_true", help="execute every chapter even if unchanged")
    b.add_argument("--only", metavar="CHAPTER", help="execute one chapter (id or notebook name) into build/preview/")
    b.add_argument("--no-pdf", action="store_true", help="render the HTML only")

    pv = sub.add_parser("preview", help="serve the report on localhost; rebuild (HTML only) and reload on every change")
    pv.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    pv.add_argument("--jobs", "-j", type=int, default=None)
    pv.add_argument("--manifest", type=Path, default=None)

    v = sub.add_parser("validate", help="check every table in data/ (exit 2 on any problem)")
    from partnerships.data.cli_validate import add_arguments

    add_arguments(v)

    o = sub.add_parser("outputs", help="refresh the committed outputs of notebooks/ (default parameters)")
    o.add_argument("--jobs", "-j", type=int, default=None)
    o.add_argument("--check", action="store_true", help="only report notebooks whose outputs are stale")
    o.add_argument("notebooks", nargs="*", type=Path)

    pub = sub.add_parser("publish", help="register the last build's facts as an edition in editions/<edition date>/")
    pub.add_argument("--note", required=True, help="one line: what this edition is")
    pub.add_argument("--force", action="store_true", help="replace an edition already registered under the same date")
    pub.add_argument("--manifest", type=Path, default=None)

    df = sub.add_parser(
        "diff", help="what changed between two editions (dates in editions/, or `working` for the last build)"
    )
    df.add_argument("old", help="an edition date in editions/, or `working`")
    df.add_argument("new", nargs="?", default="working", help="an edition date, or `working` (default)")
    df.add_argument("--manifest", type=Path, default=None)

    c = sub.add_parser("chapters", help="list the chapters the manifest expands to")
    c.add_argument("--manifest", type=Path, default=None)

    d = sub.add_parser("data", help="data maintenance")
    dsub = d.add_subparsers(dest="data_command", required=True)
    imp = dsub.add_parser("import", help="rebuild curated table(s) from an upstream file and record its sha256")
    imp.add_argument("source", help="source id in data/sources.csv (e.g. sipri_milex)")
    imp.add_argument("file", type=Path, help="the upstream file as downloaded from the producer")
    return p


def _facts_extra() -> dict:
    """What the data layer adds to an edition's facts: every source and its dates."""
    from partnerships import paths
    from partnerships.data.tables import source_facts

    return {"sources": source_facts()} if (paths.data_dir() / "sources.csv").is_file() else {}


def _same_checkout() -> None:
    """Refuse to build a checkout with another checkout's package (its .venv): the report
    would mix this checkout's data and notebooks with the other's code."""
    import os

    from partnerships import paths
    from partnerships.errors import UserError

    own = paths.root() / "src" / "partnerships"
    if not os.environ.get("PARTNERSHIPS_ROOT") and own.is_dir() and own.resolve() != paths.PACKAGE:
        raise UserError(
            f"this command runs the partnerships package of another checkout ({paths.PACKAGE}), not this "
            f"project's ({own}); run `make setup` here and use .venv/bin/partnerships of this project"
        )


@contextmanager
def _sigterm_as_interrupt():
    """SIGTERM stops a build the way Ctrl-C does (workers and kernels stopped, report/ kept)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from partnerships.errors import BuildFailed, Busy, UserError

    try:
        if args.command == "build":
            from partnerships.data.validate import build_problems
            from partnerships.engine.build import Check, build

            _same_checkout()
            with _sigterm_as_interrupt():
                build(
                    args.manifest,
                    jobs=args.jobs,
                    use_cache=not args.no_cache,
                    only=args.only,
                    with_pdf=not args.no_pdf,
                    checks=[Check("data/", build_problems)],
                    facts_extra=_facts_extra,
                )
            return 0
        if args.command == "preview":
            from partnerships.data.validate import build_problems
            from partnerships.engine.build import Check, build
            from partnerships.engine.preview import serve

            def one_build(memo, html_to):
                build(
                    args.manifest, jobs=args.jobs, checks=[Check("data/", build_problems)], html_to=html_to, memo=memo
                )

            serve(one_build, port=args.port)
            return 0
        if args.command == "validate":
            from partnerships.data.cli_validate import run

            return run(args)
        if args.command == "outputs":
            from partnerships.engine.outputs import refresh_outputs

            changed = refresh_outputs([p.resolve() for p in args.notebooks] or None, jobs=args.jobs, check=args.check)
            return 1 if (args.check and changed) else 0
        if args.command in ("publish", "diff"):
            from partnerships import paths
            from partnerships.engine import editions
            from partnerships.engine.manifest import load

            name = load(args.manifest).meta["name"]
            working = paths.report_dir() / f"{name}.facts.json"
            if args.command == "publish":
                folder = editions.publish(working, args.note, force=args.force)
                print(f"registered edition {folder.name} in {paths.relative(folder)}/")
                return 0
            old, new = editions.load_edition(args.old, working), editions.load_edition(args.new, working)
            print("\n".join(editions.as_lines(editions.diff(old, new), args.old, args.new)))
            return 0
        if args.command == "chapters":
            from partnerships.engine.manifest import load

            for ch in load(args.manifest).chapters:
                params = ", ".join(f"{k}={v!r}" for k, v in ch.parameters.items())
                print(f"{ch.id:<40} {ch.notebook.as_posix()}  {params}")
            return 0
        if args.command == "data":
            from partnerships.data.importers import ImportError_, run_import

            try:
                rows = run_import(args.source, args.file)
            except (ImportError_, KeyError, FileNotFoundError) as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(f"{args.source}: wrote {rows} row(s) from {args.file.name}; sha256 recorded in data/sources.csv")
            return 0
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Busy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Busy.exit_code
    except BuildFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted; report/ left as it was", file=sys.stderr)
        return 130
    except OSError as exc:  # the machine: disk full, read-only folder
        from partnerships.errors import environment_message

        print(f"error: {environment_message(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
