"""The optional pre-test (issue #19): one question per objective of every lesson, taken before
lesson 01, so that a learner (and a facilitator, from exports) can see what they learned.

The questions come from the final assessment's parallel forms (``final.py``): for every
objective, the item of its LAST form, which the final's first attempt (form 1) does not draw,
so the gain compares parallel forms, not the same question twice. A case (vignette) gives its
first question only, with its case text, so the pre-test stays short. :func:`questions`
decides; the book gets the list from Python (``pretest_json``), never a second rule.

The saved block (the kernel's progress file under ``"pretest"``, the book's localStorage under
``STORAGE_KEY``, and every results export under ``"pretest"``) is::

    {"version": 1, "submitted": "<ISO date>",
     "answers": {"<final question id>": {"correct": bool, "response": <response>,
                                         "fp": "<16 hex digits>"}}}

``submitted`` is absent until Submit; Submit writes every question not answered as
``{"correct": false, "response": null}``, so the block says which questions were asked.
:func:`problem` is the one rule for reading it; ``_static/kappretest.js`` applies the same
rule with the same messages (tests/golden/pretest.yml runs both). An unreadable block is kept
aside under ``UNREADABLE_KEY``, never dropped.

:func:`comparison` sets the pre-test beside the final's first submitted attempt, per lesson and
per objective (My progress in both renderers shows it; kappretest.js mirrors it).
No display code here (``pretest_view.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass

from kapcourse.bank.model import Item, Question, Vignette, fingerprint
from kapcourse.record.final import FinalAssessment, answer_of, current_attempt, score
from kapcourse.record.rules import DATE, FINGERPRINT, MAX_TEXT, is_response, whole_number

VERSION = 1
STORAGE_KEY = "kapcourse:pretest"  # localStorage key used by _static/kappretest.js
PROGRESS_KEY = "pretest"  # key of the block in the kernel's progress file and in exports
UNREADABLE_KEY = "pretest-unreadable"  # where an unreadable block is kept, never dropped
MAX_ANSWERS = 1000  # far above the course's objectives; a larger block is not a pre-test
MINUTES_PER_QUESTION = 1  # most are short cases: about a minute each to read and answer

MESSAGES = {
    "record": "it is not a saved pre-test",
    "version": f"'version' must be {VERSION}",
    "submitted": "'submitted' must be a date such as 2026-11-30",
    "answers": f"'answers' must map at most {MAX_ANSWERS} question ids to answers",
    "answer": ("every answer must hold 'correct' (true or false), 'response' (an answer the "
               "course could have saved) and 'fp' (16 characters, 0-9 and a-f)"),
}


# --- the questions ------------------------------------------------------------------------------


def form_of(final: FinalAssessment, objective: str) -> int:
    """The form the pre-test draws for an objective: its last (attempt 1 draws the first)."""
    return final.forms.get(objective, (0,))[-1]


def items(final: FinalAssessment) -> tuple[Item, ...]:
    """One item per objective, in course order; a case keeps its text and first question."""
    chosen, seen = [], set()
    for item in final.bank.items:
        if item.objective in seen or item.form != form_of(final, item.objective):
            continue
        seen.add(item.objective)
        if isinstance(item, Vignette):
            # the case's closing explanation follows its last part, which is not asked
            item = dataclasses.replace(item, parts=item.parts[:1], explanation="")
        chosen.append(item)
    return tuple(chosen)


def questions(final: FinalAssessment) -> tuple[Question, ...]:
    return tuple(q for item in items(final) for q in item.questions)


def minutes(final: FinalAssessment) -> int:
    """The expected time, rounded up to 5 minutes."""
    raw = len(questions(final)) * MINUTES_PER_QUESTION
    return max(5, -(-raw // 5) * 5)


def pretest_json(final: FinalAssessment) -> dict:
    """The pre-test's questions and rules, for kappretest.js (``window.kapcoursePretest``)."""
    asked = questions(final)
    return {"version": VERSION, "storage_key": STORAGE_KEY, "messages": MESSAGES,
            "max_answers": MAX_ANSWERS, "max_text": MAX_TEXT, "minutes": minutes(final),
            "questions": [q.id for q in asked],
            "items": [item.id for item in items(final)],
            # every final question's fingerprint: an answer counts while its question is unchanged
            "fp": {q.id: fingerprint(q) for q in final.questions},
            # in course order, with their lesson: the comparison's rows
            "objectives": [[o.id, o.text, lesson] for o, lesson in objectives(final)]}


