"""`kapcourse report` at scale (issue #19): the cohort kept on disk, the knowledge gain checked
against hand computation, progress that a pipe gets as a few lines, and the SQL a provider
runs on a warehouse giving the report's own figures.

The gain cohort (tests/fixtures/final: the pre-test takes form 2, the final's attempt 1 form 1):
  L1  pre-test: a-o1 0/1, a-o2 1/2, h-o1 0/1; final: all right
      gains a-o1 +1, a-o2 +0.5, h-o1 +1; lessons 01_alpha 1/3 -> 2/2 = +2/3, 02_host +1
  L2  pre-test: all right; final: a-f1-first-step wrong, the rest right
      gains a-o1 -1, a-o2 0, h-o1 0; lessons 01_alpha 3/3 -> 1/2 = -1/2, 02_host 0
  L3  pre-test, but the final's answers were never submitted: not counted
  L4  pre-test not submitted; L5 pre-test version 2; L6 a malformed fingerprint: set aside
  L7  pre-test: a-o1 right, h-f2-refer given to an earlier version of it (set aside);
      final: a-f1-first-step right, h-f1-refer wrong: gain a-o1 0; lesson 01_alpha 0
Per objective: a-o1 n 3, mean 0, SD sqrt((1 + 1 + 0) / 2) = 1; a-o2 n 2, mean 0.25, SD
sqrt(2 * 0.25^2) = 0.3536; h-o1 n 2, mean 0.5, SD 0.7071. Per lesson: 01_alpha n 3, mean
(2/3 - 1/2 + 0) / 3 = 0.0556, SD 0.5853; 02_host n 2, mean 0.5, SD 0.7071.
"""

from __future__ import annotations

import io
import json
import marshal
import math
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import kapcourse
from kapcourse.bank.model import fingerprint
from kapcourse.record.final import build
from kapcourse.record.results import make_export, write_export
from kapcourse.record.versions import Tables
from kapcourse.workshop import cohort, gain, meter, report
from kapcourse.workshop.report import Pooled, analyse, pool, write_report

from .conftest import FIXTURE_COURSE
from .test_final_forms import banks
from .test_report import BANK, COHORT, learner

FINAL = build(banks())
ALL_BANKS = [*banks().values(), FINAL.bank]
ALL_IDS = {q.id for bank in ALL_BANKS for q in bank.questions}
FP = {q.id: fingerprint(q) for q in FINAL.bank.questions}
TABLES = Tables(current=FP)
SUBMITTED = "2026-11-01T10:00:00+00:00"


def final_answers(right: dict[str, bool], submitted: bool = True) -> dict:
    return {qid: {"bank": "final", "attempts": 1, "first_correct": ok, "correct": ok,
                  "attempt": 1, "submitted": submitted, "confidence": "fairly sure"}
            for qid, ok in right.items()}


def pretest(right: dict[str, bool], **changes) -> dict:
    answers = {qid: {"correct": ok, "response": 0, "fp": FP[qid]} for qid, ok in right.items()}
    return {"version": 1, "submitted": SUBMITTED, "answers": answers, **changes}


PRE_WRONG = {"a-f2-first-step": False, "a-f2-dose-case-a": False, "a-f2-dose-case-b": True,
             "h-f2-refer": False}
PRE_RIGHT = dict.fromkeys(PRE_WRONG, True)
FINAL_RIGHT = {"a-f1-first-step": True, "a-f1-dose": True, "h-f1-refer": True}


def gain_cohort() -> list[dict]:
    l7 = pretest({"a-f2-first-step": True, "h-f2-refer": True})
    l7["answers"]["h-f2-refer"]["fp"] = "0" * 16  # an earlier version of the question
    bad_fp = pretest(PRE_RIGHT)
    bad_fp["answers"]["h-f2-refer"]["fp"] = "<b>not hex</b>"
    unsubmitted = pretest(PRE_RIGHT)
    del unsubmitted["submitted"]
    learners = [
        (final_answers(FINAL_RIGHT), pretest(PRE_WRONG)),
        (final_answers({**FINAL_RIGHT, "a-f1-first-step": False}), pretest(PRE_RIGHT)),
        (final_answers(FINAL_RIGHT, submitted=False), pretest(PRE_RIGHT)),
        (final_answers(FINAL_RIGHT), unsubmitted),
        (final_answers(FINAL_RIGHT), pretest(PRE_RIGHT, version=2)),
        (final_answers(FINAL_RIGHT), bad_fp),
        (final_answers({"a-f1-first-step": True, "h-f1-refer": False}), l7),
        (final_answers(FINAL_RIGHT), None),  # no pre-test: a normal export
    ]
    exports = []
    for items, block in learners:
        export = make_export({"items": items}, "0.3.0")
        if block is not None:
            export["pretest"] = block
        exports.append(export)
    return exports


