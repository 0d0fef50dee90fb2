"""What a learner's progress adds up to: per-lesson results, what to review next, and moving
progress between JupyterLab and the online book (export, import, CSV). No display code here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kapcourse.bank.course import QUIZ_CALL, STRING, lesson_stems, record_title, section_anchor
from kapcourse.bank.model import load_bank
from kapcourse.record.record_text import COMMITMENT_HEADING, CSS, MAX_NAME, STATEMENT
from kapcourse.record.results import FORMAT as RESULTS_FORMAT
from kapcourse.record.rules import (
    CONFIDENCE,
    CSV_SPECIAL,
    DATE,
    FINGERPRINT,
    MAX_ATTEMPTS,
    MAX_INDICES,
    MAX_TEXT,
    REASONS,
    Items,
    record_problem,
)

PROGRESS_FORMAT = "kapcourse-progress"
CSV_FIELDS = ("lesson", "item", "attempts", "first_correct", "correct", "first", "last")
# A CSV's format version is told by its columns: release 0.2.0 wrote CSV_FIELDS (version 1),
# later ones add the fingerprint column (version 2; see kapcourse.record.versions).
CSV_FIELDS_V2 = (*CSV_FIELDS, "fp")


class ImportProblem(ValueError):
    """A file that cannot be imported; the message tells the learner why. Nothing changed."""


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    questions: tuple[str, ...]
    link: str  # the lesson section where its first question is shown


@dataclass(frozen=True)
class LessonInfo:
    stem: str
    title: str
    questions: tuple[str, ...]
    objectives: tuple[Objective, ...]


def _section_of_items(notebook: dict) -> dict[str, str]:
    """Item id -> anchor of the `##` section whose quiz cell shows it."""
    anchor, found = "", {}
    for cell in notebook.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            for line in source.splitlines():
                if line.startswith("## "):
                    anchor = section_anchor(line[3:].strip())
        elif cell.get("cell_type") == "code":
            for call in QUIZ_CALL.findall(source):
                for item_id in STRING.findall(call):
                    found[item_id] = anchor
    return found


def course_structure(root: Path) -> list[LessonInfo]:
    lessons = []
    for notebook_path in lesson_stems(root)[0]:
        bank = load_bank(root / "quizzes" / f"{notebook_path.stem}.yml")
        sections = _section_of_items(json.loads(notebook_path.read_text(encoding="utf-8")))
        objectives = []
        for objective in bank.objectives:
            items = [i for i in bank.items if i.objective == objective.id]
            questions = tuple(q.id for q in bank.questions if q.objective == objective.id)
            anchor = sections.get(items[0].id, "") if items else ""
            link = f"notebooks/{bank.stem}.html" + (f"#{anchor}" if anchor else "")
            objectives.append(Objective(objective.id, objective.text, questions, link))
        lessons.append(LessonInfo(bank.stem, bank.title, tuple(q.id for q in bank.questions),
                                  tuple(objectives)))
    return lessons


def structure_json(lessons: list[LessonInfo]) -> list[dict]:
    """The structure as plain data, for the static book's progress page."""
    return [{"stem": lesson.stem, "title": lesson.title, "questions": list(lesson.questions),
             "objectives": [{"id": o.id, "text": o.text, "questions": list(o.questions),
                             "link": o.link} for o in lesson.objectives]}
            for lesson in lessons]


def final_json(final) -> dict:
    """The final assessment and the completion record's fixed text, for kapprogress.js."""
    from kapcourse.record.final import CERTAIN, PREFIX

    questions = [{"id": q.id, "item": item.id, "lesson": final.lesson_of[q.id],
                  "objective": item.objective, "form": item.form, "safety": item.safety}
                 for item in final.bank.items for q in item.questions]
    objectives = {o.id: o.text for o in final.bank.objectives}
    return {"pass_mark": final.pass_mark, "host": final.host, "bank": final.bank.stem,
            "lesson_of": dict(sorted(final.lesson_of.items())), "questions": questions,
            "forms": {o: list(forms) for o, forms in sorted(final.forms.items())},
            "objectives": {q["objective"]: objectives.get(q["objective"], q["objective"])
                           for q in questions},
            "certain": CERTAIN, "legacy_prefix": PREFIX,
            "lessons": [[stem, title] for stem, title in final.lesson_titles.items()],
            "record": {"title": record_title(), "statement": STATEMENT, "css": CSS,
                       "max_name": MAX_NAME, "commitment": COMMITMENT_HEADING}}


@dataclass(frozen=True)
class LessonResult:
    stem: str
    title: str
    total: int
    attempted: int
    first_try: int
    correct: int
    last: str  # ISO date-time of the latest answer, "" if none


