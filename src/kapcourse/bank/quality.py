"""Item-writing checks: items that do not give their answer away, lessons that do not point
at lessons that are missing.

Test-wise learners score above their knowledge when a bank's items share a pattern that has
nothing to do with the content. These checks find the patterns a script can count (issue 14):

- **True/false balance.** A bank with at least ``TF_MINIMUM`` true/false questions (vignette
  parts count) keys between ``TF_LOW`` and ``TF_HIGH`` of them True, so "always answer
  False" (or True) does not pass. An odd count may be off by one (1 of 3, 2 of 5 ...):
  no split of 3 questions falls within 35-65%.
- **Longest correct option.** In at most ``LONGEST_LIMIT`` of a bank's single-answer
  questions (vignette parts count) is the correct option strictly the longest, counted in
  characters of the option text (outer spaces and line breaks ignored).
- **"All/none of the above"** is refused in options: the options are shuffled, and such an
  option rewards partial knowledge.
- **Absolute words** (``ABSOLUTE_WORDS``) in a wrong option, or in the statement of a
  true/false question keyed False, cue the learner to reject it. They are reported unless
  the option (or the true/false question) says ``absolute_ok: true``: the absolute is the
  point being taught and the author has checked it is not a cue.
- **Lesson references** in a notebook's Markdown: no "(planned)" lesson, no link to a
  lesson file that does not exist, no "Lesson N" whose notebook does not exist.

Every problem is a :class:`~kapcourse.bank.model.Problem` at the file, line and key path.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kapcourse.bank.model import (
    BankError,
    FrozenLocated,
    KeyPath,
    Problem,
    bank_located,
    dotted,
)

TF_MINIMUM = 3  # with fewer true/false questions a bank cannot be balanced in any useful way
TF_LOW, TF_HIGH = 0.35, 0.65
LONGEST_LIMIT = 0.35  # chance is 1/number of options: 25-33% for the course's 3-4 options

# Whole words or phrases, matched case-insensitively. Chosen from the reviews' examples
# (clinical-01-04 I2, clinical-05-08 finding 10) and the NBME item-writing guide's list of
# absolute terms. Left out: hedges ("may", "usually", "rarely") and "every", which the banks
# mostly use for a frequency ("checks every 10 minutes"), not a claim about all cases.
ABSOLUTE_WORDS = (
    "never", "always", "only", "all", "none", "nothing", "everyone", "nobody", "no one",
    "must", "guarantee", "guarantees", "guaranteed", "completely", "entirely", "totally",
    "absolutely", "permanently", "invariably", "impossible", "at all", "whatever the dose",
    "under any circumstances", "in every case",
)
# A hyphen joins a word into a compound ("video-only care", "all-or-nothing thinking"), which
# is a description rather than an absolute claim; "after all" is an idiom, not a quantifier.
_ABSOLUTE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                               for w in ABSOLUTE_WORDS) + r")(?![\w-])",
                       re.IGNORECASE)
_IDIOMS = re.compile(r"\bafter\s+all\b", re.IGNORECASE)
_OF_THE_ABOVE = re.compile(r"\b(all|none)\s+of\s+(the\s+)?above\b", re.IGNORECASE)


def absolute_words(text: str) -> list[str]:
    """The absolute words in ``text``, lower-cased, in order, each once."""
    text = _IDIOMS.sub(" ", text)
    found = [" ".join(m.group(1).lower().split()) for m in _ABSOLUTE.finditer(text)]
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# Item banks


def bank_problems(path: Path, file: str) -> list[Problem]:
    """The item-writing problems of one bank that has already loaded without errors."""
    try:
        located = bank_located(path, file)  # the parse load_bank made a moment ago
    except BankError as exc:  # report rather than crash
        return exc.problems
    questions = list(_questions(located.data))
    return (_tf_balance(located, file, questions) + _longest_correct(located, file, questions)
            + _option_problems(located, file, questions))


def _questions(data: dict[str, Any]):
    """(key path, question) of every answerable question: items and vignette parts."""
    for section in ("items", "final_items"):
        for index, item in enumerate(data.get(section, [])):
            if item["type"] == "vignette":
                for part_index, part in enumerate(item["parts"]):
                    yield (section, index, "parts", part_index), part
            else:
                yield (section, index), item


def _at(located: FrozenLocated, file: str, path: KeyPath, message: str) -> Problem:
    line, column = located.where(path)
    return Problem(file, line, column, dotted(path), message)


def _tf_balance(located: FrozenLocated, file: str, questions) -> list[Problem]:
    keys = [q["answer"] for _, q in questions if q["type"] == "truefalse"]
    if len(keys) < TF_MINIMUM:
        return []
    share = sum(keys) / len(keys)
    if TF_LOW <= share <= TF_HIGH or abs(2 * sum(keys) - len(keys)) <= 1:
        return []
    return [_at(located, file, ("items",),
                f"{sum(keys)} of {len(keys)} true/false questions ({share:.0%}) are keyed True; "
                f"keep between {TF_LOW:.0%} and {TF_HIGH:.0%} (or as near half as an odd count "
                "allows) so that guessing one answer throughout does not pass; rewrite a "
                "statement so its key flips")]


def _longest_correct(located: FrozenLocated, file: str, questions) -> list[Problem]:
    singles = [(path, q) for path, q in questions if q["type"] == "single"]
    longest = [q["id"] for _, q in singles if _correct_is_longest(q["options"])]
    if not singles or len(longest) / len(singles) <= LONGEST_LIMIT:
        return []
    return [_at(located, file, ("items",),
                f"the correct option is the longest in {len(longest)} of {len(singles)} "
                f"single-answer questions ({len(longest) / len(singles):.0%}; at most "
                f"{LONGEST_LIMIT:.0%}): {', '.join(longest)}; shorten it or lengthen a "
                "distractor")]


def _correct_is_longest(options: list[dict[str, Any]]) -> bool:
    """Whether the correct option is strictly longer than every other option."""
    correct = [len(o["text"].strip()) for o in options if o["correct"]]
    others = [len(o["text"].strip()) for o in options if not o["correct"]]
    return len(correct) == 1 and bool(others) and correct[0] > max(others)


def _option_problems(located: FrozenLocated, file: str, questions) -> list[Problem]:
    problems = []
    for path, question in questions:
        if question["type"] == "truefalse" and question["answer"] is False:
            words = absolute_words(question["prompt"])
            if words and not question.get("absolute_ok"):
                problems.append(_at(located, file, (*path, "prompt"), _absolute_message(
                    words, "the statement of a false-keyed true/false question",
                    "the question")))
        for index, option in enumerate(question.get("options", [])):
            where = (*path, "options", index, "text")
            found = _OF_THE_ABOVE.search(option["text"])
            if found:
                problems.append(_at(located, file, where,
                                    f"'{found.group()}' is not allowed: options are shuffled, "
                                    "and it rewards partial knowledge; write a real option"))
                continue  # its "all" or "none" is the same fault: report it once
            words = absolute_words(option["text"])
            if words and not option["correct"] and not option.get("absolute_ok"):
                problems.append(_at(located, file, where, _absolute_message(
                    words, "a wrong option", "the option")))
    return problems


def _absolute_message(words: list[str], what: str, owner: str) -> str:
    quoted = ", ".join(f"'{w}'" for w in words)
    return (f"absolute word(s) {quoted} in {what} cue the learner to reject it; hedge or "
            f"rewrite it, or add 'absolute_ok: true' to {owner} if the absolute is the point")


# ---------------------------------------------------------------------------------------------
# Lesson notebooks


_PLANNED = re.compile(r"\(\s*planned\s*\)", re.IGNORECASE)
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<([^`>]+)>|([^`]+))`")
_LESSON_NUMBER = re.compile(r"\blessons?\s+0?(\d{1,2})\b", re.IGNORECASE)
_CITE_ROLE = re.compile(r"\{cite:([a-z]+)\}`([^`]*)`")
_LESSON_FILE = re.compile(r"(?:^|/)(\d\d)_[a-z0-9_]+$")


def notebook_problems(root: Path, notebook: Path, file: str, citations: bool = True
                      ) -> list[Problem]:
    """Stale lesson references in the Markdown cells of one lesson notebook and, unless
    ``citations`` is False (the book build reports those itself), its citation problems."""
    try:
        text = notebook.read_text(encoding="utf-8")
        cells = json.loads(text).get("cells", [])
    except (OSError, ValueError):
        return []  # checks.validate reports an unreadable notebook already
    lessons = {p.name[:2] for p in (root / "notebooks").glob("*.ipynb")}
    lines = _source_lines(text)
    references = _references(root) if citations else None
    problems = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        for number, line in enumerate(source.split("\n")):
            found = [*_line_problems(line, notebook.parent, lessons),
                     *(_citation_problems(line, references) if references is not None else [])]
            for column, message in found:
                # the column counts decoded characters: an escape (\" or \u00e9) before the
                # reference in the same line shifts it a little; the line is exact
                at_line, at_column = lines.get((index, number), (1, 1 - column))
                problems.append(Problem(file, at_line, at_column + column,
                                        f"cells[{index}].source", message))
    return problems


def _references(root: Path) -> dict:
    from kapcourse.bank.course import bibliography
    from kapcourse.bank.model import BankError

    try:
        return bibliography(root)
    except BankError:
        return {}  # checks.validate reports a broken bibliography already


def _citation_problems(line: str, references: dict):
    """(column offset, message) of every citation JupyterLab would not show as a source: a
    ``{cite:p}`` role (shown as its raw key) or a link whose text is not its source's label."""
    from kapcourse.bank.citations import cite, to_roles

    for found in _CITE_ROLE.finditer(line):
        keys = [k.strip() for k in found.group(2).split(",")]
        known = [references[k] for k in keys if k in references]
        instead = (f": write {cite(known, in_text=found.group(1) == 't')} instead"
                   if len(known) == len(keys) else "")
        yield found.start(), (f"'{found.group()}' shows as a raw key in JupyterLab{instead} "
                              "(AUTHORING.md, citations)")
    for problem in to_roles(line, references)[1]:
        yield max(line.find(problem.text), 0), f"citation link {problem.text}: {problem.message}"


