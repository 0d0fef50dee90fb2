"""Pool learners' results exports into an item analysis for facilitators.

Definitions (also printed in the report):
- first-try share: of the learners who answered a question, the share right at the first try;
- discrimination index (upper-lower, Kelley's 27%): learners are ranked by their overall
  first-try share; with k = max(1, round(0.27 n)) learners in each of the top and bottom groups,
  D = (first-try share in the top group) - (in the bottom group). Needs at least 4 learners;
- most-chosen wrong option: the wrong option (or common numeric error) most often chosen at
  the first try, with the misconception its feedback names;
- objective mastered: a learner answered every question of the objective, at least 80% of
  them right at the first try; the share is over learners who answered any of them.

The final assessment is analysed apart from the lesson items, from its submitted answers (in
any attempt: each attempt draws other forms, so one learner may answer several):
- per question and per form (an objective's form 1, 2, ...): n answers and % right;
- confidently wrong: the share of a question's answers that were wrong and rated "certain"
  (the learner did not know they did not know: the first thing to teach again);
- a safety question is flagged when more than 20% of its answers were wrong.

Knowledge gain (``kapcourse.workshop.gain``): per objective and per lesson, over learners with
both a submitted pre-test and a submitted first attempt at the final, n, the mean of their gain
(share right in the final minus share right in the pre-test) and its standard deviation;
below ``gain.SMALL_GAIN_COHORT`` learners the report says the numbers mean nothing yet.

Scale (issue #19): ``pool`` reads each export once and folds it into the analysis' running
counts there and then, in chunks of ``CHUNK`` files, a worker process per core for a large
cohort; each chunk's counts are merged in the files' order. Only what needs the whole cohort
is kept, on disk (``kapcourse.workshop.cohort``): each learner's overall share and lesson
answers, one byte per question, which the database ranks for the discrimination index, and
the evaluation blocks. The main process only resolves duplicate export ids, keeps those rows
and merges the counts; ``analyse`` adds up the two groups' answers (numpy) and writes the figures.
Memory does not grow with the number of exports (disk does, by about 300 bytes per learner).
Where the time goes (profiled on 2,000 exports in one process; ``tests/bench_report.py`` times
1,000 to 100,000): reading, parsing and checking each file (each answer record is checked in
compiled code by the export's JSON Schema, ``results._schema_accepts``, and with
``rules.record_problem`` only when the schema refuses the export), about half; folding it
into the counts, the rest.
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy
from jinja2 import Environment, StrictUndefined

from kapcourse.bank.model import Bank, Question
from kapcourse.quiz.grading import parse_number
from kapcourse.record.final import BANK as FINAL_BANK
from kapcourse.record.final import CERTAIN, FinalAssessment
from kapcourse.record.results import ResultsError, read_export
from kapcourse.record.versions import course_tables
from kapcourse.workshop import gain
from kapcourse.workshop.cohort import Cohort
from kapcourse.workshop.meter import meter

MASTERY = 0.8
SAFETY_FLAG = 0.2  # a safety question more than this share of a cohort got wrong is flagged


@dataclass
class Pooled:
    """The pooled cohort. ``pool`` folds each usable export into the analysis' running counts
    (``tallies``) as it reads it, and keeps in ``exports`` (``cohort.Cohort``, on disk) only
    what needs the whole cohort: each learner's ranking and lesson answers for the
    discrimination index, and the evaluation block; ``len()`` is the number of learners. A
    list of records in ``exports`` (tests, by hand) is folded by ``analyse`` instead."""

    exports: Cohort | list[dict] = field(default_factory=Cohort)  # a list: tests, by hand
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    changed: int = 0  # answers set aside: their question changed since they were given
    removed: int = 0  # answers set aside: their question is no longer in the course
    versions: dict[str, int] = field(default_factory=dict)  # course version -> exports
    pretests: int = 0  # usable pre-test blocks
    pretests_set_aside: dict[str, int] = field(default_factory=dict)  # reason -> blocks
    pretest_answers_set_aside: int = 0  # answers of usable blocks: question changed or gone
    tallies: _Tallies | None = None  # the counts folded while pooling (None: a list)


# A course version as the package writes it (0.2.0, 0.3.0rc1, a local build's name): letters,
# digits and . + _ -. Anything else (markup, control characters) is not an export.
COURSE_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]{0,39}")
DUPLICATE = "is a duplicate of a file already pooled (same export id)"


@dataclass
class ItemStat:
    id: str
    bank: str
    objective: str
    learners: int
    first_try: float | None
    discrimination: float | None
    top_wrong: tuple[str, int, str] | None  # (option, learners who chose it, its feedback)


@dataclass
class ObjectiveStat:
    id: str
    text: str
    learners: int
    mastered: float | None


@dataclass
class FinalStat:
    """One final-assessment question: its submitted answers across the cohort."""

    id: str
    lesson: str
    objective: str
    form: int
    safety: bool
    answers: int
    right: float | None
    confidently_wrong: float | None  # share of its answers wrong and rated "certain"

    @property
    def flagged(self) -> bool:
        return self.safety and self.right is not None and 1 - self.right > SAFETY_FLAG


@dataclass
class FormStat:
    objective: str
    form: int
    answers: int
    right: float | None


@dataclass
class Report:
    learners: int
    items: list[ItemStat]
    objectives: list[ObjectiveStat]
    skipped: list[tuple[str, str]]
    changed: int = 0  # answers set aside because their question changed since
    removed: int = 0  # answers set aside because the course no longer has their question
    versions: dict[str, int] = field(default_factory=dict)
    final_questions: list[FinalStat] = field(default_factory=list)  # confidently wrong first
    final_forms: list[FormStat] = field(default_factory=list)
    pretests: int = 0  # usable pre-test blocks (see kapcourse.workshop.gain)
    pretests_set_aside: dict[str, int] = field(default_factory=dict)  # reason -> blocks
    pretest_answers_set_aside: int = 0
    gain_objectives: list[gain.GainStat] = field(default_factory=list)
    gain_lessons: list[gain.GainStat] = field(default_factory=list)


# From this many files on, the exports are read by one worker process per core (reading and
# checking each file, and folding it into the counts, is all the time a report takes).
PARALLEL_FROM = 500
# The files are read in chunks of this many, each chunk's counts folded by itself and merged
# in the files' order. The chunks do not depend on the number of processes, so neither do the
# figures (see gain.Running.merge: means and spreads are the only figures merging may round).
CHUNK = 250


@dataclass
class _Context:
    """What reading an export needs: the course's question ids, its tables (renames,
    fingerprints), the banks analysed as lesson items and the final assessment."""

    known_ids: set[str]
    tables: object
    banks: list[Bank]
    final: FinalAssessment | None

    @classmethod
    def of(cls, banks: list[Bank], final: FinalAssessment | None, tables=None) -> _Context:
        """The context for reading exports for ``banks`` (and ``final``); ``tables``
        default to this course's."""
        tables = course_tables() if tables is None else tables
        return cls({q.id for bank in banks for q in bank.questions}, tables,
                   _lesson_banks(banks, final), final)


