"""Command line: ``kapcourse validate [PATH...]``, ``review-due [--all]``,
``execute [NOTEBOOK...]``, ``export [--name NAME]``, ``report RESULTS... [--output DIR]``,
``fingerprints [--release X.Y.Z]`` and ``answer-keys [--output DIR]``.

Bad input never ends in a traceback: every command reports it as
``kapcourse: file[:line[:column]]: message`` and exits with status 1."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import yaml

from kapcourse.bank.course import bibliography, course_root
from kapcourse.bank.model import BankError
from kapcourse.checks import check, currency_claims
from kapcourse.record.results import ResultsError
from kapcourse.record.store import ProgressUnavailable


def _validate(args: argparse.Namespace) -> int:
    root = course_root()
    checked = check(root, [Path(p) for p in args.paths] or None, args.today)
    for problem in checked.warnings:  # reviews due soon: reported, but they do not fail
        print(f"{problem} [warning]", file=sys.stderr)
    for problem in checked.errors:
        print(problem, file=sys.stderr)
    if checked.warnings:
        print(f"{len(checked.warnings)} warning(s): see `kapcourse review-due`.", file=sys.stderr)
    if checked.errors:
        print(f"{len(checked.errors)} problem(s) found.", file=sys.stderr)
        return 1
    print("All item banks are valid." if not args.paths else f"{len(args.paths)} bank(s) valid.")
    return 0


def _review_due(args: argparse.Namespace) -> int:
    from kapcourse.bank.currency import WARN_DAYS, review_listing

    root = course_root()
    claims, problems = currency_claims(root, _load_banks(root))
    for problem in problems:
        print(problem, file=sys.stderr)
    today = args.today or dt.date.today()
    lines = review_listing(claims, today, everything=args.all)
    for line in lines:
        print(_printable(line))
    scope = "tagged claim(s)" if args.all else f"claim(s) due within {WARN_DAYS} days or overdue"
    print(f"{len(lines)} {scope} as of {today.isoformat()} ({len(claims)} tagged in all).")
    return 1 if problems else 0


def _load_banks(root: Path) -> dict:
    """Every bank of the course, loaded with its citations checked; a bad bank raises
    BankError (``kapcourse validate`` lists all the problems)."""
    from kapcourse.bank.model import bank_paths, load_bank

    citations = set(bibliography(root))
    return {path.stem: load_bank(path, citations, str(path.relative_to(root)))
            for path in bank_paths(root / "quizzes")}


def _iso_date(text: str) -> dt.date:
    """argparse type for --today: a real date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


class InputError(ValueError):
    """A file given on the command line that the command cannot use; the message names it."""


def _execute(args: argparse.Namespace) -> int:
    from kapcourse.book.execute import execute_notebooks

    root = course_root()
    paths = [Path(p) for p in args.notebooks] or sorted((root / "notebooks").glob("*.ipynb"))
    for path in paths:
        _check_notebook(path)  # before any kernel starts
    return execute_notebooks(root, paths)


def _check_notebook(path: Path) -> None:
    import nbformat

    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not a Jupyter notebook (not UTF-8 text at byte "
                         f"{exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: not a Jupyter notebook "
                         f"({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise InputError(f"{path}: not a Jupyter notebook (it has no list of cells)")
    try:
        nbformat.validate(nbformat.reads(text, as_version=4))
    except nbformat.ValidationError as exc:
        reason = str(exc).splitlines()[0]
        raise InputError(f"{path}: not a valid Jupyter notebook ({reason})") from None


def _export(args: argparse.Namespace) -> int:
    from kapcourse import __version__
    from kapcourse.record.results import make_export, write_export
    from kapcourse.record.store import ProgressStore

    store = ProgressStore.default()
    export = make_export(store.read(), __version__, args.name)
    _add_evaluation(export, store)
    _add_pretest(export, store)
    if store.warning:
        print(_printable(store.warning), file=sys.stderr)
    path = write_export(export, Path(args.output))
    who = f"named {export['learner']!r}" if export["learner"] else "anonymous"
    print(f"Wrote {path} ({who}, {len(export['items'])} answered questions).")
    return 0


def _add_evaluation(export: dict, store) -> None:
    """An anonymous export carries the learner's course evaluation (see
    kapcourse.record.evaluation)."""
    from kapcourse.record.evaluation import add_to_export, course_form, read_saved

    form = course_form(course_root())
    if form is not None:
        add_to_export(export, read_saved(store, form)[0], form)


def _add_pretest(export: dict, store) -> None:
    """Every export carries the learner's submitted or unfinished pre-test
    (kapcourse.record.pretest)."""
    from kapcourse.record.pretest import add_to_export, read_saved

    add_to_export(export, read_saved(store)[0])


def _report(args: argparse.Namespace) -> int:
    from kapcourse import __version__
    from kapcourse.record.final import course_parts
    from kapcourse.record.versions import tables
    from kapcourse.workshop.report import analyse, evaluations, pool, set_aside_text, write_report

    banks, final = course_parts(course_root())  # the course is read once per report
    files = [p for arg in args.results for p in
             (sorted(Path(arg).glob("*.json")) if Path(arg).is_dir() else [Path(arg)])]
    pooled = pool(files, __version__, banks, final, tables=tables(course_root(), banks))
    try:  # what the analysis needs of the whole cohort waits on disk (workshop.cohort)
        for file, reason in pooled.skipped:
            print(_printable(f"skipped {file}: it {reason}"), file=sys.stderr)
        report = analyse(pooled, banks, final)
        print(_printable(set_aside_text(report)))
        html_path, md_path = write_report(report, Path(args.output))
        print(f"Pooled {report.learners} learner(s) from {len(files)} file(s); "
              f"report: {html_path} and {md_path}")
        _report_evaluations(evaluations(pooled.exports), Path(args.output))
    finally:
        pooled.exports.close()
    return 0 if report.learners else 1


def _report_evaluations(exports: list[dict], folder: Path) -> None:
    """The cohort's course evaluations, beside the item analysis."""
    from kapcourse.record.evaluation import course_form
    from kapcourse.workshop.evaluation_report import write_summary

    form = course_form(course_root())
    if form is not None:
        summary, paths = write_summary(exports, form, folder)
        print(f"Course evaluations: {summary.n} (in {paths[0]} and {paths[1]})"
              + (f"; {summary.skipped} could not be read" if summary.skipped else ""))


def _fingerprints(args: argparse.Namespace) -> int:
    from kapcourse import __version__
    from kapcourse.record.versions import FINGERPRINTS, fingerprints_file

    root = course_root()
    release = args.release or __version__
    path = Path(args.output) if args.output else root / FINGERPRINTS / f"{release}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = fingerprints_file(root, release)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Wrote the fingerprints of {len(data['fingerprints'])} questions of release "
          f"{release} to {path}.")
    return 0