def objectives(final: FinalAssessment) -> list[tuple]:
    """(objective, the stem of its lesson) for every objective the final asks about, in
    course order."""
    lesson = {item.objective: final.lesson_of[item.questions[0].id] for item in final.bank.items}
    return [(o, lesson[o.id]) for o in final.bank.objectives if o.id in lesson]


# --- the saved block ---------------------------------------------------------------------------


def problem(block) -> str:
    """Why a saved or exported pre-test cannot be used ("" when it can)."""
    if not isinstance(block, dict):
        return MESSAGES["record"]
    if not whole_number(block.get("version"), VERSION, VERSION):
        return MESSAGES["version"]
    if "submitted" in block and not (isinstance(block["submitted"], str)
                                     and DATE.fullmatch(block["submitted"])):
        return MESSAGES["submitted"]
    answers = block.get("answers")
    if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
        return MESSAGES["answers"]
    for question_id, answer in answers.items():
        if not (0 < len(question_id) <= MAX_TEXT and isinstance(answer, dict)
                and isinstance(answer.get("correct"), bool) and "response" in answer
                and is_response(answer["response"]) and isinstance(answer.get("fp"), str)
                and FINGERPRINT.fullmatch(answer["fp"])):
            return MESSAGES["answer"]
    return ""


def _response(value):
    """JSON's 1.0 is 1 (JavaScript cannot tell them apart)."""
    if isinstance(value, list):
        return [int(i) for i in value]
    return int(value) if isinstance(value, float) else value


def clean(block) -> dict:
    """The block with known fields only. Call only when :func:`problem` found none."""
    out = {"version": VERSION, "answers": {
        qid: {"correct": a["correct"], "response": _response(a["response"]), "fp": a["fp"]}
        for qid, a in sorted(block["answers"].items())}}
    if "submitted" in block:
        out["submitted"] = block["submitted"]
    return out


def usable(block) -> dict | None:
    return None if block is None or problem(block) else clean(block)


def merge(current, incoming):
    """The block to keep when an import brings one: a submitted pre-test beats one under way,
    and of two submitted ones the earlier (the real baseline); otherwise the current one.
    An unusable incoming block changes nothing; an unusable current one is replaced (the
    caller keeps it aside)."""
    mine, theirs = usable(current), usable(incoming)
    if theirs is None:
        return current
    if mine is None:
        return theirs
    if "submitted" not in theirs:
        return current
    if "submitted" not in mine or theirs["submitted"] < mine["submitted"]:
        return theirs
    return current


def answer(block: dict | None, question: Question, correct: bool, response) -> dict:
    """The block with one answer saved (Submit not yet pressed)."""
    out = dict(block or {"version": VERSION, "answers": {}})
    out["answers"] = {**out.get("answers", {}), question.id: {
        "correct": correct, "response": response, "fp": fingerprint(question)}}
    return out


def submit(block: dict | None, final: FinalAssessment, when: str | None = None) -> dict:
    """The block submitted: every question not answered counts as asked and not right."""
    out = dict(block or {"version": VERSION, "answers": {}})
    answers = dict(out.get("answers", {}))
    for question in questions(final):
        answers.setdefault(question.id, {"correct": False, "response": None,
                                         "fp": fingerprint(question)})
    out["answers"] = answers
    out["submitted"] = when or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return out


# --- the kernel's progress file ----------------------------------------------------------------


def read_saved(store) -> tuple[dict | None, str]:
    """(the usable saved pre-test or None, a warning for the learner or "")."""
    saved = store.load().get(PROGRESS_KEY)
    if saved is None:
        return None, store.warning
    why = problem(saved)
    if why:
        return None, (f"Your saved pre-test could not be read ({why}). It is kept in your "
                      "progress file; a new one is saved beside it.")
    return clean(saved), store.warning


def save(store, change) -> dict:
    """Apply ``change(usable block or None) -> block`` under the progress file's lock and save
    the result; an unreadable earlier block is kept under UNREADABLE_KEY. Raises OSError."""
    saved = {}

    def update(data: dict) -> None:
        earlier = data.get(PROGRESS_KEY)
        if earlier is not None and problem(earlier):
            data[UNREADABLE_KEY] = earlier
            earlier = None
        data[PROGRESS_KEY] = saved["block"] = change(usable(earlier))

    store.update(update)
    return saved["block"]