@pytest.fixture
def gain_folder(tmp_path):
    folder = tmp_path / "gain"
    folder.mkdir()
    for number, export in enumerate(gain_cohort()):
        (folder / f"l{number + 1}.json").write_text(json.dumps(export))
    return folder


def test_gain_per_objective_and_lesson_matches_hand_computation(gain_folder):
    pooled = pool(sorted(gain_folder.glob("*.json")), "0.3.0", ALL_BANKS, FINAL, None, TABLES)
    assert pooled.skipped == [] and len(pooled.exports) == 8
    assert pooled.pretests == 4  # L1, L2, L3, L7
    assert pooled.pretests_set_aside == {"submitted": 1, "version": 1, "answers": 1}
    assert pooled.pretest_answers_set_aside == 1  # L7's answer to the changed question
    result = analyse(pooled, ALL_BANKS, FINAL)
    objectives = {s.id: s for s in result.gain_objectives}
    assert [s.id for s in result.gain_objectives] == ["a-o1", "a-o2", "h-o1"]
    assert (objectives["a-o1"].n, objectives["a-o1"].mean) == (3, pytest.approx(0.0))
    assert objectives["a-o1"].sd == pytest.approx(1.0)
    assert (objectives["a-o2"].n, objectives["a-o2"].mean) == (2, pytest.approx(0.25))
    assert objectives["a-o2"].sd == pytest.approx(math.sqrt(0.125))
    assert objectives["h-o1"].mean == pytest.approx(0.5)
    assert objectives["h-o1"].sd == pytest.approx(math.sqrt(0.5))
    assert objectives["a-o1"].text == "Choose the safe first step."
    assert objectives["h-o1"].lesson == "02_host"
    lessons = {s.id: s for s in result.gain_lessons}
    assert lessons["01_alpha"].n == 3
    assert lessons["01_alpha"].mean == pytest.approx((2 / 3 - 1 / 2) / 3)
    assert lessons["01_alpha"].sd == pytest.approx(0.58531, abs=1e-5)
    assert (lessons["02_host"].n, lessons["02_host"].mean) == (2, pytest.approx(0.5))
    assert lessons["02_host"].text == "Host lesson"
    assert all(s.small for s in result.gain_objectives)  # n < SMALL_GAIN_COHORT


def test_the_report_shows_the_gain_and_says_when_it_is_too_few(gain_folder, tmp_path):
    pooled = pool(sorted(gain_folder.glob("*.json")), "0.3.0", ALL_BANKS, FINAL, None, TABLES)
    html_path, md_path = write_report(analyse(pooled, ALL_BANKS, FINAL), tmp_path / "out")
    text = md_path.read_text()
    section = text.split("## Knowledge gain (pre-test to final)", 1)[1]
    assert "| Host lesson | 2 | +50 pp | 71 pp | too few learners (fewer than 10)" in section
    assert "| a\\-o2: Work out a dose\\. | 01\\_alpha | 2 | +25 pp | 35 pp |" in section
    assert "Pre-tests pooled: 4." in section
    assert "it was not submitted: 1" in section and "its answers are malformed: 1" in section
    page = html_path.read_text()
    assert "<h2>Knowledge gain (pre-test to final)</h2>" in page
    assert page.count("these numbers do not mean anything yet") == 5  # 2 lessons, 3 objectives


def test_a_cohort_large_enough_is_not_called_too_few():
    stat = gain.GainStat("a-o1", "text", "01_alpha", gain.SMALL_GAIN_COHORT, 0.1, 0.2)
    assert not stat.small and report.gain_note(stat) == ""
    assert report.gain_note(gain.GainStat("a-o1", "t", "l", 9, 0.1, 0.2)).startswith("too few")


