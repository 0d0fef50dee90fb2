"""The course as a whole: where its files are, its bibliography, its notebooks and glossary.

A lower layer: it imports only the bank model. The course-wide checks that use the
final assessment, the evaluation form, the agenda and the migration table live in
``checks.py``, so that none of those modules has to import back into this one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kapcourse.bank.model import (
    BankError,
    Problem,
    bank_paths,
    file_problems,
    html_problems,
    read_yaml,
)

QUIZ_CALL = re.compile(r"\.quiz\(([^)]*)\)")
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


CONFIG = Path("_config.yml")
MAX_TITLE = 200


def record_title(root: Path | None = None) -> str:
    """The course's full title for the completion record: a course fact kept in
    ``_config.yml`` (``kapcourse: record_title:``, a section Jupyter Book ignores), falling
    back to the book's ``title``; "" outside a course. ``kapcourse validate`` checks it."""
    try:
        located = read_yaml((root or course_root()) / CONFIG, str(CONFIG))
    except (BankError, FileNotFoundError):
        return ""
    data = located.data if isinstance(located.data, dict) else {}
    section = data.get("kapcourse") if isinstance(data.get("kapcourse"), dict) else {}
    title = section.get("record_title", data.get("title", ""))
    return " ".join(title.split())[:MAX_TITLE] if isinstance(title, str) else ""


def config_problems(root: Path) -> list[Problem]:
    """The course facts in ``_config.yml``'s ``kapcourse`` section, checked (a course without
    the file, such as a test fixture, has none to check)."""
    path = root / CONFIG
    if not path.is_file():
        return []
    try:
        located = read_yaml(path, str(CONFIG))
    except BankError as exc:
        return exc.problems
    data = located.data if isinstance(located.data, dict) else {}
    title = data.get("kapcourse", {}).get("record_title") if isinstance(
        data.get("kapcourse"), dict) else None
    if isinstance(title, str) and 0 < len(title.strip()) <= MAX_TITLE:
        return []
    line, column = located.where(("kapcourse", "record_title"))
    return [Problem(str(CONFIG), line, column, "kapcourse.record_title",
                    f"give the course's full title for the completion record (1 to "
                    f"{MAX_TITLE} characters)")]


@dataclass(frozen=True)
class Reference:
    key: str
    text: str  # plain-text citation, e.g. "Zanos P, Moaddel R, et al. (2018). Title. Journal."
    url: str  # https://doi.org/... or the official page
    authors: tuple[str, ...] = ()  # last names (or the organisation), for author-year labels
    year: str = "n.d."


@cache
def _bibliography(bib_path: Path, mtime: float) -> dict[str, Reference]:
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    try:
        database = parse_file(str(bib_path), bib_format="bibtex")
    except (PybtexError, OSError) as exc:
        raise BankError([Problem(str(bib_path), 1, 1, "", f"cannot read bibliography: {exc}")]
                        ) from None
    from pybtex.plugin import find_plugin

    # One text backend for every name: render_as("text") looks the plugin up through the
    # package entry points on each call (about 30 ms each, 40 s for the course's names).
    text = find_plugin("pybtex.backends", "text")()
    return {key: _reference(key, entry, text) for key, entry in database.entries.items()}


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


def _reference(key: str, entry, text_backend) -> Reference:
    people = entry.persons.get("author", [])
    # Rendered as sphinxcontrib-bibtex renders them (LaTeX such as W\lodarczyk decoded), so a
    # lesson's author-year links read as the book's citations (kapcourse.bank.citations).
    last_names = tuple(" ".join(n.render(text_backend) for n in p.rich_prelast_names
                                + p.rich_last_names) for p in people)
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
    return Reference(key, text, url, last_names or (authors,), year)


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


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the course (as messages name files), or as given if outside."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the course; a symlink loop (3.11)
        return str(path)


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


