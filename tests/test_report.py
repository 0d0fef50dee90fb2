"""Pooled results: exports, hostile files, and statistics checked against hand computation.

The cohort (fixture course, 7 questions) is four learners:
  A: everything right at the first try                 overall 7/7
  B: fx-single wrong (chose option 1, "Green")          overall 6/7
  C: fx-single wrong (option 2), fx-multiple wrong      overall 5/7
  D: fx-single wrong (option 1), fx-multiple wrong, fx-truefalse wrong (said False)  4/7
n = 4, so k = round(0.27 * 4) = 1: the top group is {A}, the bottom group {D}.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kapcourse.bank.model import load_bank
from kapcourse.record.results import ResultsError, make_export, read_export, write_export
from kapcourse.workshop.report import analyse, pool, write_report

from .conftest import FIXTURE_COURSE

BANK = load_bank(FIXTURE_COURSE / "quizzes" / "01_sample.yml")
KNOWN = {q.id for q in BANK.questions}
RIGHT = {"fx-single": 0, "fx-multiple": [0, 1], "fx-truefalse": True, "fx-numeric": "35",
         "fx-ordering": [0, 1, 2, 3], "fx-case-a": 0, "fx-case-b": True}


def learner(wrong: dict) -> dict:
    items = {}
    for item_id, right in RIGHT.items():
        response = wrong.get(item_id, right)
        items[item_id] = {"bank": "01_sample", "attempts": 1, "first_correct": item_id not in wrong,
                          "first_response": response, "correct": item_id not in wrong}
    return {"format": "kapcourse-progress", "items": items}


COHORT = {
    "a": {},
    "b": {"fx-single": 1},
    "c": {"fx-single": 2, "fx-multiple": [0]},
    "d": {"fx-single": 1, "fx-multiple": [0, 2], "fx-truefalse": False},
}


@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for wrong in COHORT.values():
        write_export(make_export(learner(wrong), "0.1.0"), folder)
    return folder


def by_id(rows):
    return {row.id: row for row in rows}


def test_statistics_match_hand_computation(exports):
    pooled = pool(sorted(exports.glob("*.json")), "0.1.0", [BANK])
    report = analyse(pooled, [BANK])
    assert report.learners == 4 and report.skipped == []
    items = by_id(report.items)
    assert items["fx-single"].first_try == pytest.approx(1 / 4)
    assert items["fx-multiple"].first_try == pytest.approx(2 / 4)
    assert items["fx-truefalse"].first_try == pytest.approx(3 / 4)
    assert items["fx-numeric"].first_try == 1.0
    # top group {A} minus bottom group {D}
    assert items["fx-single"].discrimination == pytest.approx(1.0)
    assert items["fx-truefalse"].discrimination == pytest.approx(1.0)
    assert items["fx-numeric"].discrimination == pytest.approx(0.0)
    # option 1 ("Green") was chosen wrongly by B and D
    assert items["fx-single"].top_wrong == ("Green", 2, "Green is the grass, not the sky.")
    # fx-multiple: C chose no wrong option (a missed one), D chose option 2 ("4")
    assert items["fx-multiple"].top_wrong == ("4", 1, "Four is 2 \u00d7 2.")
    assert items["fx-truefalse"].top_wrong[1] == 1
    objectives = by_id(report.objectives)
    # fx-o1 has 3 questions: only A has all 3 right (B: 2/3 = 67% < 80%)
    assert objectives["fx-o1"].mastered == pytest.approx(1 / 4)
    assert objectives["fx-o2"].mastered == 1.0


def test_common_numeric_error_is_named(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    write_export(make_export(learner({"fx-numeric": "140 mg"}), "0.1.0"), folder)
    report = analyse(pool(sorted(folder.glob("*.json")), "0.1.0", [BANK]), [BANK])
    assert by_id(report.items)["fx-numeric"].top_wrong == (
        "140 mg", 1, "You divided by 0.5 instead of multiplying.")
    assert by_id(report.items)["fx-numeric"].discrimination is None  # under 4 learners


def test_hostile_and_foreign_files_are_named_and_skipped(exports, tmp_path):
    good = sorted(exports.glob("*.json"))
    bad = tmp_path / "bad"
    bad.mkdir()
    files = {
        "not-json.json": "{oops",
        "list.json": "[]",
        "foreign.json": json.dumps({"format": "something-else"}),
        # another release's export pools (issue #16: tests/test_versions.py); one whose
        # course version is not a release's is not an export
        "old.json": json.dumps({**make_export(learner({}), "0.2.0 <b>")}),
        "unknown-item.json": json.dumps(make_export(
            {"items": {"zz-1": {"bank": "x", "attempts": 1, "first_correct": True}}}, "0.1.0")),
        "bad-record.json": json.dumps({**make_export(learner({}), "0.1.0"),
                                       "items": {"fx-single": {"attempts": "x"}}}),
        "<img src=x onerror=alert(1)>.json": "{}",
    }
    for name, text in files.items():
        (bad / name).write_text(text)
    (bad / "binary.json").write_bytes(b"\xff\xfe\x00\x81")
    duplicate = bad / "copy.json"
    duplicate.write_text(good[0].read_text())
    paths = good + sorted(bad.iterdir())
    pooled = pool(paths, "0.1.0", [BANK], progress=None)
    assert len(pooled.exports) == 4
    reasons = {Path(f).name: why for f, why in pooled.skipped}
    assert set(reasons) == set(files) | {"binary.json", "copy.json"}
    assert "is not JSON" in reasons["not-json.json"]
    assert "not a kapcourse results export" in reasons["foreign.json"]
    assert "course version '0.2.0 <b>', which is not a version" in reasons["old.json"]
    assert "zz-1" in reasons["unknown-item.json"]
    assert "malformed record" in reasons["bad-record.json"]
    assert "duplicate" in reasons["copy.json"]
    html_path, md_path = write_report(analyse(pooled, [BANK]), tmp_path / "out")
    page = html_path.read_text()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Workshop results: 4 learners" in md_path.read_text()
    assert (tmp_path / "out" / "items.png").exists()


def test_read_export_rejects_oversized_files(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 5_000_001)
    with pytest.raises(ResultsError, match="larger than 5 MB"):
        read_export(big)


def test_exports_are_anonymous_unless_named():
    assert make_export(learner({}), "0.1.0")["learner"] is None
    assert make_export(learner({}), "0.1.0", "  Sam ")["learner"] == "Sam"


def test_progress_bar_for_many_files(exports, tmp_path):
    import io

    folder = tmp_path / "many"
    folder.mkdir()
    for _ in range(25):
        write_export(make_export(learner({}), "0.1.0"), folder)
    stream = io.StringIO()
    pooled = pool(sorted(folder.glob("*.json")), "0.1.0", [BANK], progress=stream)
    assert len(pooled.exports) == 25
    assert "Pooling results [" in stream.getvalue() and "25/25" in stream.getvalue()


def test_cli_export_then_report(tmp_path, isolated_progress, monkeypatch, capsys):
    from kapcourse.cli import main
    from kapcourse.record.store import ProgressStore

    ProgressStore(isolated_progress).record("01_sample", "fx-single", False, 1)
    env = {"KAPCOURSE_ROOT": str(FIXTURE_COURSE), "KAPCOURSE_PROGRESS": str(isolated_progress),
           "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"}
    # `export` through its entry point (this is its only test that starts Python) ...
    exported = subprocess.run([sys.executable, "-m", "kapcourse", "export", "--output",
                               str(tmp_path)], capture_output=True, text=True, env=env)
    assert exported.returncode == 0, exported.stderr
    assert "anonymous, 1 answered questions" in exported.stdout
    (tmp_path / "junk.json").write_text("nope")
    # ... and `report` in process (kapcourse.cli.main): test_hostile_report and
    # test_report_stream start `python -m kapcourse report` themselves; an uncaught exception
    # here fails the test as a traceback would.
    monkeypatch.setenv("KAPCOURSE_ROOT", str(FIXTURE_COURSE))
    capsys.readouterr()
    assert main(["report", str(tmp_path), "--output", str(tmp_path / "report")]) == 0
    reported = capsys.readouterr()
    assert "Pooled 1 learner(s) from 2 file(s)" in reported.out
    assert "skipped" in reported.err and "junk.json" in reported.err
    assert "Traceback" not in reported.err


def test_exports_with_final_assessment_answers_are_pooled_and_analysed(tmp_path):
    from kapcourse.record.final import PREFIX, read_course

    from .conftest import ROOT
    from .course_data import everything_right

    course = read_course(ROOT)
    banks = course.banks
    assert banks[-1].stem == "final"
    export = everything_right(ROOT)
    final_id = next(i for i, e in export["items"].items() if e["bank"] == "final")
    assert not final_id.startswith(PREFIX)  # a written form, not a reused lesson item
    export["items"][final_id].update(first_correct=False, correct=False)
    (tmp_path / "learner.json").write_text(json.dumps(export))
    pooled = pool([tmp_path / "learner.json"], "test", banks, course.final)
    assert pooled.skipped == [] and len(pooled.exports) == 1
    report = analyse(pooled, banks, course.final)
    assert "final" not in {item.bank for item in report.items}  # analysed apart, below
    stats = {stat.id: stat for stat in report.final_questions}
    assert stats[final_id].right == 0.0 and stats[final_id].answers == 1
    assert len({o.id for o in report.objectives}) == len(report.objectives)  # none twice