def lesson_results(items: Items, lessons: list[LessonInfo]) -> list[LessonResult]:
    results = []
    for lesson in lessons:
        done = [items[q] for q in lesson.questions if q in items]
        results.append(LessonResult(
            lesson.stem, lesson.title, len(lesson.questions), len(done),
            sum(1 for e in done if e.get("first_correct")),
            sum(1 for e in done if e.get("correct")),
            max((e.get("last") or "" for e in done), default="")))
    return results


@dataclass(frozen=True)
class Review:
    """An objective to review: its questions missed at the first try, of those answered."""

    objective: Objective
    missed: int
    answered: int


def review_next(items: Items, lessons: list[LessonInfo], count: int = 3) -> list[Review]:
    """The objectives with the most first-try misses (share of the answered questions, then
    lesson order). A retry that came out right does not hide a miss (review problem 2):
    what was missed first is what is worth reading again."""
    scored = []
    for order, lesson in enumerate(lessons):
        for objective in lesson.objectives:
            done = [items[q] for q in objective.questions if q in items]
            missed = sum(1 for e in done if e.get("first_correct") is not True)
            if missed:
                scored.append((-missed / len(done), order, Review(objective, missed, len(done))))
    return [review for _, _, review in sorted(scored, key=lambda s: (s[0], s[1]))[:count]]


# --- moving progress between the book and JupyterLab ----------------------------------------
# kapprogress.js applies the same rules with the same messages (tests/golden/import.yml runs
# every case through both); the messages and limits reach it through script_data().

SHOWN = 40  # characters of an id or value quoted back in a message
IMPORT_MESSAGES = {
    "empty": "The file is empty.",
    "not_json": "The file is not valid JSON.",
    "too_long": "The file holds a number too long to be a kapcourse progress or results file.",
    "not_ours": "This is not a kapcourse progress or results file.",
    "no_items": "The file has no list of answers ('items').",
    "columns": "This CSV file does not have the columns {columns}.",
    "quoting": "The CSV file has a quoted field that is not closed properly.",
    "row": "Row {row} of the CSV file is malformed.",
    "entry": "The answer record for question '{id}' is malformed: {reason}.",
    "unknown": "The file has answers to questions this course does not have ({ids}): is it "
               "from another course or version?",
    "lesson": "The answer record for question '{id}' says lesson '{bank}', but that question "
              "belongs to '{owner}'.",
}


# The browser storage key of the book's saved progress (kapquiz.js and kapprogress.js read it
# from the course data; kapnav.js, on every page without that data, is pinned to it by a test).
STORAGE_KEY = "kapcourse:progress"


def script_data() -> dict:
    """The import rules' constants, for kapprogress.js (written into the book's course data)."""
    return {"formats": {"progress": PROGRESS_FORMAT, "results": RESULTS_FORMAT},
            "storage_key": STORAGE_KEY,
            "fields": list(CSV_FIELDS), "fields_v2": list(CSV_FIELDS_V2),
            "fp": FINGERPRINT.pattern, "messages": IMPORT_MESSAGES, "reasons": REASONS,
            "max_text": MAX_TEXT, "max_attempts": MAX_ATTEMPTS, "max_indices": MAX_INDICES,
            "shown": SHOWN, "date": DATE.pattern, "csv_special": list(CSV_SPECIAL),
            "confidence": list(CONFIDENCE)}


def known_questions(lessons: list[LessonInfo], final=None) -> dict[str, str]:
    """Question id -> the bank its answers are saved under (a lesson's stem, or "final")."""
    known = {q: lesson.stem for lesson in lessons for q in lesson.questions}
    if final is not None:
        # Release 0.2.0 saved final-assessment answers as final-<lesson question id>: they
        # still import (and count towards nothing), so that no learner's old file is refused.
        known.update([(f"final-{q}", final.bank.stem) for q in known])
        known.update((q, final.bank.stem) for q in final.lesson_of)
    return known