def test_no_pretest_in_the_cohort_says_there_is_no_gain(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "one.json").write_text(json.dumps(make_export(
        {"items": final_answers(FINAL_RIGHT)}, "0.3.0")))
    pooled = pool([folder / "one.json"], "0.3.0", ALL_BANKS, FINAL, None, TABLES)
    _, md_path = write_report(analyse(pooled, ALL_BANKS, FINAL), tmp_path / "out")
    assert report.NO_GAIN in md_path.read_text()


@pytest.mark.parametrize("block, reason", [
    ([], "block"), ({"version": True, "submitted": SUBMITTED, "answers": {}}, "version"),
    ({"version": 1, "submitted": "yesterday", "answers": {}}, "submitted"),
    ({"version": 1, "submitted": SUBMITTED, "answers": []}, "answers"),
    ({"version": 1, "submitted": SUBMITTED, "answers": {"x": {"correct": 1, "fp": "0" * 16}}},
     "answers"),
    ({"version": 1, "submitted": SUBMITTED,
      "answers": {"x": {"correct": True, "fp": "0" * 16, "response": "y" * 201}}}, "answers"),
    ({"version": 1, "submitted": SUBMITTED,
      "answers": {"x": {"correct": True, "fp": "0" * 16, "response": [1, 2]}}}, ""),
])
def test_pretest_block_is_checked_when_read(block, reason):
    assert gain.block_problem(block) == reason


# --- the cohort on disk and the discrimination index -------------------------------------------


def test_ties_in_the_ranking_are_broken_by_export_id_on_disk_as_in_memory(tmp_path):
    """Learners with the same overall share are ranked by export id, by the database as by
    Python's sort (the order decides who is in the top and bottom groups)."""
    wrong = [{}, {"fx-single": 1}, {"fx-single": 2}, {"fx-truefalse": False},
             {"fx-multiple": [0]}, {"fx-single": 1, "fx-numeric": "140"}, {"fx-case-a": 1}]
    exports = []
    for number, mistakes in enumerate(wrong):
        export = make_export(learner(mistakes), "0.1.0")
        export["export_id"] = f"{(number * 5) % 7}-learner\u00e9"
        exports.append(export)
        (tmp_path / f"{number}.json").write_text(json.dumps(export))
    on_disk = analyse(pool(sorted(tmp_path.glob("*.json")), "0.1.0", [BANK], progress=None), [BANK])
    in_memory = analyse(Pooled(exports=exports), [BANK])
    assert [i.discrimination for i in on_disk.items] == [
        i.discrimination for i in in_memory.items]
    assert any(i.discrimination not in (None, 0.0) for i in on_disk.items)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: no worker processes")
def test_worker_processes_pool_exactly_what_one_process_does(tmp_path, monkeypatch):
    for wrong in COHORT.values():
        write_export(make_export(learner(wrong), "0.1.0"), tmp_path)
    first = sorted(tmp_path.glob("*.json"))[0]
    (tmp_path / "zz-copy.json").write_text(first.read_text())
    (tmp_path / "zz-junk.json").write_text("{oops")
    paths = sorted(tmp_path.glob("*.json"))
    serial = pool(paths, "0.1.0", [BANK], progress=None)
    monkeypatch.setattr(report, "PARALLEL_FROM", 2)
    parallel = pool(paths, "0.1.0", [BANK], progress=None)
    assert parallel.skipped == serial.skipped and len(serial.skipped) == 2
    assert analyse(parallel, [BANK]) == analyse(serial, [BANK])


def test_the_cohort_keeps_on_disk_what_needs_the_whole_cohort():
    kept = cohort.Cohort()
    rows = [("c", 0.9, b"\x02\x02", None), ("a", 0.1, b"\x01\x00", marshal.dumps({"v": 1})),
            ("b", 0.5, b"\x02\x01", None), ("d", 0.5, b"\x00\x02", marshal.dumps({"v": 2}))]
    for row in rows:
        kept.add(*row)
    try:
        assert "b" in kept and "z" not in kept and len(kept) == 4
        assert list(kept.evaluations()) == [{"evaluation": {"v": 1}}, {"evaluation": {"v": 2}}]
        # ranked a (0.1), b (0.5), d (0.5: after b), c (0.9); groups of 1, then of 2
        assert {group: vectors for vectors, group in kept.ranked_groups(1)} == {
            -1: [b"\x01\x00"], 1: [b"\x02\x02"]}
        groups = {group: sorted(vectors) for vectors, group in kept.ranked_groups(2)}
        assert groups == {-1: [b"\x01\x00", b"\x02\x01"], 1: [b"\x00\x02", b"\x02\x02"]}
        assert not any(isinstance(value, dict | list) for value in vars(kept).values())
    finally:
        kept.close()


