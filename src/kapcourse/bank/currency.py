"""Content that stays current: claims that can expire, and when to check them again.

A claim that can expire (a telehealth rule, a regulator's decision, a guideline due for review)
carries a date it was checked and a date to check it again:

- in an item bank, as an item's ``currency: {as_of, review_by, source, note}``
  (see :class:`kapcourse.bank.model.Currency`);
- in lesson text, as an admonition titled with its dates around the passage::

      ```{admonition} Status as of 1 December 2026 — review by 31 December 2026
      :as-of: 2026-12-01
      :review-by: 2026-12-31
      :source: dea2025fourth
      The passage ...
      ```

  JupyterLab (jupyterlab-myst) shows it as a titled box and ignores the options it does not
  know; the book turns it into the ``{status}`` directive (:func:`status_directives`, rendered
  by :mod:`kapcourse.book.sphinx_ext`), which writes the same title and the source to re-check.
  A ``{status}`` fence in a notebook is a problem: JupyterLab shows "Unknown Directive" and
  hides the passage.

``kapcourse validate`` warns when a review is due within :data:`WARN_DAYS` days and fails once
the date has passed; ``kapcourse review-due`` lists the claims for the maintainers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kapcourse.bank.model import Bank, Currency, Problem, Vignette, parse_date

WARN_DAYS = 60
DIRECTIVE = "status"
OPTIONS = ("as-of", "review-by", "source")

TITLE = "Status as of"
# The opening fence of a status box: ```{admonition} Status as of … (or the book's own
# ```{status}), or with MyST's colon fence, any number of backticks or colons (three or
# more) and any indent.
_OPENING = re.compile(r"^(\s*(`{3,}|:{3,})\s*)\{(" + DIRECTIVE + r"|admonition)\}\s*(.*?)\s*$")
_OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*?)\s*$")
_WEB = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """One tagged time-limited claim, where it is written and what to re-check."""

    file: str
    line: int
    where: str  # the item id, or the notebook cell and its line
    as_of: dt.date
    review_by: dt.date
    source: str
    note: str = ""

    def days_left(self, today: dt.date) -> int:
        return (self.review_by - today).days


# ---------------------------------------------------------------------------------------------
# Finding the claims


def bank_claims(bank: Bank, file: str) -> list[Claim]:
    """The tagged items of a bank: top-level items, cases and case parts, in the lesson and in
    its final-assessment forms (``final_items``)."""
    claims = []
    for item in bank.items + bank.final_items:
        tagged = [item, *(item.parts if isinstance(item, Vignette) else ())]
        for question in tagged:
            if question.currency is not None:
                claims.append(_from_currency(question.currency, file, question.id))
    return claims


def _from_currency(currency: Currency, file: str, item_id: str) -> Claim:
    return Claim(file, currency.line, f"item {item_id}", currency.as_of, currency.review_by,
                 currency.source, currency.note)


@dataclass(frozen=True)
class Directive:
    """A ``{status}`` directive found in a markdown cell, before its options are checked."""

    cell: int
    line: int  # within the cell, 1-based, of the opening fence
    file_line: int  # within the .ipynb file, so an editor can jump there
    options: dict[str, str]
    title: str | None = None  # the admonition's title; None for a {status} fence


def find_directives(notebook: dict, raw_text: str) -> list[Directive]:
    """Every ``{status}`` directive in the notebook's markdown cells.

    The line in the .ipynb file is found by searching the raw JSON for each cell line's
    encoded form, in order (Python's json keeps no positions; nbformat writes one source line
    per JSON line).
    """
    found = []
    cursor = 0
    cells = notebook.get("cells")
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue  # a malformed notebook is reported by the notebook checks
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        lines = source.splitlines() if isinstance(source, str) else []
        for number, line in enumerate(lines, 1):
            encoded = json.dumps(line, ensure_ascii=False)[1:-1]
            at = raw_text.find(encoded, cursor) if encoded else -1
            if at >= 0:
                cursor = at + len(encoded)
            opening = _status_opening(line)
            if opening:
                file_line = raw_text.count("\n", 0, at) + 1 if at >= 0 else 1
                title = opening.group(4) if opening.group(3) == "admonition" else None
                found.append(Directive(index, number, file_line,
                                       _options(lines[number:], opening.group(2)), title))
    return found


def _status_opening(line: str) -> re.Match | None:
    """The opening fence of a status box: any {status}, and an admonition whose title starts
    with "Status as of" (other admonitions are not claims)."""
    opening = _OPENING.match(line)
    if opening and (opening.group(3) == DIRECTIVE or opening.group(4).startswith(TITLE)):
        return opening
    return None


def status_title(as_of: dt.date, review_by: dt.date) -> str:
    """The title of a status box, in JupyterLab and in the book."""
    return f"{TITLE} {long_date(as_of)} — review by {long_date(review_by)}"


def status_directives(markdown: str) -> str:
    """``markdown`` with each status admonition opened as the book's ``{status}`` directive
    (one line for one line: the options and the passage stay where they are)."""
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        opening = _status_opening(line)
        if opening and opening.group(3) == "admonition":
            lines[number] = f"{opening.group(1)}{{{DIRECTIVE}}}"
    return "\n".join(lines)


def _options(following: list[str], fence: str) -> dict[str, str]:
    """The ``:name: value`` lines at the top of a directive's body."""
    options = {}
    for line in following:
        option = _OPTION.match(line)
        if line.strip().startswith(fence) or not option:
            break
        options[option.group(1)] = option.group(2)
    return options


