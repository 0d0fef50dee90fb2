"""The course as a whole: where its files are, its bibliography, and course-wide checks."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import item_quality
from .currency import Claim, bank_claims, due_problems, notebooks_claims
from .model import (
    Bank,
    BankError,
    Problem,
    bank_paths,
    file_problems,
    html_problems,
    load_bank,
    read_yaml,
)

STEM_PATTERN = re.compile(r"^\d\d_[a-z0-9_]+$")
QUIZ_CALL = re.compile(r"\.quiz\(([^)]*)\)")
LESSON_CALL = re.compile(r"Lesson\(\s*['\"]([^'\"]+)['\"]")
STRING = re.compile(r"['\"]([^'\"]+)['\"]")


def course_root(start: Path | None = None) -> Path:
    """The folder holding ``_config.yml`` and ``quizzes/``.

    Looks at ``$KAPCOURSE_ROOT``, then upwards from ``start`` (default: the working
    directory, which is ``notebooks/`` when a lesson runs), then upwards from this package.
    """
    if os.environ.get("KAPCOURSE_ROOT"):
        return Path(os.environ["KAPCOURSE_ROOT"]).resolve()
    for origin in (start or Path.cwd(), Path(__file__)):
        for folder in (origin.resolve(), *origin.resolve().parents):
            if (folder / "_config.yml").is_file() and (folder / "quizzes").is_dir():
                return folder
    raise FileNotFoundError(
        "Cannot find the course folder (the one with _config.yml and quizzes/). "
        "Open the notebooks from inside the course, or set KAPCOURSE_ROOT."
    )


@dataclass(frozen=True)
class Reference:
    key: str
    text: str  # plain-text citation, e.g. "Zanos P, Moaddel R, et al. (2018). Title. Journal."
    url: str  # https://doi.org/... or the official page


@cache
def _bibliography(bib_path: Path, mtime: float) -> dict[str, Reference]:
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    try:
        database = parse_file(str(bib_path), bib_format="bibtex")
    except (PybtexError, OSError) as exc:
        raise BankError([Problem(str(bib_path), 1, 1, "", f"cannot read bibliography: {exc}")]
                        ) from None
    return {key: _reference(key, entry) for key, entry in database.entries.items()}


def bibliography(root: Path | None = None) -> dict[str, Reference]:
    """Every entry of ``book/references.bib``, keyed by citation key."""
    path = (root or course_root()) / "book" / "references.bib"
    if not path.exists():
        return {}
    return _bibliography(path, path.stat().st_mtime)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "").replace("\\&", "&")).strip()


def _initials(person) -> str:
    return "".join(_clean(n)[0] for n in person.first_names + person.middle_names if _clean(n))


def _reference(key: str, entry) -> Reference:
    people = entry.persons.get("author", [])
    names = [f"{_clean(' '.join(p.last_names))} {_initials(p)}".strip() for p in people]
    authors = ", ".join(names[:3]) + (", et al." if len(names) > 3 else "")
    fields = entry.fields
    if not authors:
        authors = _clean(fields.get("organization") or fields.get("institution")
                         or fields.get("publisher", ""))
    venue = _clean(fields.get("journal", fields.get("booktitle", fields.get("publisher", ""))))
    year = fields.get("year", "n.d.")
    title = _clean(fields.get("title", key)).rstrip(".")
    text = f"{authors} ({year}). {title}." + (f" {venue}." if venue else "")
    doi = fields.get("doi", "")
    url = f"https://doi.org/{doi}" if doi else fields.get("url", "")
    return Reference(key, text, url)


# ---------------------------------------------------------------------------------------------
# Course-wide validation


def section_anchor(heading: str) -> str:
    """The HTML id Sphinx gives a section heading ('4. Emergency planning' ->
    'emergency-planning'), so links can point at a lesson section."""
    from docutils.nodes import make_id

    return make_id(heading)




def bank_files(root: Path) -> list[Path]:
    """Every item bank of the course at ``root``, ``quizzes/NN_slug.yml``."""
    return bank_paths(root / "quizzes")


def lesson_stems(root: Path) -> tuple[list[Path], list[Path]]:
    return sorted((root / "notebooks").glob("*.ipynb")), bank_paths(root / "quizzes")


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
        from .final import build

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
    problems += glossary_problems(root)
    problems += agenda_problems(root)
    from .evaluation import form_problems

    problems += form_problems(root)
    return problems


def _migration_problems(root: Path, loaded: dict[str, Bank]
                        ) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) in quizzes/migrations.yml (kapcourse.versions)."""
    from .versions import migration_problems

    questions = {q.id for bank in loaded.values()
                 for item in bank.items + bank.final_items for q in item.questions}
    return migration_problems(root, set(loaded), questions)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the course; a symlink loop (3.11)
        return str(path)


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


def notebook_minutes(notebook: dict) -> int | None:
    minutes = notebook.get("metadata", {}).get("kapcourse", {}).get("minutes")
    return minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else None


def code_cells(notebook: dict) -> list[tuple[int, str]]:
    """(cell index, source) of every code cell."""
    return [(index, "".join(cell.get("source", "")))
            for index, cell in enumerate(notebook.get("cells", []))
            if cell.get("cell_type") == "code"]


def quiz_calls(notebook: dict) -> list[tuple[int, list[str]]]:
    """(cell index, item ids) of every ``lesson.quiz(...)`` call, in order."""
    return [(index, STRING.findall(call)) for index, source in code_cells(notebook)
            for call in QUIZ_CALL.findall(source)]


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


GLOSSARY = Path("book") / "glossary.yml"


def load_glossary(path: Path, file: str = str(GLOSSARY)) -> list[dict[str, str]]:
    """The glossary's entries, checked; raises BankError naming the file, line and key."""
    located = read_yaml(path, file)
    problems = file_problems(located, file, "glossary") + html_problems(located, file)
    if problems:
        raise BankError(problems)
    seen: set[str] = set()
    for index, entry in enumerate(located.data):
        term = " ".join(entry["term"].split()).lower()
        if term in seen:
            line, column = located.where((index, "term"))
            problems.append(Problem(file, line, column, f"[{index}].term",
                                    f"term '{entry['term']}' is defined twice"))
        seen.add(term)
    if problems:
        raise BankError(problems)
    return located.data


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
    from .facilitator import AGENDA, load_plans  # facilitator imports this module

    if not (root / AGENDA).exists():
        return []
    try:
        load_plans(root)
    except BankError as exc:
        return exc.problems
    return []


def bibliography_problems(root: Path, references: dict[str, Reference]) -> list[Problem]:
    """Every reference URL is an http(s) address (the pages drop any other link)."""
    path = root / "book" / "references.bib"
    file = _display(path, root)
    problems = []
    for key, reference in references.items():
        if reference.url and not _WEB.match(reference.url):
            problems.append(Problem(file, _bib_line(path, key), 1, key,
                                    f"url {reference.url!r} is not an http(s) address"))
    return problems


_WEB = re.compile(r"^https?://", re.IGNORECASE)


def _bib_line(path: Path, key: str) -> int:
    """The line of ``@type{key,`` (pybtex keeps no positions)."""
    entry = re.compile(r"^\s*@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if entry.match(line):
            return number
    return 1
