"""The course evaluation: one definition (``book/evaluation.yml``), the rules for a saved or
exported evaluation, its anonymous export block, the commitment to change for the completion
record, and a cohort summary for ``kapcourse report``. No display code here
(``evaluation_view.py`` shows the form in JupyterLab, ``_static/kapeval.js`` in the book).

A saved evaluation is ``{"answers": {question_id: answer}, "on_record": bool}``: a Likert
answer is a whole number from 1 to the length of the scale, a free-text answer a string of at
most ``MAX_ANSWER`` characters. JupyterLab keeps it in the learner's progress file under the key
``"evaluation"``; the book keeps it in the browser under ``"kapcourse:evaluation"``. Both
renderers check it with the same rules and messages when they read it
(tests/golden/evaluation.yml runs every case through this module and kapeval.js in node).

The export block carries the answers and the form's version only: no name, no date, no
export id, and it is left out of an export that carries the learner's name, so an
evaluation can never be tied to a person by the file it came in.
"""

from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

from kapcourse.bank.model import BankError, Problem, file_problems, html_problems, read_yaml
from kapcourse.record.rules import CSV_SPECIAL, whole_number

FORM_FILE = Path("book") / "evaluation.yml"
STORAGE_KEY = "kapcourse:evaluation"  # localStorage key used by _static/kapeval.js
PROGRESS_KEY = "evaluation"  # key of the saved evaluation in the kernel's progress file
UNREADABLE_KEY = "evaluation-unreadable"  # where an unreadable one is kept, never dropped
MAX_ANSWER = 1000  # characters (code points) in one free-text answer
SMALL_COHORT = 5  # below this many evaluations, a distribution says little about a cohort