def pool(paths: list[Path], course_version: str, banks: list[Bank],
         final: FinalAssessment | None = None, progress=sys.stderr, tables=None) -> Pooled:
    """Read every export, of this course version (``course_version``) or another, and fold
    it into the counts the analysis of ``banks`` (with ``final``: the final assessment's and
    the knowledge gain's too) needs; name and skip the files that cannot be used. Exports of
    other versions pool question by question, by id and fingerprint (``tables``, default:
    this course's; see kapcourse.record.versions): an answer to a question that changed
    since, or that the course no longer has, is set aside and counted, never pooled with
    answers to the question as it is now.

    Each export is read once, folded into the counts and dropped; what needs the whole
    cohort is kept on disk (``cohort.Cohort``), so memory does not grow with the number of
    files. ``progress`` (default stderr) shows a bar on a terminal and a few plain lines
    elsewhere."""
    context = _Context.of(banks, final, tables)
    tallies = _Tallies(context.banks, final)
    pooled = Pooled(tallies=tallies)
    shown = meter(len(paths), progress)
    for chunk, result in _chunks(paths, context):
        already = {d.export_id for d in result.digests
                   if isinstance(d, Digest) and d.export_id in pooled.exports}
        if already:  # a learner's file in an earlier chunk too (rare): read this one again
            result = _pool_chunk(chunk, context, already)
        for path, digest in zip(chunk, result.digests, strict=True):
            shown.update()
            if isinstance(digest, str):
                pooled.skipped.append((str(path), digest))
            else:
                _count(pooled, digest)
                pooled.exports.add(digest.export_id, digest.score, digest.data,
                                   digest.evaluation)
        tallies.merge(result.counts)
    shown.close()
    return pooled


def _lesson_banks(banks: list[Bank], final: FinalAssessment | None) -> list[Bank]:
    """The banks analysed as lesson items: with ``final``, not the final's own bank (its
    questions are analysed by _FinalTally)."""
    return [bank for bank in banks if bank.stem != FINAL_BANK] if final is not None else banks


@dataclass
class Digest:
    """What pooling keeps of one usable export, and what it counted while reading it."""

    export_id: str
    version: str
    score: float = 0.0  # overall first-try share, which ranks learners for discrimination
    data: bytes = b""  # its lesson answers as the discrimination index reads them
    evaluation: bytes | None = None  # the export's evaluation block (marshal), kept apart too
    changed: int = 0
    removed: int = 0
    pretest: str = ""  # "" none, "usable", or why it was set aside (a key of gain.REASONS)
    pretest_answers_set_aside: int = 0


def _count(pooled: Pooled, digest: Digest) -> None:
    pooled.changed += digest.changed
    pooled.removed += digest.removed
    pooled.versions[digest.version] = pooled.versions.get(digest.version, 0) + 1
    if digest.pretest == "usable":
        pooled.pretests += 1
        pooled.pretest_answers_set_aside += digest.pretest_answers_set_aside
    elif digest.pretest:
        aside = pooled.pretests_set_aside
        aside[digest.pretest] = aside.get(digest.pretest, 0) + 1


@dataclass
class _Chunk:
    digests: list[Digest | str]  # per file, in order: a Digest, or why it was skipped
    counts: tuple  # the _Tallies.counts() of the chunk's usable exports


_CONTEXT: _Context | None = None  # for worker processes, which inherit it (fork)


