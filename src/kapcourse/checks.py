"""Course-wide checks (``kapcourse validate``): every bank, the final assessment, ids,
lessons and banks in pairs, notebooks, glossary, agenda, evaluation form, bibliography,
the migration table and time-limited claims. It sits above the modules it checks, so none of
them imports it (tests/test_import_cycles.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kapcourse.bank import quality as item_quality
from kapcourse.bank.citations import label
from kapcourse.bank.course import (
    GLOSSARY,
    Reference,
    bibliography,
    code_cells,
    config_problems,
    lesson_stems,
    load_glossary,
    notebook_minutes,
    quiz_calls,
)
from kapcourse.bank.course import display_path as _display
from kapcourse.bank.currency import Claim, bank_claims, due_problems, notebooks_claims
from kapcourse.bank.model import Bank, BankError, Problem, load_bank
from kapcourse.record.evaluation import form_problems
from kapcourse.record.final import build
from kapcourse.record.versions import migration_problems
from kapcourse.workshop.facilitator import AGENDA, load_plans

STEM_PATTERN = re.compile(r"^\d\d_[a-z0-9_]+$")
LESSON_CALL = re.compile(r"Lesson\(\s*['\"]([^'\"]+)['\"]")


@dataclass(frozen=True)
class Checked:
    """What ``kapcourse validate`` found: errors fail it, warnings (reviews due soon) do not."""

    errors: list[Problem]
    warnings: list[Problem]


def validate(root: Path, paths: list[Path] | None = None,
             today: dt.date | None = None) -> list[Problem]:
    """The errors in the banks (all of them, or just ``paths``); with no paths, the whole
    course. See :func:`check` for the warnings too."""
    return check(root, paths, today).errors


def check(root: Path, paths: list[Path] | None = None, today: dt.date | None = None) -> Checked:
    """Check the course (or just the banks ``paths``) as of ``today`` (default: the real date,
    which decides whether a time-limited claim is due for review)."""
    problems, loaded, citations = _check_banks(root, paths)
    pending: list[Problem] = []
    if not paths:
        problems += _course_problems(root, loaded)
        renames, pending = _migration_problems(root, loaded)
        problems += renames
    claims, found = currency_claims(root, loaded, citations, whole_course=not paths)
    problems += found
    due, warnings = due_problems(claims, today or dt.date.today())
    return Checked(problems + due, sorted(warnings + pending))


def currency_claims(root: Path, banks: dict[str, Bank], citations: set[str] | None = None,
                    whole_course: bool = True) -> tuple[list[Claim], list[Problem]]:
    """(claims, problems): the tagged claims of ``banks`` and, for the whole course, of the
    notebooks' ``{status}`` directives (with any problems in those directives' options)."""
    claims = [c for bank in banks.values() for c in bank_claims(bank, _display(bank.path, root))]
    if not whole_course:
        return claims, []
    found, problems = notebooks_claims(root, lambda path: _display(path, root), citations)
    return claims + found, problems


def _check_banks(root: Path, paths: list[Path] | None
                 ) -> tuple[list[Problem], dict[str, Bank], set[str] | None]:
    """(problems, the banks that loaded, the citation keys or None if the .bib is broken)."""
    problems: list[Problem] = []
    citations = None
    try:
        references = bibliography(root)
    except BankError as exc:
        problems += exc.problems
    else:
        citations = set(references)
        problems += bibliography_problems(root, references)
    targets = paths if paths else lesson_stems(root)[1]
    loaded: dict[str, Bank] = {}
    for path in targets:
        try:
            loaded[path.stem] = load_bank(path, citations, _display(path, root), all_text=True)
        except BankError as exc:
            problems += exc.problems
        else:
            problems += item_quality.bank_problems(path, _display(path, root))
    return problems, loaded, citations


def _course_problems(root: Path, loaded: dict[str, Bank]) -> list[Problem]:
    """The checks that need the whole course: the final, ids, pairing, notebooks, glossary."""
    problems: list[Problem] = []
    notebooks, banks = lesson_stems(root)
    if len(loaded) == len(banks):  # the final assessment needs every bank
        try:
            build(loaded, lambda bank: _display(bank.path, root))
        except BankError as exc:
            problems += exc.problems
    problems += _unique_ids(loaded)
    problems += _pairing(root, notebooks, banks)
    for notebook in notebooks:
        if notebook.stem in loaded:
            problems += _notebook_problems(root, notebook, loaded[notebook.stem])
        problems += item_quality.notebook_problems(root, notebook, _display(notebook, root))
    problems += config_problems(root)
    problems += glossary_problems(root)
    problems += agenda_problems(root)
    problems += form_problems(root)
    return problems


def _migration_problems(root: Path, loaded: dict[str, Bank]
                        ) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) in quizzes/migrations.yml (kapcourse.record.versions)."""
    questions = {q.id for bank in loaded.values()
                 for item in bank.items + bank.final_items for q in item.questions}
    return migration_problems(root, set(loaded), questions)