MESSAGES = {
    "record": "it is not a saved evaluation",
    "answers": "'answers' must map question ids to answers",
    "likert": "the answer to '{id}' must be a whole number from 1 to {top}",
    "text": "the answer to '{id}' must be text of at most {most} characters",
    "on_record": "'on_record' must be true or false",
    "version": "it was made with evaluation version {found}, not {expected}",
}
# Python's str.strip() and JavaScript's trim() disagree on some characters (U+0085, U+FEFF):
# both sides strip these only.
_EDGE = " \t\r\n"
# What Python's str.split() splits on; kapprogress.js has the same class (SPACE).
_SPACE = re.compile(r"[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # "likert" or "text"
    text: str
    follows: str = ""  # the Likert statement a text question follows up
    commitment: bool = False


@dataclass(frozen=True)
class Form:
    version: int
    scale: tuple[str, ...]
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def commitment(self) -> Question | None:
        return next((q for q in self.questions if q.commitment), None)


# --- the definition ---------------------------------------------------------------------------


def load_form(path: Path, file: str = str(FORM_FILE)) -> Form:
    """The evaluation form, checked; raises BankError naming the file, line and key."""
    located = read_yaml(path, file)
    problems = file_problems(located, file, "evaluation") + html_problems(located, file)
    if problems:
        raise BankError(problems)
    data = located.data
    seen: dict[str, str] = {}
    for index, question in enumerate(data["questions"]):
        def report(key: str, message: str, index=index) -> None:
            line, column = located.where(("questions", index, key))
            problems.append(Problem(file, line, column, f"questions[{index}].{key}", message))

        if question["id"] in seen:
            report("id", f"id '{question['id']}' is used twice")
        follows = question.get("follows")
        if follows is not None and (question["kind"] != "text" or seen.get(follows) != "likert"):
            report("follows", "a text question follows up a Likert statement listed before it")
        if question.get("commitment") and question["kind"] != "text":
            report("commitment", "the commitment to change is a text question")
        seen[question["id"]] = question["kind"]
    if sum(1 for q in data["questions"] if q.get("commitment")) > 1:
        line, column = located.where(("questions",))
        problems.append(Problem(file, line, column, "questions",
                                "at most one question is the commitment to change"))
    if problems:
        raise BankError(problems)
    return Form(data["version"], tuple(data["scale"]), tuple(
        Question(q["id"], q["kind"], " ".join(q["text"].split()), q.get("follows", ""),
                 q.get("commitment", False)) for q in data["questions"]))


def course_form(root: Path) -> Form | None:
    """The course's form, or None if it has no ``book/evaluation.yml``."""
    path = root / FORM_FILE
    return load_form(path) if path.exists() else None


def form_problems(root: Path) -> list[Problem]:
    """For ``kapcourse validate``."""
    try:
        course_form(root)
    except BankError as exc:
        return exc.problems
    return []


def form_json(form: Form) -> dict:
    """The form and its rules, for kapeval.js (``window.kapcourseEvaluation``)."""
    return {"version": form.version, "scale": list(form.scale), "max_answer": MAX_ANSWER,
            "storage_key": STORAGE_KEY, "messages": MESSAGES,
            "questions": [{"id": q.id, "kind": q.kind, "text": q.text, "follows": q.follows,
                           "commitment": q.commitment} for q in form.questions]}


# --- a saved evaluation -------------------------------------------------------------------------


def _chars(text: str) -> int:
    return len(text)  # code points; kapeval.js counts Array.from(text).length


def problem(saved, form: Form) -> str:
    """Why a saved evaluation cannot be used ("" when it can). An answer to a question the
    form no longer has is ignored (the form may change between versions)."""
    if not isinstance(saved, dict):
        return MESSAGES["record"]
    answers = saved.get("answers")
    if not isinstance(answers, dict):
        return MESSAGES["answers"]
    for question in form.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if question.kind == "likert" and not whole_number(value, 1, len(form.scale)):
            return MESSAGES["likert"].format(id=question.id, top=len(form.scale))
        if question.kind == "text" and not (isinstance(value, str)
                                            and _chars(value) <= MAX_ANSWER):
            return MESSAGES["text"].format(id=question.id, most=MAX_ANSWER)
    if not isinstance(saved.get("on_record", False), bool):
        return MESSAGES["on_record"]
    return ""


def clean(saved, form: Form) -> dict:
    """The usable evaluation: known questions only, texts without surrounding blanks, empty
    answers left out. Call only when :func:`problem` found none."""
    answers = {}
    for question in form.questions:
        value = saved["answers"].get(question.id)
        if isinstance(value, str):
            value = value.strip(_EDGE)
        if value not in (None, ""):
            answers[question.id] = int(value) if question.kind == "likert" else value
    return {"answers": answers, "on_record": saved.get("on_record", False)}


def export_block(saved, form: Form) -> dict | None:
    """What a results export carries: the form's version and the answers, nothing else
    (the record preference is personal). None when there is nothing usable to export."""
    if saved is None or problem(saved, form):
        return None
    answers = clean(saved, form)["answers"]
    return {"version": form.version, "answers": answers} if answers else None


def record_commitment(saved, form: Form) -> str:
    """The commitment-to-change statement for the completion record: "" unless the learner
    ticked "Include my commitment to change on my record" and wrote one."""
    question = form.commitment
    if saved is None or question is None or problem(saved, form):
        return ""
    usable = clean(saved, form)
    return usable["answers"].get(question.id, "") if usable["on_record"] else ""


def one_line(text: str) -> str:
    """Whitespace runs as one space, as on the record (the HTML would collapse them anyway)."""
    return " ".join(t for t in _SPACE.split(text) if t)


# --- the kernel's progress file ---------------------------------------------------------------


def read_saved(store, form: Form) -> tuple[dict | None, str]:
    """(the usable saved evaluation or None, a warning for the learner or "")."""
    saved = store.load().get(PROGRESS_KEY)
    if saved is None:
        return None, store.warning
    why = problem(saved, form)
    if why:
        return None, (f"Your saved evaluation could not be read ({why}). It is kept in your "
                      "progress file; saving a new one keeps the old one beside it.")
    return clean(saved, form), store.warning


def save(store, saved: dict, form: Form) -> None:
    """Save an evaluation (already checked) in the progress file, under its own key. An
    unreadable earlier one is kept under another key, never dropped. Raises OSError."""
    def change(data: dict) -> None:
        earlier = data.get(PROGRESS_KEY)
        if earlier is not None and problem(earlier, form):
            data[UNREADABLE_KEY] = earlier
        data[PROGRESS_KEY] = saved

    store.update(change)


# --- the anonymous export and the cohort summary ----------------------------------------------


def add_to_export(export: dict, saved, form: Form | None) -> bool:
    """Add the evaluation to an anonymous export (one without a learner's name); returns
    whether it was added."""
    block = export_block(saved, form) if form is not None else None
    if block is None or export.get("learner"):
        return False
    export["evaluation"] = block
    return True


CSV_FIELDS = ("id", "question", "answer")


def to_csv(block: dict, form: Form) -> str:
    """The export block as a spreadsheet (the evaluation's own CSV: the progress CSV holds
    answer records only, so that it stays importable). A Likert answer is written with its
    label, "4 (Agree)"; a cell a spreadsheet would run as a formula is prefixed with '."""
    def cell(text: str) -> str:
        return "'" + text if text.startswith(CSV_SPECIAL) else text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # as summary.to_csv (RFC 4180)
    writer.writerow(CSV_FIELDS)
    for question in form.questions:
        if question.id in block["answers"]:
            value = block["answers"][question.id]
            answer = f"{value} ({form.scale[value - 1]})" if question.kind == "likert" else value
            writer.writerow([cell(question.id), cell(question.text), cell(answer)])
    return out.getvalue()


def block_problem(block, form: Form) -> str:
    """Why an export's evaluation block cannot be pooled ("" when it can)."""
    if not isinstance(block, dict):
        return MESSAGES["record"]
    if block.get("version") != form.version:
        return MESSAGES["version"].format(found=str(block.get("version"))[:20],
                                          expected=form.version)
    return problem({"answers": block.get("answers")}, form)


@dataclass
class Summary:
    n: int  # evaluations pooled
    counts: dict[str, list[int]]  # Likert question id -> learners per scale point
    texts: dict[str, list[str]]  # text question id -> answers, shuffled
    skipped: int  # exports whose evaluation could not be used

    @property
    def small(self) -> bool:
        return self.n < SMALL_COHORT


def summarise(exports: list[dict], form: Form, rng: random.Random | None = None) -> Summary:
    """Pool the evaluations of a cohort's exports. Free texts are shuffled, so their order
    says nothing about whose file they came from."""
    rng = rng or random.SystemRandom()
    counts = {q.id: [0] * len(form.scale) for q in form.questions if q.kind == "likert"}
    texts: dict[str, list[str]] = {q.id: [] for q in form.questions if q.kind == "text"}
    n = skipped = 0
    for export in exports:
        block = export.get("evaluation")
        if block is None:
            continue
        if block_problem(block, form):
            skipped += 1
            continue
        n += 1
        for question_id, value in clean({"answers": block["answers"]}, form)["answers"].items():
            if question_id in counts:
                counts[question_id][value - 1] += 1
            else:
                texts[question_id].append(value)
    for answers in texts.values():
        rng.shuffle(answers)
    return Summary(n, counts, texts, skipped)