def _chunks(paths: list[Path], context: _Context):
    """(chunk of paths, _Chunk) per CHUNK files, in order. A large cohort is read by a
    process per core ("fork": the workers inherit the course instead of loading it again);
    this process only resolves duplicates across chunks and merges the counts."""
    global _CONTEXT
    chunks = [paths[start:start + CHUNK] for start in range(0, len(paths), CHUNK)]
    if not _parallel(len(paths)):
        for chunk in chunks:
            yield chunk, _pool_chunk(chunk, context)
        return
    _CONTEXT = context
    try:
        with multiprocessing.get_context("fork").Pool(_cores()) as workers:
            yield from zip(chunks, workers.imap(_pool_chunk_in_worker, chunks), strict=True)
    finally:
        _CONTEXT = None


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _parallel(count: int) -> bool:
    """Whether ``count`` files are worth a worker process per core."""
    return (count >= PARALLEL_FROM and _cores() >= 2
            and "fork" in multiprocessing.get_all_start_methods())


def _pool_chunk_in_worker(paths: list[Path]) -> _Chunk:
    if _CONTEXT is None:
        raise RuntimeError("a worker process started without the course (_chunks sets it)")
    return _pool_chunk(paths, _CONTEXT)


def _pool_chunk(paths: list[Path], context: _Context,
                pooled_before: frozenset[str] | set[str] = frozenset()) -> _Chunk:
    """Read a chunk of files and fold the usable ones into counts of their own. A file whose
    export id was pooled before (in ``pooled_before`` or earlier in the chunk) is skipped as
    a duplicate, as it would be read one by one."""
    tallies = _Tallies(context.banks, context.final)
    seen = set(pooled_before)
    digests: list[Digest | str] = []
    for path in paths:
        read = _digest(path, context)
        if isinstance(read, str):
            digests.append(read)
            continue
        digest, record = read
        if digest.export_id in seen:
            digests.append(DUPLICATE)
            continue
        seen.add(digest.export_id)
        digest.data = tallies.add(record)
        digests.append(digest)
    return _Chunk(digests, tallies.counts())


def _digest(path: Path, context: _Context) -> tuple[Digest, dict] | str:
    """One export read, checked and reduced to what the analysis needs (``record``), with
    what pooling keeps of it (the Digest); or why it cannot be used (the reason, a sentence
    after "it")."""
    tables, known_ids = context.tables, context.known_ids
    try:
        export = _checked(read_export(path, tables), known_ids, tables)
    except ResultsError as exc:
        return str(exc)
    digest = Digest(export["export_id"], export["course_version"])
    items, digest.score = _reduced(export["items"], known_ids, tables.current, digest)
    record = _record(export, items, tables.current, digest)
    if "evaluation" in export:
        digest.evaluation = marshal.dumps(export["evaluation"])
    return digest, record


def read_record(path: Path, banks: list[Bank], tables=None) -> dict:
    """What the analysis reads of one export file (its answers to the questions as they are
    now, pre-test and evaluation), as ``pool`` folds it; raises ResultsError naming why the
    file cannot be used. For a few files by hand: ``analyse(Pooled(exports=[...]), banks)``."""
    read = _digest(path, _Context.of(banks, None, tables))
    if isinstance(read, str):
        raise ResultsError(read)
    return read[1]


def evaluations(exports: Cohort | list[dict]):
    """The pooled exports as the course evaluation's summary reads them: of a ``Cohort``,
    only the evaluation blocks (``Cohort.evaluations``); a list as it is."""
    return exports.evaluations() if isinstance(exports, Cohort) else exports


def _checked(export: dict, known_ids: set[str], tables) -> dict:
    """The export, if its course version and question ids are ones the course can pool."""
    if not COURSE_VERSION.fullmatch(export["course_version"]):
        raise ResultsError(f"has course version {export['course_version'][:40]!r}, "
                           "which is not a version of the course")
    unknown = sorted(set(export["items"]) - known_ids - tables.retired)
    if unknown:
        listed = ", ".join(item_id[:40] for item_id in unknown[:3])
        raise ResultsError(f"has items this course does not have ({listed})")
    return export


def _reduced(items: dict, known_ids: set[str], current: dict[str, str],
             counts) -> tuple[dict, float]:
    """The answers to the questions as they are now (``items`` itself when none was set
    aside: they are folded into the counts and dropped), and the learner's overall first-try
    share (which ranks them for the discrimination index); the rest is counted in ``counts``
    (its ``changed`` and ``removed``). One loop, as this runs for each of up to 100,000
    exports' 250 answers (#19)."""
    set_aside = set()
    right = 0
    for item_id, entry in items.items():
        if item_id not in known_ids:
            counts.removed += 1
            set_aside.add(item_id)
            continue
        saved = entry.get("fp")
        if saved and saved != current.get(item_id, saved):  # the question changed since
            counts.changed += 1
            set_aside.add(item_id)
            continue
        right += entry["first_correct"]
    # most exports set nothing aside: their answers are kept as read, not copied
    kept = {k: v for k, v in items.items() if k not in set_aside} if set_aside else items
    return kept, (right / len(kept) if kept else 0.0)