def _unique_ids(banks: dict[str, Bank]) -> list[Problem]:
    owner: dict[str, str] = {}
    problems = []
    for stem, bank in sorted(banks.items()):
        for question_id in [i.id for i in bank.items] + [q.id for q in bank.questions]:
            if owner.setdefault(question_id, stem) != stem:
                problems.append(Problem(f"quizzes/{stem}.yml", 1, 1, "items",
                                        f"item id '{question_id}' is also used in "
                                        f"quizzes/{owner[question_id]}.yml; ids are course-wide"))
    return problems


def _pairing(root: Path, notebooks: list[Path], banks: list[Path]) -> list[Problem]:
    problems = []
    notebook_stems = {n.stem for n in notebooks}
    bank_stems = {b.stem for b in banks}
    for stem in sorted(notebook_stems - bank_stems):
        problems.append(Problem(f"notebooks/{stem}.ipynb", 1, 1, "",
                                f"lesson has no item bank: create quizzes/{stem}.yml"))
    for stem in sorted(bank_stems - notebook_stems):
        problems.append(Problem(f"quizzes/{stem}.yml", 1, 1, "",
                                f"item bank has no lesson: expected notebooks/{stem}.ipynb"))
    for stem in sorted(notebook_stems | bank_stems):
        if not STEM_PATTERN.match(stem):
            problems.append(Problem(f"quizzes/{stem}.yml", 1, 1, "",
                                    "file names are NN_slug (two digits, lower-case slug)"))
    return problems


def _notebook_problems(root: Path, path: Path, bank: Bank) -> list[Problem]:
    file = _display(path, root)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Problem(file, 1, 1, "", f"not a readable notebook: {exc}")]
    problems = []
    if not (notebook_minutes(notebook) or 0) > 0:
        problems.append(Problem(file, 1, 1, "metadata.kapcourse.minutes",
                                "give the lesson's time to complete in minutes (a whole number)"))
    for index, source in code_cells(notebook):
        for stem in LESSON_CALL.findall(source):
            if stem != path.stem:
                problems.append(Problem(file, 1, 1, f"cells[{index}]",
                                        f"Lesson({stem!r}) should be Lesson({path.stem!r})"))
    shown: dict[str, int] = {}
    for index, ids in quiz_calls(notebook):
        for item_id in ids:
            shown[item_id] = shown.get(item_id, 0) + 1
            if item_id not in {i.id for i in bank.items}:
                problems.append(Problem(file, 1, 1, f"cells[{index}]",
                                        f"quiz item '{item_id}' is not in {bank.path.name}"))
    for item in bank.items:
        count = shown.get(item.id, 0)
        if count != 1:
            problems.append(Problem(file, 1, 1, "", f"item '{item.id}' is shown {count} times "
                                                    "in the lesson; show each item exactly once"))
    return problems


def glossary_problems(root: Path) -> list[Problem]:
    path = root / GLOSSARY
    if not path.exists():
        return []
    try:
        load_glossary(path, _display(path, root))
    except BankError as exc:
        return exc.problems
    return []


def agenda_problems(root: Path) -> list[Problem]:
    if not (root / AGENDA).exists():
        return []
    try:
        load_plans(root)
    except BankError as exc:
        return exc.problems
    return []


def bibliography_problems(root: Path, references: dict[str, Reference]) -> list[Problem]:
    """Every reference URL is an http(s) address (the pages drop any other link), and no two
    entries share an address and an author-year label: a lesson cites a source by those two
    (kapcourse.bank.citations), so such twins are one source entered twice."""
    path = root / "book" / "references.bib"
    file = _display(path, root)
    problems = []
    first: dict[tuple[str, str], str] = {}
    for key, reference in references.items():
        if reference.url and not _WEB.match(reference.url):
            problems.append(Problem(file, _bib_line(path, key), 1, key,
                                    f"url {reference.url!r} is not an http(s) address"))
        twin = first.setdefault((reference.url, label(reference)), key)
        if reference.url and twin != key:
            problems.append(Problem(file, _bib_line(path, key), 1, key,
                                    f"the same source as '{twin}' (same address and label "
                                    f"'{label(reference)}'): keep one entry and cite it"))
    return problems


_WEB = re.compile(r"^https?://", re.IGNORECASE)


def _bib_line(path: Path, key: str) -> int:
    """The line of ``@type{key,`` (pybtex keeps no positions)."""
    entry = re.compile(r"^\s*@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if entry.match(line):
            return number
    return 1