def _line_problems(line: str, folder: Path, lessons: set[str]):
    """(column offset, message) of every stale lesson reference in one Markdown line."""
    for found in _PLANNED.finditer(line):
        yield found.start(), ("'(planned)': every lesson is written now; link the lesson "
                              "instead, e.g. [lesson 03](03_duration.ipynb)")
    for found in _LINK.finditer(line):
        target = found.group(1).split("#")[0]
        if (target.endswith((".ipynb", ".md")) and "://" not in target
                and not (folder / target).exists()):
            yield found.start(1), f"link to '{target}', which does not exist"
    for found in _DOC_ROLE.finditer(line):
        target = (found.group(1) or found.group(2)).strip().split("#")[0]
        base = folder.parent / target.lstrip("/") if target.startswith("/") else folder / target
        if not any(base.with_name(base.name + ext).exists() for ext in (".ipynb", ".md")):
            yield found.start(), f"{{doc}} reference to '{target}', which does not exist"
    for found in _LESSON_NUMBER.finditer(line):
        if f"{int(found.group(1)):02d}" not in lessons:
            yield found.start(), f"'{found.group()}': there is no such lesson notebook"


def _source_lines(text: str) -> dict[tuple[int, int], tuple[int, int]]:
    """(cell index, source line) -> (line, column) of that text in the .ipynb file.

    The standard library's JSON parser keeps no positions, so this reads the layout that
    nbformat writes (and the course's notebooks use): one cell key ``"cell_type"`` per cell,
    then ``"source": [`` with one JSON string per line. Other layouts fall back to line 1.
    """
    positions: dict[tuple[int, int], tuple[int, int]] = {}
    cell, number, in_source = -1, 0, False
    for line_number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if re.match(r'^"cell_type"\s*:', stripped):
            cell, in_source = cell + 1, False
        elif re.match(r'^"source"\s*:\s*\[', stripped):
            in_source, number = not stripped.endswith("]") and not stripped.endswith("],"), 0
        elif in_source and stripped.startswith("]"):
            in_source = False
        elif in_source and stripped.startswith('"'):
            positions[(cell, number)] = (line_number, len(line) - len(line.lstrip()) + 2)
            number += 1
    return positions