def _record(export: dict, items: dict, current: dict[str, str], digest: Digest) -> dict:
    """What the analysis needs of one export (its answers reduced to ``items``); its
    pre-test checked (see kapcourse.workshop.gain)."""
    record = {"export_id": export["export_id"], "course_version": export["course_version"],
              "items": items}
    if "evaluation" in export:
        record["evaluation"] = export["evaluation"]
    if "pretest" in export:
        digest.pretest = gain.block_problem(export["pretest"]) or "usable"
        if digest.pretest == "usable":
            record["pretest"], digest.pretest_answers_set_aside = gain.usable_answers(
                export["pretest"], current)
    return record


def _overall(items: dict) -> float:
    """A learner's overall first-try share (as ``_reduced`` computes it), which ranks them
    for the discrimination index."""
    return _share([e["first_correct"] for e in items.values()]) or 0.0


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _discrimination(learners: list[tuple[float, str, bytes]],
                    order: list[str]) -> dict[str, float | None]:
    """Per question: first-try share in the top 27% minus the bottom 27% (see the module's
    definitions), of learners ranked in memory: (overall share, export id, answer vector of
    ``order``'s questions). A pooled ``Cohort`` is ranked on disk instead
    (``_cohort_discrimination``); both add up the groups' vectors the same way."""
    if len(learners) < 4:
        return {}
    k = _group_size(len(learners))
    ranked = [vector for _, _, vector in sorted(learners, key=lambda learner: learner[:2])]
    spread = _Spread(order)
    spread.add_vectors(ranked[:k], -1)
    spread.add_vectors(ranked[-k:], 1)
    return spread.stats()


def _cohort_discrimination(cohort: Cohort, order: list[str]) -> dict[str, float | None]:
    """``_discrimination`` of a pooled cohort: the database ranks the learners on disk and
    gives back the two groups' answer vectors, a batch at a time."""
    if len(cohort) < 4:
        return {}
    spread = _Spread(order)
    for vectors, group in cohort.ranked_groups(_group_size(len(cohort))):
        spread.add_vectors(vectors, group)
    return spread.stats()


def _group_size(learners: int) -> int:
    return max(1, round(0.27 * learners))


class _Spread:
    """Running counts for the discrimination index: per question and group (-1 bottom,
    +1 top), learners who answered it and those right at the first try."""

    def __init__(self, order: list[str]) -> None:
        self.order = order  # a vector's questions (_ItemTally.order)
        self.counts: dict[tuple[str, int], list[int]] = {}  # (question, group) -> [n, right]

    def add_vectors(self, vectors: list[bytes], group: int) -> None:
        """Add the learners of one group, given as vectors (``_ItemTally.add``: a byte per
        question of ``order``)."""
        if not vectors or not self.order:
            return
        matrix = numpy.frombuffer(b"".join(vectors), dtype=numpy.uint8).reshape(
            len(vectors), len(self.order))
        answered, right = (matrix > 0).sum(axis=0), (matrix == 2).sum(axis=0)
        for question_id, n, r in zip(self.order, answered.tolist(), right.tolist(),
                                     strict=True):
            if n:  # a question nobody in the group answered has no count
                count = self.counts.setdefault((question_id, group), [0, 0])
                count[0] += n
                count[1] += r

    def stats(self) -> dict[str, float | None]:
        found: dict[str, float | None] = {}
        for question_id in self.order:
            top, bottom = self.counts.get((question_id, 1)), self.counts.get((question_id, -1))
            if top and bottom:
                found[question_id] = top[1] / top[0] - bottom[1] / bottom[0]
        return found


def _wrong_choices(question: Question, response) -> list[tuple[str, str]]:
    """(option label, feedback) of each wrong choice in a first response."""
    if question.type == "truefalse" and isinstance(response, bool) and response != question.answer:
        return [(str(response), question.feedback_true if response else question.feedback_false)]
    if question.type in ("single", "multiple"):
        chosen = response if isinstance(response, list) else [response]
        return [(question.options[i].text, question.options[i].feedback) for i in chosen
                if isinstance(i, int) and 0 <= i < len(question.options)
                and not question.options[i].correct]
    if question.type == "numeric" and isinstance(response, str):
        value, _ = parse_number(response, question.unit)
        return [(f"{c.value:g} {question.unit}".strip(), c.feedback) for c in question.common_errors
                if value is not None and abs(value - c.value) <= question.tolerance + 1e-9]
    return []


CACHED = 10_000  # wrong responses whose wrong choices are remembered (_ItemTally)