def _csv_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (security review m11)."""
    text = "" if value is None else str(value)
    if isinstance(value, bool):
        text = "true" if value else "false"
    return "'" + text if text.startswith(CSV_SPECIAL) else text


def to_csv(items: Items) -> str:
    out = io.StringIO()
    # RFC 4180 line ends; with "\r\n" as the terminator the writer also quotes a cell holding a
    # lone CR (with "\n" it would not, and a reader would split the row there)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS_V2)
    for item_id, entry in sorted(items.items()):
        writer.writerow([_csv_cell(v) for v in (
            entry.get("bank", ""), item_id, entry.get("attempts", 0), entry.get("first_correct"),
            entry.get("correct"), entry.get("first", ""), entry.get("last", ""),
            entry.get("fp", ""))])
    return out.getvalue()


def _problem(key: str, **values) -> ImportProblem:
    return ImportProblem(IMPORT_MESSAGES[key].format(**values))


def _shown(text: str) -> str:
    return str(text)[:SHOWN]


def _strip(text: str) -> str:
    return text.strip(" \t\r\n")


def parse_import(text: str, known, tables=None) -> dict:
    """Items from an exported JSON (progress or results) or CSV file; raises ImportProblem.

    ``known`` is the course's question ids; when it maps each id to its bank (see
    ``known_questions``), an answer saved under another lesson's name is refused too.
    A file of an older format version is upgraded and renamed questions and lessons follow
    ``tables`` (``versions.Tables``; default: this course's), so an answer to a question a
    release removed is kept too (it never counts toward a score).
    """
    from kapcourse.record.versions import course_tables, up_to_date

    tables = course_tables() if tables is None else tables
    stripped = _strip(text.removeprefix("\ufeff"))
    if not stripped:
        raise _problem("empty")
    raw, version = _from_json(stripped) if stripped[0] in "{[" else _from_csv(stripped)
    raw = up_to_date(raw, version, tables)
    items = {item_id: _clean_entry(item_id, raw[item_id]) for item_id in sorted(raw)}
    unknown = [i for i in items if i not in known and i not in tables.retired]
    if unknown:
        raise _problem("unknown", ids=", ".join(_shown(i) for i in unknown[:3]))
    if isinstance(known, dict):
        for item_id, entry in items.items():
            if item_id in known and entry["bank"] != known[item_id]:
                raise _problem("lesson", id=_shown(item_id), bank=_shown(entry["bank"]),
                               owner=known[item_id])
    return items


def _from_json(text: str) -> tuple[dict, int]:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, RecursionError):
        raise _problem("not_json") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits (read_export too)
        raise _problem("too_long") from None
    if not isinstance(data, dict) or data.get("format") not in (PROGRESS_FORMAT, RESULTS_FORMAT):
        raise _problem("not_ours")
    items = data.get("items")
    if not isinstance(items, dict):
        raise _problem("no_items")
    from kapcourse.record.versions import file_version

    return items, file_version(data)


def _no_constant(name: str):
    """NaN and Infinity are not JSON (JavaScript's JSON.parse refuses them too)."""
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _from_csv(text: str) -> tuple[dict, int]:
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), strict=True) if row]
    except csv.Error:
        raise _problem("quoting") from None
    head = rows[0]
    if set(CSV_FIELDS) - set(head):
        raise _problem("columns", columns=", ".join(CSV_FIELDS))
    items = {}
    for number, cells in enumerate(rows[1:], start=2):
        row = dict(zip(head, cells, strict=False))  # a short or long row is refused below
        first_correct, correct = _bool(row.get("first_correct")), _bool(row.get("correct"))
        attempts = row.get("attempts") or ""
        if (len(cells) != len(head) or first_correct is None or correct is None
                or not re.fullmatch(r"[ \t]*[0-9]{1,7}[ \t]*", attempts)):
            raise _problem("row", row=number)
        items[row["item"]] = {"bank": row["lesson"], "attempts": int(attempts),
                              "first_correct": first_correct, "correct": correct,
                              "first": row["first"], "last": row["last"]}
        if row.get("fp"):  # an empty cell: no fingerprint was saved with that answer
            items[row["item"]]["fp"] = row["fp"]
    return items, 2 if "fp" in head else 1


def _bool(text: str | None) -> bool | None:
    word = _strip(text or "").lower()
    return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(word)


def _clean_entry(item_id: str, entry) -> dict:
    """The record with known fields only, checked; raises ImportProblem."""
    reason = record_problem(entry)
    if reason:
        raise _problem("entry", id=_shown(item_id), reason=reason)
    clean = {"bank": entry["bank"], "attempts": int(entry["attempts"]),
             "first_correct": entry["first_correct"],
             "correct": entry.get("correct", entry["first_correct"]),
             "first": entry.get("first", ""), "last": entry.get("last", "")}
    if "answer_shown" in entry:
        clean["answer_shown"] = entry["answer_shown"]
    for name in ("first_response", "last_response"):
        if name in entry:
            value = entry[name]
            clean[name] = [int(i) for i in value] if isinstance(value, list) else (
                int(value) if isinstance(value, float) else value)
    if "attempt" in entry:  # a final-assessment answer (0.3.0): which attempt, how sure
        clean["attempt"] = int(entry["attempt"])
    if entry.get("confidence") is not None:
        clean["confidence"] = entry["confidence"]
    if "submitted" in entry:
        clean["submitted"] = entry["submitted"]
    if "fp" in entry:
        clean["fp"] = entry["fp"]
    return clean
