"""`kapcourse report` pools a large cohort in worker processes (issue #19): the files are cut
into chunks (report.CHUNK files), each chunk read and folded into counts by itself, and the
chunks' counts merged in the files' order. The printed report must not depend on it: the same
with one process or a worker per core, and the same as a list of the records folded in one
pass. A learner's file found again in a later chunk is skipped as a duplicate all the same.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random

import pytest

from kapcourse.record.results import make_export
from kapcourse.record.versions import Tables
from kapcourse.workshop import gain, report
from kapcourse.workshop.report import analyse, pool, read_record, write_report

from .test_report import BANK, learner
from .test_report_stream import (
    ALL_BANKS,
    FINAL,
    FINAL_RIGHT,
    PRE_RIGHT,
    TABLES,
    final_answers,
    pretest,
)

WRONG = {"fx-single": 1, "fx-multiple": [0], "fx-truefalse": False, "fx-numeric": "140",
         "fx-ordering": [3, 2, 1, 0], "fx-case-a": 1, "fx-case-b": False}
CHUNK = 3  # files per chunk here: a cohort of a few dozen files is cut into many chunks


def lesson_cohort(folder) -> None:
    """38 learners of the fixture course, many ties; fx-single's two wrong options chosen by
    as many learners, "Red" (2) first, so that it wins the tie (first seen) only if the
    chunks are merged in the files' order: "Green" (1) is first seen in a later chunk. One
    learner in five has a course evaluation. The last file is a copy of the second, in
    another chunk."""
    rng = random.Random(19)
    singles = [2, 2, None, None, 1, 1] + [None] * 32  # Red in the first chunk, Green after
    for number, single in enumerate(singles):
        wrong = {q: WRONG[q] for q in WRONG if q != "fx-single" and rng.random() < 0.4}
        if single is not None:
            wrong["fx-single"] = single
        export = make_export(learner(wrong), "0.1.0")
        export["export_id"] = f"{number:03d}-{rng.randrange(10**6):06d}"
        if number % 11 == 10:
            export["items"] = {}
        if number % 5 == 0:
            export["evaluation"] = {"version": 1, "answers": {"relevance": number % 4 + 1}}
        (folder / f"l{number:03d}.json").write_text(json.dumps(export))
    (folder / "l999.json").write_text((folder / "l001.json").read_text())  # a duplicate
    (folder / "zz-junk.json").write_text("{oops")


def gain_cohort(folder) -> None:
    """31 learners of the final-assessment fixture with a pre-test and a first attempt, right
    or wrong at random: the gain's means and spreads are merged across chunks."""
    rng = random.Random(7)
    for number in range(31):
        right = {qid: rng.random() < 0.7 for qid in FINAL_RIGHT}
        export = make_export({"items": final_answers(right)}, "0.3.0")
        export["pretest"] = pretest({qid: rng.random() < 0.4 for qid in PRE_RIGHT})
        (folder / f"g{number:03d}.json").write_text(json.dumps(export))


def printed(result, folder, monkeypatch) -> tuple[str, str]:
    """The report's Markdown and HTML. No charts: drawing them took most of this test's time,
    and they show the items' and objectives' figures, which the tests compare themselves."""
    monkeypatch.setattr(report, "_charts", lambda result, folder: [])
    html_path, md_path = write_report(result, folder)
    return md_path.read_text(encoding="utf-8"), html_path.read_text(encoding="utf-8")


