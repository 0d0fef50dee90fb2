"""Command line: ``kapcourse validate [PATH...]`` and ``kapcourse execute [NOTEBOOK...]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course import course_root, validate


def _validate(args: argparse.Namespace) -> int:
    root = course_root()
    problems = validate(root, [Path(p) for p in args.paths] or None)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("All item banks are valid." if not args.paths else f"{len(args.paths)} bank(s) valid.")
    return 0


def _execute(args: argparse.Namespace) -> int:
    from .execute import execute_notebooks

    root = course_root()
    paths = [Path(p) for p in args.notebooks] or sorted((root / "notebooks").glob("*.ipynb"))
    return execute_notebooks(root, paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kapcourse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check item banks (no path: the whole course)")
    check.add_argument("paths", nargs="*", help="quizzes/NN_slug.yml files")
    check.set_defaults(run=_validate)
    run = commands.add_parser("execute", help="re-execute lesson notebooks in place")
    run.add_argument("notebooks", nargs="*", help="notebooks/NN_slug.ipynb files")
    run.set_defaults(run=_execute)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except FileNotFoundError as exc:
        print(f"kapcourse: {exc}", file=sys.stderr)
        return 2
