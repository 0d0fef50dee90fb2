"""The final assessment: items written for it alone (``final_items``), in parallel forms.

Every lesson bank may hold ``final_items``, each a ``form`` (1, 2, ...) of one of its
objectives, some marked ``safety: true``. Attempt *n* draws, for every objective of every
lesson, the form ((n - 1) mod forms) + 1, so a new attempt gets the other form. The final is
passed when its answers are submitted, the pass mark is met AND every safety question drawn is
right. Lesson 09's bank (the case studies) keeps ``final_assessment:`` for the pass mark. No
display code here;
``_static/kapprogress.js`` mirrors this module (tests/golden/final.yml runs both).

Fallback until the written items land: when NO bank has ``final_items``, the old list of
reused lesson items (``final_assessment.items``, shown under ``final-<id>``) is the only form
of every objective. The lead removes this at merge, once lessons 01-09 have their forms.

Answers are saved under the progress bank ``final`` with three more fields: ``attempt`` (the
attempt they belong to), ``confidence`` (how sure the learner was) and ``submitted`` (set on
every answer of the attempt by Submit), so an export carries the whole attempt. Answers
without ``attempt`` (saved by release 0.2.0) load and count towards nothing. The progress
data's ``final`` mapping holds the number of an attempt started before any answer.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from kapcourse.bank.model import (
    Bank,
    BankError,
    Item,
    Problem,
    Question,
    Vignette,
    bank_paths,
    load_bank,
)
from kapcourse.record.rules import CONFIDENCE, MAX_ATTEMPTS, AnswerRecord, Items, whole_number

BANK = "final"  # the progress records' bank name for final-assessment answers
PREFIX = "final-"  # ids of reused lesson items (the fallback, and release 0.2.0's answers)
MIN_QUESTIONS = 20
CERTAIN = CONFIDENCE[-1]


@dataclass(frozen=True)
class FinalAssessment:
    host: str  # stem of the bank that defines it
    pass_mark: int  # per cent of its questions right at the first try
    bank: Bank  # the reused items under their final- ids, as a bank named "final"
    lesson_of: dict[str, str]  # final question id -> stem of the lesson it comes from
    lesson_titles: dict[str, str]  # lesson stem -> title, in course order
    # objective id -> its forms, in order (the fallback's reused items are all "form 0")
    forms: dict[str, tuple[int, ...]] = dataclasses.field(default_factory=dict)
    reused: bool = False  # the fallback: lesson items reused, one form per objective

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of every form (the book's page holds them all)."""
        return self.bank.questions

    def form_for(self, objective: str, attempt: int) -> int:
        forms = self.forms.get(objective, (0,))
        return forms[(attempt - 1) % len(forms)]

    def items_for(self, attempt: int) -> tuple[Item, ...]:
        """The items attempt ``attempt`` draws: one form of every objective."""
        return tuple(item for item in self.bank.items
                     if item.form == self.form_for(item.objective, attempt))

    def drawn(self, attempt: int) -> tuple[Question, ...]:
        return tuple(q for item in self.items_for(attempt) for q in item.questions)


def reuse(item: Item) -> Item:
    """The item under a final- id (a case keeps its parts, each renamed the same way)."""
    if isinstance(item, Vignette):
        parts = tuple(dataclasses.replace(p, id=PREFIX + p.id) for p in item.parts)
        return dataclasses.replace(item, id=PREFIX + item.id, parts=parts)
    return dataclasses.replace(item, id=PREFIX + item.id)