def test_a_duplicate_in_a_later_chunk_is_skipped_and_not_counted(tmp_path, monkeypatch):
    """Each chunk of files is folded by itself; the file of a learner pooled in an earlier
    chunk is found when the chunks are merged, and that chunk is read again without it."""
    for wrong in COHORT.values():
        write_export(make_export(learner(wrong), "0.1.0"), tmp_path)
    paths = sorted(tmp_path.glob("*.json"))
    (tmp_path / "zz-copy.json").write_text(paths[0].read_text())
    monkeypatch.setattr(report, "CHUNK", 2)
    pooled = pool([*paths, tmp_path / "zz-copy.json"], "0.1.0", [BANK], progress=None)
    alone = pool(paths, "0.1.0", [BANK], progress=None)
    try:
        assert pooled.skipped == [(str(tmp_path / "zz-copy.json"), report.DUPLICATE)]
        assert analyse(pooled, [BANK]).items == analyse(alone, [BANK]).items
    finally:
        pooled.exports.close()
        alone.exports.close()


def test_analyse_refuses_other_banks_than_the_cohort_was_pooled_for(tmp_path):
    write_export(make_export(learner({}), "0.1.0"), tmp_path)
    pooled = pool(sorted(tmp_path.glob("*.json")), "0.1.0", [BANK], progress=None)
    try:
        with pytest.raises(ValueError, match="other banks"):
            analyse(pooled, ALL_BANKS, FINAL)
    finally:
        pooled.exports.close()


# --- progress ----------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_pipe_gets_a_line_per_tenth_not_per_file():
    stream = io.StringIO()
    shown = meter.meter(100_000, stream)
    assert isinstance(shown, meter.Lines)
    for _ in range(100_000):
        shown.update()
    shown.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and "\r" not in stream.getvalue()
    assert lines[-1] == "Pooling results [##############################] 100000/100000 (100%)"


def test_a_slow_run_still_shows_a_line_every_30_seconds():
    stream, clock = io.StringIO(), Clock()
    shown = meter.Lines(1000, stream, clock)
    for _ in range(5):
        clock.now += 31
        shown.update()
    assert len(stream.getvalue().splitlines()) == 5  # 0.5% of the work, but 155 seconds


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_tqdm_bar():
    from tqdm import tqdm

    stream = Terminal()
    shown = meter.meter(50, stream)
    assert isinstance(shown, tqdm)
    for _ in range(50):
        shown.update()
    shown.close()
    assert "Pooling results" in stream.getvalue() and "50/50" in stream.getvalue()
    assert "\r" in stream.getvalue()  # redrawn in place


