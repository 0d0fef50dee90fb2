"""The final assessment: items written for it alone (``final_items``), in parallel forms.

Every lesson bank holds ``final_items``, each a ``form`` (1, 2, ...) of one of its objectives,
some marked ``safety: true``. Attempt *n* draws, for every objective of every lesson, the form
((n - 1) mod forms) + 1, so a new attempt gets the other form. The final is passed when its
answers are submitted, the pass mark is met AND every safety question drawn is right. Lesson
09's bank (the case studies) keeps ``final_assessment:`` for the pass mark. No display code
here; ``_static/kapprogress.js`` mirrors this module (tests/golden/final.yml runs both).

Answers are saved under the progress bank ``final`` with three more fields: ``attempt`` (the
attempt they belong to), ``confidence`` (how sure the learner was) and ``submitted`` (set on
every answer of the attempt by Submit), so an export carries the whole attempt. Answers
without ``attempt`` (saved by release 0.2.0, under ``final-<lesson question id>``) load and
count towards nothing. The progress data's ``final`` mapping holds the number of an attempt
started before any answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kapcourse.bank.model import Bank, BankError, Item, Problem, Question, bank_paths, load_bank
from kapcourse.record.rules import CONFIDENCE, MAX_ATTEMPTS, AnswerRecord, Items, whole_number

BANK = "final"  # the progress records' bank name for final-assessment answers
PREFIX = "final-"  # ids of release 0.2.0's final answers (lesson items it reused)
CERTAIN = CONFIDENCE[-1]


@dataclass(frozen=True)
class FinalAssessment:
    host: str  # stem of the bank that defines it
    pass_mark: int  # per cent of its questions right at the first try
    bank: Bank  # every bank's final_items, as a bank named "final"
    lesson_of: dict[str, str]  # final question id -> stem of the lesson it comes from
    lesson_titles: dict[str, str]  # lesson stem -> title, in course order
    forms: dict[str, tuple[int, ...]]  # objective id -> its forms, in order

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of every form (the book's page holds them all)."""
        return self.bank.questions

    def form_for(self, objective: str, attempt: int) -> int:
        forms = self.forms[objective]
        return forms[(attempt - 1) % len(forms)]

    def items_for(self, attempt: int) -> tuple[Item, ...]:
        """The items attempt ``attempt`` draws: one form of every objective."""
        return tuple(item for item in self.bank.items
                     if item.form == self.form_for(item.objective, attempt))

    def drawn(self, attempt: int) -> tuple[Question, ...]:
        return tuple(q for item in self.items_for(attempt) for q in item.questions)


def build(banks: dict[str, Bank], file_of=lambda bank: f"quizzes/{bank.stem}.yml"
          ) -> FinalAssessment | None:
    """The course's final assessment from every bank's ``final_items``, or None if no bank
    defines one; raises BankError. Every objective of every lesson (the host's too) needs its
    forms, so a bank without them is named at its objective's line. There is no fixed
    minimum of questions: one form of every objective is the coverage rule."""
    hosts = [(bank, bank.final) for _, bank in sorted(banks.items()) if bank.final is not None]
    if not hosts:
        return None
    host, spec = hosts[0]
    problems = [Problem(file_of(extra), 1, 1, "final_assessment",
                        f"{file_of(host)} already defines the final assessment; keep one")
                for extra, _ in hosts[1:]]
    items: list[Item] = []
    lesson_of: dict[str, str] = {}
    forms: dict[str, set[int]] = {}
    for stem, bank in sorted(banks.items()):
        for item in bank.final_items:
            items.append(item)
            lesson_of.update((q.id, stem) for q in item.questions)
            forms.setdefault(item.objective, set()).add(item.form)
        for objective in bank.objectives:
            if objective.id not in forms:
                line = _line_of(bank.path, f"id: {objective.id}")
                problems.append(Problem(file_of(bank), line, 1, "final_items",
                                        f"objective '{objective.id}' has no final-assessment "
                                        "forms: add at least 2 under 'final_items' "
                                        "(see AUTHORING.md)"))
    if problems:
        raise BankError(problems)
    objectives = tuple(o for _, bank in sorted(banks.items()) for o in bank.objectives)
    final_bank = Bank(BANK, host.path, "Final assessment", host.reviewed, objectives, tuple(items))
    return FinalAssessment(host.stem, spec.pass_mark, final_bank, lesson_of,
                           {stem: bank.title for stem, bank in sorted(banks.items())},
                           {objective: tuple(sorted(f)) for objective, f in forms.items()})


