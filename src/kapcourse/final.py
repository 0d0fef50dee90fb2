"""The final assessment: items of the lesson banks, reused by id and never copied.

One bank (lesson 08's) has a ``final_assessment`` section: a pass mark and a list of item
ids from the other banks. Resolving it needs every bank, so it happens here, not in the
single-bank loader. The reused questions get ids prefixed with ``final-``: the learner's
final-assessment answers are saved apart from their lesson answers (bank ``final``), and the
options appear in a different order from the lesson. No display code here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .model import Bank, BankError, Item, Problem, Question, Vignette, load_bank

BANK = "final"  # the progress records' bank name for final-assessment answers
PREFIX = "final-"
MIN_QUESTIONS = 20


@dataclass(frozen=True)
class FinalAssessment:
    host: str  # stem of the bank that defines it
    pass_mark: int  # per cent of its questions right at the first try
    bank: Bank  # the reused items under their final- ids, as a bank named "final"
    lesson_of: dict[str, str]  # final question id -> stem of the lesson it comes from
    lesson_titles: dict[str, str]  # lesson stem -> title, in course order

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.bank.questions


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
    lessons = {stem: bank for stem, bank in sorted(banks.items()) if stem != host.stem}
    owner = {item.id: stem for stem, bank in lessons.items() for item in bank.items}
    part_of = {part.id: item.id for bank in lessons.values() for item in bank.items
               if isinstance(item, Vignette) for part in item.parts}
    items, lesson_of = [], {}
    for index, ref in enumerate(host.final.refs):
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
    return FinalAssessment(host.stem, host.final.pass_mark, final_bank, lesson_of,
                           {stem: bank.title for stem, bank in lessons.items()})


def _coverage_problems(host: Bank, lessons: dict[str, Bank], items: list[Item],
                       file: str, min_questions: int) -> list[Problem]:
    """Enough questions, and an item for every objective of every lesson."""
    refs = host.final.refs
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
    from .course import bank_files

    banks = {path.stem: load_bank(path, citations, f"quizzes/{path.name}")
             for path in bank_files(root)}
    return build(banks)


@dataclass(frozen=True)
class LessonPart:
    stem: str
    title: str
    right: int  # right at the first try in the current attempt
    total: int


@dataclass(frozen=True)
class FinalResult:
    total: int
    answered: int
    right: int  # right at the first try
    pass_mark: int
    by_lesson: tuple[LessonPart, ...]

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    @property
    def percent(self) -> int:
        return 100 * self.right // self.total if self.total else 0  # as kapprogress.js

    @property
    def passed(self) -> bool:
        return self.complete and 100 * self.right >= self.pass_mark * self.total


def result(items: dict, final: FinalAssessment) -> FinalResult:
    """Score the current attempt from the saved progress records (first try counts)."""
    ids = [q.id for q in final.questions]
    answered = [i for i in ids if i in items]
    right = [i for i in answered if items[i].get("first_correct")]
    parts = tuple(LessonPart(stem, title,
                             sum(1 for i in right if final.lesson_of[i] == stem),
                             sum(1 for i in ids if final.lesson_of[i] == stem))
                  for stem, title in final.lesson_titles.items())
    return FinalResult(len(ids), len(answered), len(right), final.pass_mark, parts)