def three_ways(paths, version, banks, final, tables, monkeypatch):
    """The report of one process, of a worker per core, and of the usable records as a list
    (read one by one, as pool reads them)."""
    monkeypatch.setattr(report, "CHUNK", CHUNK)
    serial = pool(paths, version, banks, final, None, tables)
    monkeypatch.setattr(report, "PARALLEL_FROM", 2)
    parallel = pool(paths, version, banks, final, None, tables)
    skipped = {file for file, _ in serial.skipped}
    records = [read_record(path, banks, tables) for path in paths if str(path) not in skipped]
    try:
        one, workers = analyse(serial, banks, final), analyse(parallel, banks, final)
        kept = list(report.evaluations(serial.exports))
        assert list(report.evaluations(parallel.exports)) == kept
        assert len(kept) == len([r for r in records if "evaluation" in r])
    finally:
        serial.exports.close()
        parallel.exports.close()
    in_memory = analyse(dataclasses.replace(serial, exports=records, tallies=None), banks, final)
    assert len(records) > 4 * CHUNK  # many chunks
    return one, workers, in_memory


needs_two_cores = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2,
                                     reason="one core: no worker processes")


@needs_two_cores
def test_lesson_figures_are_the_same_with_workers_one_process_or_a_list(tmp_path, monkeypatch):
    lesson_cohort(tmp_path)
    # Tables(): the fixture course has no fingerprints, renames or retired questions (loading
    # this course's tables instead took most of the test's time)
    one, workers, in_memory = three_ways(sorted(tmp_path.glob("*.json")), "0.1.0", [BANK],
                                         None, Tables(), monkeypatch)
    assert workers == one  # the same parts, so the same floats
    assert in_memory.items == one.items and in_memory.objectives == one.objectives
    assert [why for _, why in one.skipped] == [report.DUPLICATE, "is not JSON (line 1, column 2)"]
    single = next(i for i in one.items if i.id == "fx-single")
    assert single.top_wrong[:2] == ("Red", 2)  # the tie goes to the first seen
    assert sum(i.discrimination is not None for i in one.items) == len(WRONG)
    out = [printed(r, tmp_path / name, monkeypatch)
           for r, name in ((one, "one"), (workers, "workers"), (in_memory, "list"))]
    assert out[0] == out[1] == out[2]


@needs_two_cores
def test_gain_is_printed_the_same_with_workers_one_process_or_a_list(tmp_path, monkeypatch):
    gain_cohort(tmp_path)
    one, workers, in_memory = three_ways(sorted(tmp_path.glob("*.json")), "0.3.0", ALL_BANKS,
                                         FINAL, TABLES, monkeypatch)
    assert workers == one
    assert one.gain_objectives and all(s.n > 2 * CHUNK for s in one.gain_lessons)
    for merged, sequential in zip(one.gain_objectives + one.gain_lessons,
                                  in_memory.gain_objectives + in_memory.gain_lessons,
                                  strict=True):
        assert (merged.id, merged.n) == (sequential.id, sequential.n)
        assert merged.mean == pytest.approx(sequential.mean, abs=1e-12)
        assert merged.sd == pytest.approx(sequential.sd, abs=1e-12)
    assert one.final_questions == in_memory.final_questions
    out = [printed(r, tmp_path / name, monkeypatch)
           for r, name in ((one, "one"), (workers, "workers"), (in_memory, "list"))]
    assert out[0] == out[1] == out[2]


def test_running_sums_merge_as_if_every_value_was_added_to_one():
    rng = random.Random(3)
    values = [rng.choice([-1, -0.5, 0, 1 / 3, 0.5, 2 / 3, 1]) for _ in range(101)]
    whole = gain.Running()
    for value in values:
        whole.add(value)
    merged = gain.Running()
    for start in range(0, len(values), 7):
        part = gain.Running()
        for value in values[start:start + 7]:
            part.add(value)
        merged.merge(part)
    assert merged.n == whole.n
    assert merged.mean == pytest.approx(whole.mean, abs=1e-12)
    assert merged.sd == pytest.approx(whole.sd, abs=1e-12)
    first = gain.Running()
    first.merge(whole)  # into an empty one: exactly the same (one part: the figures of before)
    assert (first.n, first.mean, first.m2) == (whole.n, whole.mean, whole.m2)
    whole.merge(gain.Running())
    assert (first.n, first.mean, first.m2) == (whole.n, whole.mean, whole.m2)