def build(banks: dict[str, Bank], file_of=lambda bank: f"quizzes/{bank.stem}.yml",
          min_questions: int = MIN_QUESTIONS) -> FinalAssessment | None:
    """The course's final assessment, or None if no bank defines one; raises BankError."""
    hosts = [bank for _, bank in sorted(banks.items()) if bank.final is not None]
    if not hosts:
        return None
    host = hosts[0]
    file = file_of(host)
    problems = [Problem(file_of(extra), 1, 1, "final_assessment",
                        f"{file} already defines the final assessment; keep one")
                for extra in hosts[1:]]
    if any(bank.final_items for bank in banks.values()):
        return _written(banks, host, problems, file_of)
    # FALLBACK (remove at merge when every bank has final_items): reuse the listed items.
    lessons = {stem: bank for stem, bank in sorted(banks.items()) if stem != host.stem}
    owner = {item.id: stem for stem, bank in lessons.items() for item in bank.items}
    part_of = {part.id: item.id for bank in lessons.values() for item in bank.items
               if isinstance(item, Vignette) for part in item.parts}
    spec = host.final
    if spec is None:  # hosts are the banks with a final_assessment section
        raise BankError([Problem(file, 1, 1, "final_assessment", "missing")])
    items: list[Item] = []
    lesson_of: dict[str, str] = {}
    for index, ref in enumerate(spec.refs):
        where = f"final_assessment.items[{index}]"
        if ref.id in owner:
            item = reuse(lessons[owner[ref.id]].item(ref.id))
            items.append(item)
            lesson_of.update((q.id, owner[ref.id]) for q in item.questions)
        elif ref.id in part_of:
            problems.append(Problem(file, ref.line, ref.column, where,
                                    f"'{ref.id}' is one part of the case '{part_of[ref.id]}'; "
                                    "reuse the whole case by its id"))
        else:
            problems.append(Problem(file, ref.line, ref.column, where,
                                    f"no other lesson's bank has an item '{ref.id}'"))
    problems += _coverage_problems(host, lessons, items, file, min_questions)
    if problems:
        raise BankError(problems)
    objectives = tuple(o for bank in lessons.values() for o in bank.objectives)
    final_bank = Bank(BANK, host.path, "Final assessment", host.reviewed, objectives, tuple(items))
    return FinalAssessment(host.stem, spec.pass_mark, final_bank, lesson_of,
                           {stem: bank.title for stem, bank in lessons.items()},
                           {item.objective: (0,) for item in items}, reused=True)


def _written(banks: dict[str, Bank], host: Bank, problems: list[Problem],
             file_of) -> FinalAssessment:
    """The final from every bank's ``final_items``: every objective of every lesson (the host's
    too) needs its forms, so a bank without them is named at its objective's line."""
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
    # No fixed minimum of questions here (the fallback's MIN_QUESTIONS): one form of every
    # objective of every lesson is the coverage rule, and the course has about 30 objectives.
    if problems:
        raise BankError(problems)
    objectives = tuple(o for bank in banks.values() for o in bank.objectives)
    final_bank = Bank(BANK, host.path, "Final assessment", host.reviewed, objectives, tuple(items))
    pass_mark = host.final.pass_mark if host.final else 0  # host: a bank with the section
    return FinalAssessment(host.stem, pass_mark, final_bank, lesson_of,
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


def _coverage_problems(host: Bank, lessons: dict[str, Bank], items: list[Item],
                       file: str, min_questions: int) -> list[Problem]:
    """Enough questions, and an item for every objective of every lesson."""
    refs = host.final.refs if host.final else ()
    line, column = (refs[0].line, refs[0].column) if refs else (1, 1)
    questions = [q for item in items for q in item.questions]
    problems = []
    if len(questions) < min_questions:
        problems.append(Problem(file, line, column, "final_assessment.items",
                                f"the final assessment has {len(questions)} questions; "
                                f"at least {min_questions} needed"))
    covered = {q.objective for q in questions}
    for stem, bank in lessons.items():
        missing = [o.id for o in bank.objectives if o.id not in covered]
        if missing:
            problems.append(Problem(file, line, column, "final_assessment.items",
                                    f"no item for objective(s) {', '.join(missing)} of "
                                    f"quizzes/{stem}.yml; draw from every lesson's objectives"))
    return problems


def load(root: Path, citations: set[str] | None = None) -> FinalAssessment | None:
    """Load every bank of the course and resolve its final assessment."""

    banks = {path.stem: load_bank(path, citations, f"quizzes/{path.name}")
             for path in bank_paths(root / "quizzes")}
    return build(banks)


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


def course_final(root: Path) -> FinalAssessment | None:
    """The final assessment of the course at ``root`` (its banks loaded without checks)."""
    return course_parts(root)[1]


def course_banks(root: Path) -> list[Bank]:
    """Every lesson's bank, then the final assessment as a bank of its own, so that exports
    with final-assessment answers pool and get an item analysis too (``kapcourse report``)
    and every question has a fingerprint (``versions``)."""
    return course_parts(root)[0]


def course_parts(root: Path) -> tuple[list[Bank], FinalAssessment | None]:
    """``course_banks`` and ``course_final`` from one reading of the bank files: reading and
    parsing them is most of the fixed time of ``kapcourse report`` (seconds, not
    milliseconds), so a caller that needs both reads them once."""
    banks = {path.stem: load_bank(path) for path in bank_paths(root / "quizzes")}
    final = build(banks)
    return [*banks.values(), *([final.bank] if final else [])], final
