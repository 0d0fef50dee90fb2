"""A cohort's knowledge gain for ``kapcourse report``: pre-test against the final (issue #19).

An export may carry the learner's pre-test, top-level key ``"pretest"``:
``{"version": 1, "submitted": "<ISO date>", "answers": {"<final question id>": {"correct":
true|false, "response": ..., "fp": "<16 hex>"}}}``. It is checked when read; a block that
cannot be used is set aside and counted with its reason, and an export without one is normal.
Only a submitted block counts, and only its answers to the final's questions as they are now
(an answer whose fingerprint differs from the question's is set aside, as lesson answers are).

A learner's gain on an objective (or a lesson) is the share of its final-assessment questions
they got right in the final's first attempt (submitted) minus the share right in the
pre-test; only learners with both count. Per objective and per lesson the report gives n, the
mean gain and its spread: the sample standard deviation of the learners' gains, kept as
running sums (Welford's method), so the memory it takes does not grow with the cohort.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kapcourse.record.final import BANK as FINAL_BANK
from kapcourse.record.final import FinalAssessment
from kapcourse.record.pretest import MESSAGES as PRETEST_MESSAGES
from kapcourse.record.pretest import problem as pretest_problem

# Under this many learners with both a pre-test and a final, a mean gain is mostly noise
# (one learner moves it by ten points or more): the report says so instead of reading it.
SMALL_GAIN_COHORT = 10

REASONS = {
    "block": "it is not a pre-test block",
    "version": "it has another pre-test version",
    "submitted": "it was not submitted",
    "answers": "its answers are malformed",
}


def block_problem(block) -> str:
    """Why a pre-test block cannot be used (a key of ``REASONS``), "" when it can. The shape is
    checked by the learner's own rule (``record.pretest.problem``, which kappretest.js
    mirrors), so the report and the course accept the same blocks; the report also needs the
    block to have been submitted."""
    why = pretest_problem(block)
    if why:
        return _REASON_OF[next(key for key, text in PRETEST_MESSAGES.items() if text == why)]
    return "" if "submitted" in block else "submitted"


# The learner-side rule's reasons, as the report counts them.
_REASON_OF = {"record": "block", "version": "version", "submitted": "submitted",
              "answers": "answers", "answer": "answers"}


def usable_answers(block: dict, current: dict[str, str]) -> tuple[dict[str, bool], int]:
    """(question id -> right, answers set aside) of a usable block: those to a question the
    course no longer has, or that changed since, are set aside."""
    kept = {question_id: answer["correct"] for question_id, answer in block["answers"].items()
            if current.get(question_id) == answer["fp"]}
    return kept, len(block["answers"]) - len(kept)


@dataclass
class Running:
    """n, mean and the sum of squared deviations, updated one value at a time (Welford)."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0

    def add(self, value: float) -> None:
        self.n += 1
        delta = value - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (value - self.mean)

    def merge(self, other: Running) -> None:
        """Add another part's values (Chan et al.'s parallel form of Welford's update). The
        last bits of the mean and spread may differ from adding the values one by one; the
        report prints them in whole percentage points, and splits a cohort into the same
        chunks whatever the number of processes (``report.CHUNK``), so its figures do not
        depend on them."""
        if other.n == 0:
            return
        if self.n == 0:  # exact: the formula below would round mean * n / n
            self.n, self.mean, self.m2 = other.n, other.mean, other.m2
            return
        n = self.n + other.n
        delta = other.mean - self.mean
        self.mean += delta * other.n / n
        self.m2 += other.m2 + delta * delta * self.n * other.n / n
        self.n = n

    @property
    def sd(self) -> float | None:
        return math.sqrt(self.m2 / (self.n - 1)) if self.n > 1 else None


@dataclass
class GainStat:
    id: str  # objective id or lesson stem
    text: str  # the objective's text or the lesson's title
    lesson: str
    n: int
    mean: float | None
    sd: float | None

    @property
    def small(self) -> bool:
        return self.n < SMALL_GAIN_COHORT


def first_attempt(items: dict, question_ids) -> dict[str, bool]:
    """Question id -> right, of the final's first attempt, submitted answers only, to the
    final's questions (``question_ids``: looking these up, about 100, is faster than going
    through a learner's 250 answers, for each of up to 100,000 exports, #19)."""
    return {question_id: bool(entry.get("correct")) for question_id in question_ids
            if (entry := items.get(question_id)) is not None
            and entry.get("bank") == FINAL_BANK and entry.get("submitted") is True
            and entry.get("attempt") == 1}


class GainTally:
    """The cohort's gain per objective and per lesson, one learner at a time."""

    def __init__(self, final: FinalAssessment) -> None:
        self.final = final
        self.objective_of = {q.id: item.objective for item in final.bank.items
                             for q in item.questions}
        self.by_objective: dict[str, Running] = {}
        self.by_lesson: dict[str, Running] = {}

    def add(self, pretest: dict[str, bool], items: dict) -> None:
        post = first_attempt(items, self.objective_of)
        for key, tally in ((self.objective_of.get, self.by_objective),
                           (self.final.lesson_of.get, self.by_lesson)):
            before, after = _shares(pretest, key), _shares(post, key)
            for group in before.keys() & after.keys():
                tally.setdefault(group, Running()).add(after[group] - before[group])

    def counts(self) -> tuple[dict[str, Running], dict[str, Running]]:
        """What a part of the cohort adds (``merge`` adds it to the whole)."""
        return self.by_objective, self.by_lesson

    def merge(self, counts: tuple[dict[str, Running], dict[str, Running]]) -> None:
        for mine, theirs in zip((self.by_objective, self.by_lesson), counts, strict=True):
            for group, running in theirs.items():
                mine.setdefault(group, Running()).merge(running)

    def stats(self) -> tuple[list[GainStat], list[GainStat]]:
        """(per objective, per lesson), in course order."""
        texts = {o.id: o.text for o in self.final.bank.objectives}
        lesson_of_objective = {self.objective_of[q]: stem
                               for q, stem in self.final.lesson_of.items()}
        objectives = [GainStat(o, texts.get(o, o), lesson_of_objective.get(o, ""), r.n, r.mean,
                               r.sd) for o, r in self._ordered(self.by_objective,
                                                               list(dict.fromkeys(
                                                                   self.objective_of.values())))]
        lessons = [GainStat(s, self.final.lesson_titles.get(s, s), s, r.n, r.mean, r.sd)
                   for s, r in self._ordered(self.by_lesson, list(self.final.lesson_titles))]
        return objectives, lessons

    @staticmethod
    def _ordered(tally: dict[str, Running], order: list[str]) -> list[tuple[str, Running]]:
        return [(key, tally[key]) for key in order if key in tally]


def _shares(answers: dict[str, bool], group_of) -> dict[str, float]:
    """Group (objective or lesson) -> share right, over the answers to its questions."""
    counts: dict[str, list[int]] = {}
    for question_id, right in answers.items():
        group = group_of(question_id)
        if group is not None:
            count = counts.setdefault(group, [0, 0])
            count[0] += right
            count[1] += 1
    return {group: right / asked for group, (right, asked) in counts.items()}