def directive_problems(directive: Directive, file: str) -> tuple[Claim | None, list[Problem]]:
    """The claim a directive makes, or the problems with its options."""
    where = f"cells[{directive.cell}] line {directive.line}"
    problems = []

    def problem(message: str) -> None:
        problems.append(Problem(file, directive.file_line, 1, where, message))

    options = directive.options
    for name in OPTIONS:
        if not options.get(name):
            problem(f"the {{{DIRECTIVE}}} directive needs a ':{name}:' option")
    for name in sorted(set(options) - {*OPTIONS, "class"}):
        problem(f"unknown option ':{name}:' (allowed: {', '.join((*OPTIONS, 'class'))})")
    dates = {}
    for name in ("as-of", "review-by"):
        if options.get(name):
            dates[name] = parse_date(options[name]) if _looks_iso(options[name]) else None
            if dates[name] is None:
                problem(f":{name}: {options[name]!r} is not a real date written YYYY-MM-DD")
    if dates.get("as-of") and dates.get("review-by") and dates["review-by"] < dates["as-of"]:
        problem("the review date is before the 'as-of' date")
    if problems:
        return None, problems
    title = status_title(dates["as-of"], dates["review-by"])
    if directive.title is None:
        problem(f"a {{{DIRECTIVE}}} fence shows as 'Unknown Directive' in JupyterLab, which "
                f"hides the passage: open it as {{admonition}} {title} (same options)")
    elif directive.title != title:
        problem(f"the title reads '{directive.title}' but the dates give '{title}'")
    claim = Claim(file, directive.file_line, where, dates["as-of"], dates["review-by"],
                  options["source"])
    return claim, problems  # a claim whose box is mis-written still falls due


def _looks_iso(text: str) -> bool:
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def notebook_claims(path: Path, file: str, citations: set[str] | None = None
                    ) -> tuple[list[Claim], list[Problem]]:
    """The claims of one notebook's ``{status}`` directives, and any problems with them
    (a source that is neither a known citation key nor an http(s) address among them)."""
    try:
        raw_text = path.read_text(encoding="utf-8")
        notebook = json.loads(raw_text)
    except (OSError, ValueError) as exc:
        return [], [Problem(file, 1, 1, "", f"not a readable notebook: {exc}")]
    if not isinstance(notebook, dict):
        return [], [Problem(file, 1, 1, "", "not a Jupyter notebook (no cells)")]
    claims, problems = [], []
    for directive in find_directives(notebook, raw_text):
        claim, found = directive_problems(directive, file)
        problems += found
        if claim:
            claims.append(claim)
    return claims, problems + source_problems(claims, citations)


def source_problems(claims: list[Claim], citations: set[str] | None) -> list[Problem]:
    """A directive's source is a citation key of book/references.bib or an http(s) address
    (bank sources are checked when the bank loads; None: the .bib is unreadable, reported
    on its own)."""
    if citations is None:
        return []
    return [Problem(c.file, c.line, 1, c.where, f"source '{c.source}' is neither a citation "
                                                "key in book/references.bib nor an http(s) "
                                                "address")
            for c in claims if not _WEB.match(c.source) and c.source not in citations]


# ---------------------------------------------------------------------------------------------
# Checking the dates


def due_problems(claims: list[Claim], today: dt.date,
                 warn_days: int = WARN_DAYS) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings): a passed review date is an error, one within ``warn_days`` a
    warning. Both name the file and line and the source to re-check."""
    errors, warnings = [], []
    for claim in claims:
        days = claim.days_left(today)
        recheck = (f"re-check {claim.source} (last checked {long_date(claim.as_of)}) and "
                   "update the claim and its dates")
        if days < 0:
            ago = -days
            errors.append(Problem(claim.file, claim.line, 1, claim.where,
                                  f"review was due on {claim.review_by.isoformat()}, {ago} "
                                  f"day{'s' if ago != 1 else ''} ago: {recheck}"))
        elif days <= warn_days:
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            warnings.append(Problem(claim.file, claim.line, 1, claim.where,
                                    f"review due {when} ({claim.review_by.isoformat()}): "
                                    f"{recheck}"))
    return errors, warnings


def notebooks_claims(root: Path, display: Callable[[Path], str],
                     citations: set[str] | None = None) -> tuple[list[Claim], list[Problem]]:
    """Every ``{status}`` claim in the lessons' text (``notebooks/*.ipynb``), and any
    problems with them; ``display`` turns a path into the name shown in messages."""
    claims: list[Claim] = []
    problems: list[Problem] = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        found, trouble = notebook_claims(path, display(path), citations)
        claims += found
        problems += trouble
    return claims, problems


# ---------------------------------------------------------------------------------------------
# Text for people


def long_date(day: dt.date) -> str:
    """1 December 2026 (the course's date style)."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """1 Dec 2026, for the short note on a quiz item."""
    return f"{day.day} {day:%b %Y}"


def item_note(currency: Currency) -> str:
    """The plain-text note shown on a tagged quiz item (escape it before writing HTML)."""
    return (f"Status as of {short_date(currency.as_of)} · review by "
            f"{short_date(currency.review_by)}")


def review_listing(claims: list[Claim], today: dt.date, everything: bool = False,
                   warn_days: int = WARN_DAYS) -> list[str]:
    """Lines for ``kapcourse review-due``: soonest first, each with its file:line, the review
    date, how far off it is and the source to re-check."""
    shown = [c for c in claims if everything or c.days_left(today) <= warn_days]
    lines = []
    for claim in sorted(shown, key=lambda c: (c.review_by, c.file, c.line)):
        days = claim.days_left(today)
        state = (f"overdue by {-days} day(s)" if days < 0 else
                 "due today" if days == 0 else f"due in {days} day(s)")
        lines.append(f"{claim.review_by.isoformat()}  {state:<20} {claim.file}:{claim.line} "
                     f"({claim.where})  re-check: {claim.source}"
                     + (f"  - {claim.note}" if claim.note else ""))
    return lines