def _answer_keys(args: argparse.Namespace) -> int:
    from kapcourse.workshop.facilitator import write_answer_keys

    written = write_answer_keys(course_root(), Path(args.output))
    print(f"Wrote {len(written)} answer keys to {args.output}/ (print them from a browser).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kapcourse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    checks = commands.add_parser("validate", help="check item banks (no path: the whole course)")
    checks.add_argument("paths", nargs="*", help="quizzes/NN_slug.yml files")
    checks.add_argument("--today", type=_iso_date, help="check review dates as of this date "
                                                         "(YYYY-MM-DD; default: today)")
    checks.set_defaults(run=_validate)
    due = commands.add_parser("review-due", help="list time-limited claims due for review")
    due.add_argument("--all", action="store_true", help="list every tagged claim, not only "
                                                        "those due within 60 days")
    due.add_argument("--today", type=_iso_date, help="as of this date (YYYY-MM-DD)")
    due.set_defaults(run=_review_due)
    run = commands.add_parser("execute", help="re-execute lesson notebooks in place")
    run.add_argument("notebooks", nargs="*", help="notebooks/NN_slug.ipynb files")
    run.set_defaults(run=_execute)
    out = commands.add_parser("export", help="export your quiz results for a facilitator")
    out.add_argument("--name", help="add your name (exports are anonymous without it)")
    out.add_argument("--output", default=".", help="folder to write the export to")
    out.set_defaults(run=_export)
    pooled = commands.add_parser("report", help="pool results exports into an item analysis")
    pooled.add_argument("results", nargs="+", help="export files, or folders of them")
    pooled.add_argument("--output", default="workshop-report", help="folder for the report")
    pooled.set_defaults(run=_report)
    prints = commands.add_parser("fingerprints", help="write the questions' fingerprints of a "
                                 "release (the release checklist runs it)")
    prints.add_argument("--release", help="the release (default: this package's version)")
    prints.add_argument("--output", help="the file (default: quizzes/fingerprints/RELEASE.json)")
    prints.set_defaults(run=_fingerprints)
    keys = commands.add_parser("answer-keys", help="write a printable answer key per lesson")
    keys.add_argument("--output", default="_build/answer-keys", help="folder for the keys")
    keys.set_defaults(run=_answer_keys)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (BankError, ResultsError, InputError, OSError, UnicodeDecodeError, yaml.YAMLError,
            RecursionError) as exc:
        print(_printable(_error_message(exc)), file=sys.stderr)
        return 1


def _error_message(exc: Exception) -> str:
    """``kapcourse: file[:line[:column]]: message`` for an error that bad input causes."""
    if isinstance(exc, BankError):
        return "\n".join(f"kapcourse: {problem}" for problem in exc.problems)
    if isinstance(exc, ProgressUnavailable | ResultsError | InputError):
        return f"kapcourse: {exc}"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"kapcourse: {where}{exc.strerror or exc}"
    if isinstance(exc, UnicodeDecodeError):
        return f"kapcourse: a file is not UTF-8 text ({exc.reason} at byte {exc.start})"
    if isinstance(exc, yaml.YAMLError):
        return f"kapcourse: {' '.join(str(exc).split())}"
    return "kapcourse: a file is nested too deeply to be read"  # RecursionError


def _printable(text: str) -> str:
    """Text from files (names, versions) without terminal control characters."""
    return "".join(c if c.isprintable() or c == "\n" else "?" for c in text)