def from_export_text(text: str) -> tuple[dict | None, str]:
    """(the usable pre-test block of an exported JSON file or None, why it cannot be used or
    ""). A CSV file or a file without one gives (None, "")."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        return None, ""
    if not isinstance(data, dict) or data.get(PROGRESS_KEY) is None:
        return None, ""
    why = problem(data[PROGRESS_KEY])
    return (None, why) if why else (clean(data[PROGRESS_KEY]), "")


def import_into(store, text: str) -> str:
    """Merge the pre-test of an imported file into the progress file; returns a sentence for
    the learner ("" when the file has none). Raises OSError."""
    block, why = from_export_text(text)
    if why:
        return f"The pre-test in the file could not be read ({why}); it was not imported."
    if block is None:
        return ""
    kept = save(store, lambda current: merge(current, block))
    return "Imported your pre-test." if kept == block else ""


def add_to_export(export: dict, block) -> bool:
    """A results export carries the usable pre-test (named or not: it is learning data)."""
    kept = usable(block)
    if kept is None:
        return False
    export[PROGRESS_KEY] = kept
    return True


# --- the comparison on My progress -------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str  # a lesson's stem or an objective's id
    title: str  # the lesson's title or the objective's text
    lesson: str  # the lesson's stem
    pre_right: int
    pre_asked: int
    final_right: int
    final_asked: int

    @property
    def gain(self) -> int | None:
        """Percentage points from the pre-test to the final (floor of each share, as JS)."""
        if not (self.pre_asked and self.final_asked):
            return None
        return 100 * self.final_right // self.final_asked - 100 * self.pre_right // self.pre_asked


@dataclass(frozen=True)
class Comparison:
    submitted: str  # when the pre-test was submitted
    final_attempt: int | None  # the final's first submitted attempt, None before it
    lessons: tuple[Row, ...]
    objectives: tuple[Row, ...]

    def as_json(self) -> dict:
        """Plain data, as kappretest.js's comparison() returns it (the golden cases)."""
        def rows(found):
            return [{"key": r.key, "title": r.title, "lesson": r.lesson,
                     "pre": [r.pre_right, r.pre_asked], "final": [r.final_right, r.final_asked],
                     "gain": r.gain} for r in found]
        return {"submitted": self.submitted, "final_attempt": self.final_attempt,
                "lessons": rows(self.lessons), "objectives": rows(self.objectives)}


def first_submitted(items: dict, final: FinalAssessment, state=None) -> int | None:
    """The final's first submitted attempt whose answers are still saved (a later attempt of
    the same form replaces them), or None."""
    return next((n for n in range(1, current_attempt(items, state) + 1)
                 if score(items, final, n).submitted), None)


def comparison(block, items: dict, final: FinalAssessment, state=None) -> Comparison | None:
    """The pre-test beside the final's first submitted attempt, or None before Submit. An
    answer to a question that changed since (its fingerprint differs) counts for nothing."""
    kept = usable(block)
    if kept is None or "submitted" not in kept:
        return None
    of = {q.id: (q, item.objective) for item in final.bank.items for q in item.questions}
    counts: dict[str, list[int]] = {}  # objective id -> [pre right, pre asked, final ...]

    def add(objective: str, slot: int, right: bool) -> None:
        tally = counts.setdefault(objective, [0, 0, 0, 0])
        tally[slot] += int(right)
        tally[slot + 1] += 1

    for qid, saved in kept["answers"].items():
        if qid in of and saved["fp"] == fingerprint(of[qid][0]):
            add(of[qid][1], 0, saved["correct"] is True)
    attempt = first_submitted(items, final, state)
    if attempt is not None:
        for question in final.drawn(attempt):  # a submitted attempt has every answer
            answer = answer_of(items, question.id, attempt)
            add(of[question.id][1], 2, answer is not None and answer.get("correct") is True)
    rows = tuple(Row(o.id, o.text, lesson, *counts[o.id])
                 for o, lesson in objectives(final) if o.id in counts)
    lessons = []
    for stem, title in final.lesson_titles.items():
        mine = [r for r in rows if r.lesson == stem]
        if mine:
            lessons.append(Row(stem, title, stem, *(sum(getattr(r, f) for r in mine) for f in (
                "pre_right", "pre_asked", "final_right", "final_asked"))))
    return Comparison(kept["submitted"], attempt, tuple(lessons), rows)