class _ItemTally:
    """Running counts for the lesson items: per question (answered, right at the first try,
    each wrong choice) and per objective (answered any, mastered)."""

    def __init__(self, banks: list[Bank]) -> None:
        self.questions = {q.id: q for bank in banks for q in bank.questions}
        self.order = sorted(self.questions)  # the questions of a learner's vector (add)
        self.answered: dict[str, int] = dict.fromkeys(self.questions, 0)
        self.right: dict[str, int] = dict.fromkeys(self.questions, 0)
        # (question, option label, feedback) -> learners; insertion order breaks ties, as
        # the first-seen choice did before
        self.wrong: dict[tuple[str, str, str], int] = {}
        self.objectives = [(objective, tuple(q.id for q in bank.questions
                                             if q.objective == objective.id))
                           for bank in banks if bank.stem != FINAL_BANK  # judged in lessons
                           for objective in bank.objectives]
        self.mastery = [[0, 0] for _ in self.objectives]  # [answered any, mastered]
        # question -> (the question, its objective's place in self.objectives or None, its
        # place in a vector): one look-up per answer
        objective_of = {question_id: index for index, (_, ids) in enumerate(self.objectives)
                        for question_id in ids}
        self._slots = {question_id: (self.questions[question_id], objective_of.get(question_id),
                                     place) for place, question_id in enumerate(self.order)}
        self._cache: dict[tuple, list[tuple[str, str]]] = {}

    def add(self, items: dict) -> bytes:
        """Count one learner's answers, in one loop (it runs for each of up to 100,000
        exports' 250 answers, #19): per question, and per objective the answers and right
        ones. Returns them as a vector, one byte per question of ``order``: 0 not answered,
        1 wrong at the first try, 2 right (what the discrimination index reads of a learner)."""
        answered = [0] * len(self.objectives)  # per objective, this learner's
        right = [0] * len(self.objectives)
        vector = bytearray(len(self.order))
        for question_id, entry in items.items():
            slot = self._slots.get(question_id)
            if slot is None:
                continue
            question, index, place = slot
            self.answered[question_id] += 1
            first_correct = entry["first_correct"]
            vector[place] = 2 if first_correct else 1
            if index is not None:
                answered[index] += 1
                right[index] += first_correct
            if first_correct:
                self.right[question_id] += 1
                continue
            for label, feedback in self._wrong_choices(question, entry.get("first_response")):
                key = (question_id, label, feedback)
                self.wrong[key] = self.wrong.get(key, 0) + 1
        for (_, ids), count, done, done_right in zip(self.objectives, self.mastery, answered,
                                                     right, strict=True):
            if done:
                count[0] += 1
                count[1] += done == len(ids) and done_right >= MASTERY * len(ids)
        return bytes(vector)

    def _wrong_choices(self, question: Question, response) -> list[tuple[str, str]]:
        """``_wrong_choices``, remembered: a cohort gives the same few wrong responses to a
        question again and again. At most CACHED of them are kept (typed numbers vary)."""
        # marshal's bytes tell True from 1 and 1.0 from 1 (equal as keys, not as answers)
        key = (question.id, marshal.dumps(response))
        found = self._cache.get(key)
        if found is None:
            found = _wrong_choices(question, response)
            if len(self._cache) < CACHED:
                self._cache[key] = found
        return found

    def counts(self) -> tuple:
        """What a part of the cohort adds (``merge`` adds it to the whole): plain data, sent
        back from a worker process."""
        return self.answered, self.right, self.wrong, self.mastery

    def merge(self, counts: tuple) -> None:
        """Add a part's counts. Parts merged in pooling order keep the first-seen order of
        the wrong choices (the tie-break of ``top_wrong``): a choice first seen in a part
        was not seen in any part before it."""
        answered, right, wrong, mastery = counts
        for question_id, n in answered.items():
            self.answered[question_id] += n
        for question_id, n in right.items():
            self.right[question_id] += n
        for key, n in wrong.items():
            self.wrong[key] = self.wrong.get(key, 0) + n
        for mine, theirs in zip(self.mastery, mastery, strict=True):
            mine[0] += theirs[0]
            mine[1] += theirs[1]

    def top_wrong(self) -> dict[str, tuple[str, int, str]]:
        found: dict[str, tuple[str, int, str]] = {}
        for (question_id, label, feedback), count in self.wrong.items():
            if question_id not in found or count > found[question_id][1]:
                found[question_id] = (label, count, feedback)
        return found


def _submitted(entry: dict) -> bool:
    """A submitted final-assessment answer (0.3.0); 0.2.0's and unsubmitted ones are not."""
    return entry.get("bank") == FINAL_BANK and entry.get("submitted") is True


class _FinalTally:
    """Running counts of the final's submitted answers: per question (answers, right,
    wrong and rated certain)."""

    def __init__(self, final: FinalAssessment) -> None:
        self.final = final
        self.counts = {q.id: [0, 0, 0] for q in final.bank.questions}

    def add(self, items: dict) -> None:
        for question_id, count in self.counts.items():  # the final's: fewer than the answers
            entry = items.get(question_id)
            if entry is None or not _submitted(entry):
                continue
            count[0] += 1
            count[1] += bool(entry.get("correct"))
            count[2] += not entry.get("correct") and entry.get("confidence") == CERTAIN

    def merge(self, counts: dict[str, list[int]]) -> None:
        """Add another part's counts (``self.counts`` of a ``_FinalTally`` over that part)."""
        for question_id, (answers, right, certain) in counts.items():
            count = self.counts[question_id]
            count[0] += answers
            count[1] += right
            count[2] += certain

    def stats(self) -> tuple[list[FinalStat], list[FormStat]]:
        stats, tally = [], {}  # tally: (objective, form) -> [answers, right]
        for item in self.final.bank.items:
            for question in item.questions:
                answers, right, certain = self.counts[question.id]
                count = tally.setdefault((item.objective, item.form), [0, 0])
                count[0] += answers
                count[1] += right
                stats.append(FinalStat(question.id, self.final.lesson_of[question.id],
                                       item.objective, item.form, item.safety, answers,
                                       _ratio(right, answers), _ratio(certain, answers)))
        forms = [FormStat(objective, form, n, _ratio(right, n))
                 for (objective, form), (n, right) in tally.items()]
        stats.sort(key=lambda s: (-(s.confidently_wrong or 0), s.id))
        return stats, forms


