"""What a learner's progress adds up to: per-lesson results, what to review next, and moving
progress between JupyterLab and the online book (export, import, CSV). No display code here.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .course import QUIZ_CALL, STRING, lesson_stems, section_anchor
from .model import load_bank
from .results import FORMAT as RESULTS_FORMAT

PROGRESS_FORMAT = "kapcourse-progress"
CSV_FIELDS = ("lesson", "item", "attempts", "first_correct", "correct", "first", "last")


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
    from .completion import COURSE_TITLE, CSS, STATEMENT

    return {"pass_mark": final.pass_mark, "host": final.host,
            "lesson_of": dict(sorted(final.lesson_of.items())),
            "lessons": [[stem, title] for stem, title in final.lesson_titles.items()],
            "record": {"title": COURSE_TITLE, "statement": STATEMENT, "css": CSS}}


@dataclass(frozen=True)
class LessonResult:
    stem: str
    title: str
    total: int
    attempted: int
    first_try: int
    correct: int
    last: str  # ISO date-time of the latest answer, "" if none


def lesson_results(items: dict, lessons: list[LessonInfo]) -> list[LessonResult]:
    results = []
    for lesson in lessons:
        done = [items[q] for q in lesson.questions if q in items]
        results.append(LessonResult(
            lesson.stem, lesson.title, len(lesson.questions), len(done),
            sum(1 for e in done if e.get("first_correct")),
            sum(1 for e in done if e.get("correct")),
            max((e.get("last") or "" for e in done), default="")))
    return results


def review_next(items: dict, lessons: list[LessonInfo], count: int = 3) -> list[Objective]:
    """The weakest objectives in lessons the learner has started (share correct now)."""
    scored = []
    for order, lesson in enumerate(lessons):
        if not any(q in items for q in lesson.questions):
            continue
        for objective in lesson.objectives:
            right = sum(1 for q in objective.questions if items.get(q, {}).get("correct"))
            share = right / len(objective.questions) if objective.questions else 1.0
            if share < 1.0:
                scored.append((share, order, objective))
    return [objective for _, _, objective in sorted(scored, key=lambda s: (s[0], s[1]))[:count]]


# --- moving progress between the book and JupyterLab ----------------------------------------


def to_csv(items: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item_id, entry in sorted(items.items()):
        writer.writerow({"lesson": entry.get("bank", ""), "item": item_id,
                         "attempts": entry.get("attempts", 0),
                         "first_correct": entry.get("first_correct"),
                         "correct": entry.get("correct"),
                         "first": entry.get("first", ""), "last": entry.get("last", "")})
    return out.getvalue()


def parse_import(text: str, known: set[str]) -> dict:
    """Items from an exported JSON (progress or results) or CSV file; raises ImportProblem."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise ImportProblem("The file is empty.")
    items = _from_json(stripped) if stripped[0] in "{[" else _from_csv(stripped)
    unknown = sorted(set(items) - known)
    if unknown:
        raise ImportProblem(f"The file has answers to questions this course does not have "
                            f"({', '.join(unknown[:3])}): is it from another course or version?")
    return items


def _from_json(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(f"The file is not valid JSON (line {exc.lineno}).") from None
    if not isinstance(data, dict) or data.get("format") not in (PROGRESS_FORMAT, RESULTS_FORMAT):
        raise ImportProblem("This is not a kapcourse progress or results file.")
    items = data.get("items")
    if not isinstance(items, dict):
        raise ImportProblem("The file has no list of answers ('items').")
    for item_id, entry in items.items():
        _check_entry(item_id, entry)
    return items


def _from_csv(text: str) -> dict:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or set(CSV_FIELDS) - set(rows[0]):
        raise ImportProblem(f"This CSV file does not have the columns {', '.join(CSV_FIELDS)}.")
    items = {}
    for number, row in enumerate(rows, start=2):
        try:
            entry = {"bank": row["lesson"], "attempts": int(row["attempts"]),
                     "first_correct": _bool(row["first_correct"]), "correct": _bool(row["correct"]),
                     "first": row["first"], "last": row["last"]}
        except ValueError:
            raise ImportProblem(f"Row {number} of the CSV file is malformed.") from None
        _check_entry(row["item"], entry)
        items[row["item"]] = entry
    return items


def _bool(text: str) -> bool:
    if text.strip().lower() in ("true", "1", "yes"):
        return True
    if text.strip().lower() in ("false", "0", "no"):
        return False
    raise ValueError(text)


def _check_entry(item_id: str, entry) -> None:
    if not (isinstance(entry, dict) and isinstance(entry.get("bank"), str)
            and isinstance(entry.get("attempts"), int) and entry["attempts"] >= 1
            and isinstance(entry.get("first_correct"), bool)
            and isinstance(entry.get("correct", entry["first_correct"]), bool)):
        raise ImportProblem(f"The answer record for question {item_id!r} is malformed.")


def merge(current: dict, incoming: dict) -> dict:
    """Union of two item records; where both have a question, the more recent answer wins,
    keeping the earliest first attempt."""
    merged = dict(current)
    for item_id, entry in incoming.items():
        mine = merged.get(item_id)
        if mine is None:
            merged[item_id] = dict(entry)
            continue
        newer = entry if (entry.get("last") or "") > (mine.get("last") or "") else mine
        older = mine if newer is entry else entry
        first = mine if (mine.get("first") or "~") <= (entry.get("first") or "~") else entry
        merged[item_id] = {**older, **newer, "first": first.get("first", ""),
                           "first_correct": first["first_correct"],
                           "first_response": first.get("first_response"),
                           "attempts": max(mine["attempts"], entry["attempts"])}
    return merged