def test_the_cli_writes_few_progress_lines_to_a_pipe(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for _ in range(60):
        write_export(make_export(learner({}), "0.1.0"), folder)
    env = {**os.environ, "KAPCOURSE_ROOT": str(FIXTURE_COURSE), "MPLBACKEND": "Agg",
           "PYTHONPATH": str(Path(kapcourse.__file__).parents[1])}  # src/, under test
    run = subprocess.run([sys.executable, "-m", "kapcourse", "report", str(folder), "--output",
                          str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    progress = [line for line in run.stderr.splitlines() if line.startswith("Pooling")]
    assert len(progress) == 10 and "\r" not in run.stderr
    assert "Pooled 60 learner(s) from 60 file(s)" in run.stdout


# --- the warehouse SQL gives the report's figures ----------------------------------------------


def _warehouse(exports: list[dict]) -> sqlite3.Connection:
    """The tables of sql/report.sql, loaded from exports as its header says."""
    db = sqlite3.connect(":memory:")
    db.create_function("SQRT", 1, math.sqrt)  # not built into every SQLite
    db.executescript("CREATE TABLE answers (learner, question, first_correct);"
                     "CREATE TABLE questions (question, lesson, objective);"
                     "CREATE TABLE pretest (learner, question, correct);"
                     "CREATE TABLE final1 (learner, question, correct);")
    for export in exports:
        learner_id = export["export_id"]
        db.executemany("INSERT INTO answers VALUES (?, ?, ?)",
                       [(learner_id, q, e["first_correct"]) for q, e in export["items"].items()])
        db.executemany("INSERT INTO final1 VALUES (?, ?, ?)",
                       [(learner_id, q, e["correct"]) for q, e in export["items"].items()
                        if e.get("submitted") is True and e.get("attempt") == 1])
        block = export.get("pretest")
        if block is not None and gain.block_problem(block) == "":
            kept, _ = gain.usable_answers(block, FP)
            db.executemany("INSERT INTO pretest VALUES (?, ?, ?)",
                           [(learner_id, q, ok) for q, ok in kept.items()])
    db.executemany("INSERT INTO questions VALUES (?, ?, ?)",
                   [(q.id, FINAL.lesson_of[q.id], item.objective) for item in FINAL.bank.items
                    for q in item.questions])
    return db


def test_the_warehouse_queries_give_the_reports_item_figures():
    exports = [make_export(learner(wrong), "0.1.0") for wrong in COHORT.values()]
    result = {i.id: i for i in analyse(Pooled(exports=exports), [BANK]).items}
    db, sql = _warehouse(exports), cohort.queries()
    for question, learners, share in db.execute(sql["first_try"]):
        assert (learners, share) == (result[question].learners,
                                     pytest.approx(result[question].first_try))
    found = dict(db.execute(sql["discrimination"]).fetchall())
    assert found == pytest.approx({i: s.discrimination for i, s in result.items()})


def test_the_warehouse_queries_give_the_reports_gain():
    exports = gain_cohort()
    result = analyse(Pooled(exports=[_kept(e) for e in exports]), ALL_BANKS, FINAL)
    rows = _warehouse(exports).execute(cohort.queries()["gain_by_objective"]).fetchall()
    assert rows == [(s.id, s.n, pytest.approx(s.mean), pytest.approx(s.sd))
                    for s in result.gain_objectives]


def _kept(export: dict) -> dict:
    """An export as pooling keeps it: its pre-test as question -> right (when usable)."""
    block = export.get("pretest")
    kept = {k: v for k, v in export.items() if k != "pretest"}
    if block is not None and gain.block_problem(block) == "":
        kept["pretest"] = gain.usable_answers(block, FP)[0]
    return kept


# --- hostile numbers (found while speeding up the record check) ----------------------------------


def test_huge_whole_numbers_are_skipped_with_a_reason_not_a_traceback(tmp_path):
    """An integer too large for a float (attempts: 1 followed by 400 zeros) raised
    OverflowError, and one of more than 4,300 digits ValueError: `kapcourse report` ended in
    a traceback instead of naming the file."""
    huge = json.dumps(make_export(learner({}), "0.1.0")).replace(
        '"attempts": 1', '"attempts": 1' + "0" * 400, 1)
    (tmp_path / "huge.json").write_text(huge)
    (tmp_path / "longer.json").write_text('{"format": 1' + "0" * 5000 + "}")
    pooled = pool(sorted(tmp_path.glob("*.json")), "0.1.0", [BANK], progress=None)
    reasons = {Path(f).name: why for f, why in pooled.skipped}
    assert "'attempts' must be a whole number" in reasons["huge.json"]
    assert reasons["longer.json"] == "holds a number too long to be a results export"


def test_remembered_wrong_choices_tell_true_from_1_and_1_0_from_1(tmp_path):
    """The analysis remembers each wrong response's choices; responses that are equal as
    Python keys but not as answers (1 and 1.0: only a whole-number index names an option)
    are told apart, as without remembering."""
    exports = []
    for number, response in enumerate([[0, 1.0], [0, 1], [0, 2.0], [0, 2]]):
        export = make_export(learner({"fx-multiple": response}), "0.1.0")
        export["items"]["fx-multiple"]["first_correct"] = False
        export["export_id"] = str(number)
        exports.append(export)
    result = {i.id: i for i in analyse(Pooled(exports=exports), [BANK]).items}
    assert result["fx-multiple"].top_wrong == ("4", 1, "Four is 2 \u00d7 2.")