def analyse_final(exports, final: FinalAssessment) -> tuple[list[FinalStat], list[FormStat]]:
    """Per question and per form: n and % right; the confidently-wrong rate per question."""
    tally = _FinalTally(final)
    for export in exports:
        tally.add(export["items"])
    return tally.stats()


class _Tallies:
    """Every running count the analysis keeps, for the whole cohort or a chunk of it (the
    discrimination index's are counted apart, from the ranked cohort: ``_Spread``)."""

    def __init__(self, banks: list[Bank], final: FinalAssessment | None) -> None:
        self.stems = [bank.stem for bank in banks]  # what the counts were made for
        self.items = _ItemTally(banks)
        self.final = _FinalTally(final) if final is not None else None
        self.gains = gain.GainTally(final) if final is not None else None

    def add(self, export: dict) -> bytes:
        """Count one learner's record (``read_record``); returns their lesson answers as
        the discrimination index reads them (``_ItemTally.add``)."""
        vector = self.items.add(export["items"])
        if self.final is not None:
            self.final.add(export["items"])
        if self.gains is not None and "pretest" in export:
            self.gains.add(export["pretest"], export["items"])
        return vector

    def counts(self) -> tuple:
        """The counts alone (plain data, small), as a worker process sends them back."""
        return (self.items.counts(), None if self.final is None else self.final.counts,
                None if self.gains is None else self.gains.counts())

    def merge(self, counts: tuple) -> None:
        items, final, gains = counts
        self.items.merge(items)
        if self.final is not None:
            self.final.merge(final)
        if self.gains is not None:
            self.gains.merge(gains)

    def check_made_for(self, banks: list[Bank], final: FinalAssessment | None) -> None:
        if self.stems != [bank.stem for bank in banks] or (self.final is None) != (final is None):
            raise ValueError("analyse was given other banks or final assessment than pool "
                             "pooled these exports for: give it the same ones")


def analyse(pooled: Pooled, banks: list[Bank], final: FinalAssessment | None = None) -> Report:
    """The lesson items' analysis; with ``final``, the final assessment's, kept apart, and
    the cohort's knowledge gain: of the same ``banks`` and ``final`` ``pool`` was given. The
    counts were folded while pooling (``Pooled.tallies``); the discrimination index ranks the
    cohort on disk. A list of records (tests, by hand) is folded and ranked here instead."""
    banks = _lesson_banks(banks, final)
    if isinstance(pooled.exports, Cohort):
        tallies = pooled.tallies if pooled.tallies is not None else _Tallies(banks, final)
        tallies.check_made_for(banks, final)
        discrimination = _cohort_discrimination(pooled.exports, tallies.items.order)
    else:
        tallies = _Tallies(banks, final)
        learners = [(_overall(export["items"]), export["export_id"], tallies.add(export))
                    for export in pooled.exports]
        discrimination = _discrimination(learners, tallies.items.order)
    items = tallies.items
    top_wrong = items.top_wrong()
    item_stats = [ItemStat(q.id, bank.stem, q.objective, items.answered[q.id],
                           _ratio(items.right[q.id], items.answered[q.id]),
                           discrimination.get(q.id), top_wrong.get(q.id))
                  for bank in banks for q in bank.questions]
    objectives = [ObjectiveStat(objective.id, objective.text, answered,
                                _ratio(mastered, answered))
                  for (objective, _), (answered, mastered) in zip(items.objectives,
                                                                  items.mastery, strict=True)]
    report = Report(len(pooled.exports), item_stats, objectives, pooled.skipped,
                    changed=pooled.changed, removed=pooled.removed,
                    versions=dict(sorted(pooled.versions.items())),
                    pretests=pooled.pretests, pretests_set_aside=dict(pooled.pretests_set_aside),
                    pretest_answers_set_aside=pooled.pretest_answers_set_aside)
    if tallies.final is not None and tallies.gains is not None:
        report.final_questions, report.final_forms = tallies.final.stats()
        report.gain_objectives, report.gain_lessons = tallies.gains.stats()
    return report


def set_aside_text(report: Report) -> str:
    """One plain line for the facilitator: the versions pooled and what was set aside."""
    versions = ", ".join(f"{v} ({n})" for v, n in report.versions.items()) or "none"
    return (f"Course versions pooled (exports): {versions}. Answers set aside because their "
            f"question changed since: {report.changed}; because the course no longer has "
            f"their question: {report.removed}.")


# --- writing -------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _d(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def _charts(report: Report, folder: Path) -> list[tuple[str, str]]:
    """Bar charts as PNG files; returns (file name, alt text) pairs."""
    from matplotlib.figure import Figure

    charts = []
    item_rows = [(i.id, i.first_try) for i in report.items if i.first_try is not None]
    objective_rows = [(o.id, o.mastered) for o in report.objectives if o.mastered is not None]
    for name, rows, label, title in (
        ("items.png", item_rows, "share right at first try", "First-try share per question"),
        ("objectives.png", objective_rows, "share of learners who mastered it",
         "Mastery per objective"),
    ):
        if not rows:
            continue
        figure = Figure(figsize=(8, max(2.0, 0.28 * len(rows) + 1)))
        axes = figure.subplots()
        axes.barh([r[0] for r in rows], [r[1] for r in rows], color="#0072B2")
        axes.set_xlim(0, 1)
        axes.set_xlabel(label)
        axes.set_title(title)
        axes.invert_yaxis()
        figure.tight_layout()
        figure.savefig(folder / name, dpi=100)
        weakest = min(rows, key=lambda r: r[1])
        charts.append((name, f"{title}: {len(rows)} bars; the lowest is {weakest[0]} at "
                             f"{weakest[1]:.0%}."))
    return charts