def _line_of(path: Path, text: str) -> int:
    """The line of a bank file that holds ``text`` (1 if it cannot be read or found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"(^|\s|-\s){re.escape(text)}\s*$")
    return next((n for n, line in enumerate(lines, 1) if pattern.search(line)), 1)


@dataclass(frozen=True)
class LessonPart:
    stem: str
    title: str
    right: int  # right in the current attempt
    total: int


@dataclass(frozen=True)
class FinalResult:
    attempt: int
    submitted: bool  # every answer of the attempt was submitted
    total: int
    answered: int  # answered and rated (how sure), in this attempt
    right: int
    pass_mark: int
    by_lesson: tuple[LessonPart, ...]
    safety_total: int = 0
    safety_missed: tuple[str, ...] = ()  # safety questions drawn and not answered right
    confident_wrong: tuple[str, ...] = ()  # wrong answers rated "certain"

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    @property
    def percent(self) -> int:
        return 100 * self.right // self.total if self.total else 0  # as kapprogress.js

    @property
    def mark_met(self) -> bool:
        return self.complete and 100 * self.right >= self.pass_mark * self.total

    @property
    def passed(self) -> bool:
        """Submitted, the pass mark met, and every safety question drawn right."""
        return self.submitted and self.mark_met and not self.safety_missed


def answer_of(items: Items, question_id: str, attempt: int) -> AnswerRecord | None:
    """The saved final-assessment answer to a question in this attempt (rated), or None."""
    entry = items.get(question_id)
    if (not isinstance(entry, dict) or entry.get("bank") != BANK
            or entry.get("attempt") != attempt or entry.get("confidence") not in CONFIDENCE):
        return None
    return entry


def current_attempt(items: Items, state=None) -> int:
    """The attempt under way: the latest of the progress data's ``final`` mapping (an attempt
    started before any answer) and the saved answers (an import may bring a later one).
    A malformed mapping counts as attempt 1 (kapprogress.js: currentAttempt)."""
    started = 1
    if isinstance(state, dict) and whole_number(state.get("attempt"), 1, MAX_ATTEMPTS):
        started = int(state["attempt"])
    recorded = max((int(e["attempt"]) for e in items.values() if isinstance(e, dict)
                    and e.get("bank") == BANK and whole_number(e.get("attempt"), 1, MAX_ATTEMPTS)),
                   default=1)
    return max(started, recorded)


def result(items: Items, final: FinalAssessment, state=None) -> FinalResult:
    """Score the current attempt from the saved answers and the ``final`` state."""
    return score(items, final, current_attempt(items, state))


def last_review(items: Items, final: FinalAssessment, state=None) -> FinalResult | None:
    """The latest submitted attempt's result (My progress lists its confidently-wrong answers
    first): the current one once submitted, else the one before, if any."""
    attempt = current_attempt(items, state)
    now = score(items, final, attempt)
    if now.submitted or attempt == 1:
        return now if now.submitted else None
    before = score(items, final, attempt - 1)
    return before if before.submitted else None


def score(items: Items, final: FinalAssessment, attempt: int) -> FinalResult:
    """Score attempt ``attempt`` from the saved answers."""
    drawn = final.drawn(attempt)
    answers = {q.id: answer_of(items, q.id, attempt) for q in drawn}
    given = {i: entry for i, entry in answers.items() if entry is not None}
    answered = list(given)
    right = [i for i in answered if given[i].get("correct") is True]
    parts = tuple(LessonPart(stem, title,
                             sum(1 for i in right if final.lesson_of[i] == stem),
                             sum(1 for q in drawn if final.lesson_of[q.id] == stem))
                  for stem, title in final.lesson_titles.items())
    safety = [q.id for q in drawn if q.safety]
    submitted = bool(drawn) and len(answered) == len(drawn) and all(
        given[i].get("submitted") is True for i in answered)
    return FinalResult(attempt, submitted, len(drawn), len(answered), len(right),
                       final.pass_mark, parts, len(safety),
                       tuple(i for i in safety if i not in right),
                       tuple(i for i in answered if i not in right
                             and given[i].get("confidence") == CERTAIN))


@dataclass(frozen=True)
class Course:
    """The course's banks, read once, and its final assessment. Reading and parsing the bank
    files is most of the fixed time of ``kapcourse report`` and of every page that loads the
    course (seconds, not milliseconds), so a caller that needs both gets both from one read."""

    lessons: tuple[Bank, ...]  # every lesson's bank, in course order
    final: FinalAssessment | None  # None if no bank defines one

    @property
    def banks(self) -> list[Bank]:
        """Every lesson's bank, then the final assessment as a bank of its own, so that exports
        with final-assessment answers pool and get an item analysis too (``kapcourse report``)
        and every question has a fingerprint (``versions``)."""
        return [*self.lessons, *([self.final.bank] if self.final else [])]


def read_course(root: Path, citations: set[str] | None = None,
                full_paths: bool = False) -> Course:
    """Load every bank of the course at ``root`` (with ``citations``: the BibTeX keys that
    exist, so an unknown key is an error) and resolve its final assessment; raises BankError.
    Messages name a bank ``quizzes/<file>``, as the book and ``validate`` do, or by its full
    path (``full_paths``: a command such as ``report`` may run from any folder)."""
    banks = {path.stem: load_bank(path, citations,
                                  None if full_paths else f"quizzes/{path.name}")
             for path in bank_paths(root / "quizzes")}
    return Course(tuple(banks.values()), build(banks))


def course_parts(root: Path) -> tuple[list[Bank], FinalAssessment | None]:
    """``read_course(root, full_paths=True)`` unpacked as (banks with the final's, final), as
    ``kapcourse report`` (cli.py, workshop/) takes them."""
    course = read_course(root, full_paths=True)
    return course.banks, course.final