def _md(text: str) -> str:
    """Untrusted text (file names, and the course versions and item ids read from files) as
    inert Markdown: one line, every ASCII punctuation character backslash-escaped (CommonMark
    allows that for all of them), so no HTML, link, code span or table cell can start."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(text.split()))


def write_report(report: Report, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    charts = _charts(report, folder)
    md = [f"# Workshop results: {report.learners} learners", "",
          "Definitions: see `kapcourse.workshop.report` (first-try share; discrimination "
          "index, upper minus lower 27%; most-chosen wrong option; objective mastered = every "
          "question answered, at least 80% right at the first try).", ""]
    md += [set_aside_text(report), ""]  # numbers and checked version numbers only
    md += [f"![{alt}]({name})" for name, alt in charts] + [""]
    md += ["## Questions", "", "| question | lesson | objective | learners | first try | "
           "discrimination | most-chosen wrong option (misconception) |", "|---" * 7 + "|"]
    for i in report.items:
        wrong = f"{i.top_wrong[0]} ({i.top_wrong[1]}): {i.top_wrong[2]}" if i.top_wrong else ""
        md.append(f"| {i.id} | {i.bank} | {i.objective} | {i.learners} | {_pct(i.first_try)} | "
                  f"{_d(i.discrimination)} | {wrong.replace('|', '/')} |")
    md += ["", "## Objectives", "", "| objective | learners | mastered |", "|---|---|---|"]
    md += [f"| {o.id}: {o.text} | {o.learners} | {_pct(o.mastered)} |" for o in report.objectives]
    if report.final_questions:
        md += ["", "## Final assessment", "", "Submitted answers, every attempt; confidently "
               "wrong = wrong and rated certain. Safety questions more than 20% of the cohort "
               "got wrong are flagged.", "", "| question | lesson | objective | form | "
               "answers | right | confidently wrong | safety |", "|---" * 8 + "|"]
        md += [f"| {s.id} | {s.lesson} | {s.objective} | {s.form} | {s.answers} | "
               f"{_pct(s.right)} | {_pct(s.confidently_wrong)} | {_safety(s)} |"
               for s in report.final_questions]
        md += ["", "| objective | form | answers | right |", "|---|---|---|---|"]
        md += [f"| {f.objective} | {f.form} | {f.answers} | {_pct(f.right)} |"
               for f in report.final_forms]
    md += _gain_markdown(report)
    if report.skipped:
        md += ["", "## Files skipped", ""]
        md += [f"- {_md(f)}: {_md(why)}" for f, why in report.skipped]
    md_path = folder / "report.md"
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    html_path = folder / "report.html"
    html_path.write_text(_html(report, charts), encoding="utf-8")
    return html_path, md_path


def _pp(value: float | None, sign: bool = True) -> str:
    """A share difference in percentage points: +25 pp."""
    if value is None:
        return "n/a"
    return f"{100 * value:+.0f} pp" if sign else f"{100 * value:.0f} pp"


def gain_intro(report: Report) -> str:
    """What the gain tables hold, and the pre-tests pooled and set aside (plain text)."""
    aside = "; ".join(f"{gain.REASONS[reason]}: {count}"
                      for reason, count in sorted(report.pretests_set_aside.items()))
    return (f"Pre-tests pooled: {report.pretests}. Pre-tests set aside: {aside or 'none'}. "
            f"Pre-test answers set aside because their question changed since or is gone: "
            f"{report.pretest_answers_set_aside}. A learner's gain is the share they got right "
            "in the final's first attempt minus the share right in the pre-test, on the same "
            "objective (or lesson); only learners with both count. Mean gain and its spread, "
            "the standard deviation (SD) of the learners' gains, in percentage points (pp).")


def gain_note(stat: gain.GainStat) -> str:
    """Said plainly in the row when n is too small for the numbers to mean anything."""
    if stat.small:
        return (f"too few learners (fewer than {gain.SMALL_GAIN_COHORT}): these numbers do "
                "not mean anything yet")
    return ""


NO_GAIN = ("No learner has both a submitted pre-test and a submitted first attempt at the "
           "final: there is no gain to show.")


def _gain_markdown(report: Report) -> list[str]:
    if not report.final_questions:
        return []
    md = ["", "## Knowledge gain (pre-test to final)", "", gain_intro(report), ""]  # ours
    if not report.gain_lessons:
        return [*md, NO_GAIN]
    md += ["| lesson | learners | mean gain | SD | note |", "|---" * 5 + "|"]
    md += [f"| {_md(s.text)} | {s.n} | {_pp(s.mean)} | {_pp(s.sd, False)} | {gain_note(s)} |"
           for s in report.gain_lessons]
    md += ["", "| objective | lesson | learners | mean gain | SD | note |", "|---" * 6 + "|"]
    md += [f"| {_md(s.id)}: {_md(s.text)} | {_md(s.lesson)} | {s.n} | {_pp(s.mean)} | "
           f"{_pp(s.sd, False)} | {gain_note(s)} |" for s in report.gain_objectives]
    return md


def _safety(stat: FinalStat) -> str:
    if not stat.safety:
        return ""
    return "FLAGGED: more than 20% wrong" if stat.flagged else "safety"


# Jinja2 with autoescape: file names, course versions and item ids come from learners' files.
_PAGES = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
PAGE = _PAGES.from_string(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Workshop results: {{ report.learners }} learners</title><style>"
    "body{font-family:sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem;"
    "vertical-align:top}img{max-width:100%}</style></head><body>"
    "<h1>Workshop results: {{ report.learners }} learners</h1>"
    "<p>First-try share; discrimination index (upper minus lower 27%, n/a under 4 "
    "learners); most-chosen wrong option with the misconception its feedback names; an "
    "objective is mastered when every question of it was answered, at least 80% right at "
    "the first try.</p><p>{{ set_aside }}</p>"
    '{% for name, alt in charts %}<img src="{{ name }}" alt="{{ alt }}">{% endfor %}'
    "<h2>Questions</h2><table><tr><th>question</th><th>lesson</th><th>objective</th>"
    "<th>learners</th><th>first try</th><th>discrimination</th>"
    "<th>most-chosen wrong option (misconception)</th></tr>"
    "{% for i in report.items %}<tr><td>{{ i.id }}</td><td>{{ i.bank }}</td>"
    "<td>{{ i.objective }}</td><td>{{ i.learners }}</td><td>{{ pct(i.first_try) }}</td>"
    "<td>{{ d(i.discrimination) }}</td><td>{% if i.top_wrong %}{{ i.top_wrong[0] }} "
    "({{ i.top_wrong[1] }}): {{ i.top_wrong[2] }}{% endif %}</td></tr>{% endfor %}</table>"
    "<h2>Objectives</h2><table><tr><th>objective</th><th>learners</th><th>mastered</th></tr>"
    "{% for o in report.objectives %}<tr><td>{{ o.id }}: {{ o.text }}</td>"
    "<td>{{ o.learners }}</td><td>{{ pct(o.mastered) }}</td></tr>{% endfor %}</table>"
    "{% if report.final_questions %}<h2>Final assessment</h2><p>Submitted answers, every "
    "attempt; confidently wrong = wrong and rated certain (listed first). Safety questions "
    "more than 20% of the cohort got wrong are flagged.</p><table><tr><th>question</th>"
    "<th>lesson</th><th>objective</th><th>form</th><th>answers</th><th>right</th>"
    "<th>confidently wrong</th><th>safety</th></tr>{% for s in report.final_questions %}"
    "<tr><td>{{ s.id }}</td><td>{{ s.lesson }}</td><td>{{ s.objective }}</td>"
    "<td>{{ s.form }}</td><td>{{ s.answers }}</td><td>{{ pct(s.right) }}</td>"
    "<td>{{ pct(s.confidently_wrong) }}</td><td>{% if s.flagged %}<strong>{{ safety(s) }}"
    "</strong>{% else %}{{ safety(s) }}{% endif %}</td></tr>{% endfor %}</table>"
    "<table><tr><th>objective</th><th>form</th><th>answers</th><th>right</th></tr>"
    "{% for f in report.final_forms %}<tr><td>{{ f.objective }}</td><td>{{ f.form }}</td>"
    "<td>{{ f.answers }}</td><td>{{ pct(f.right) }}</td></tr>{% endfor %}</table>"
    "{% endif %}"
    "{% if report.final_questions %}<h2>Knowledge gain (pre-test to final)</h2>"
    "<p>{{ gain_intro }}</p>{% if not report.gain_lessons %}<p>{{ no_gain }}</p>{% else %}"
    "<table><tr><th>lesson</th><th>learners</th><th>mean gain</th><th>SD</th><th>note</th>"
    "</tr>{% for s in report.gain_lessons %}<tr><td>{{ s.text }}</td><td>{{ s.n }}</td>"
    "<td>{{ pp(s.mean) }}</td><td>{{ pp(s.sd, False) }}</td><td>{{ gain_note(s) }}</td></tr>"
    "{% endfor %}</table><table><tr><th>objective</th><th>lesson</th><th>learners</th>"
    "<th>mean gain</th><th>SD</th><th>note</th></tr>{% for s in report.gain_objectives %}"
    "<tr><td>{{ s.id }}: {{ s.text }}</td><td>{{ s.lesson }}</td><td>{{ s.n }}</td>"
    "<td>{{ pp(s.mean) }}</td><td>{{ pp(s.sd, False) }}</td><td>{{ gain_note(s) }}</td></tr>"
    "{% endfor %}</table>{% endif %}{% endif %}"
    "{% if report.skipped %}<h2>Files skipped</h2><ul>{% for file, why in report.skipped %}"
    "<li><code>{{ file }}</code>: {{ why }}</li>{% endfor %}</ul>{% endif %}"
    "</body></html>\n")


def _html(report: Report, charts: list[tuple[str, str]]) -> str:
    return PAGE.render(report=report, charts=charts, pct=_pct, d=_d, safety=_safety,
                       set_aside=set_aside_text(report), gain_intro=gain_intro(report),
                       no_gain=NO_GAIN, pp=_pp, gain_note=gain_note)
