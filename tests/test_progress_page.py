"""My progress: aggregation, export/import in both directions, and the page in both views."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest

from kapcourse.record.rules import merge
from kapcourse.record.store import ProgressStore
from kapcourse.record.summary import (
    ImportProblem,
    course_structure,
    lesson_results,
    parse_import,
    review_next,
    to_csv,
)

from .conftest import FIXTURE_COURSE

LESSONS = course_structure(FIXTURE_COURSE)
KNOWN = {q for lesson in LESSONS for q in lesson.questions}


def entry(first_correct, correct, first="2026-11-01T10:00:00+00:00",
          last="2026-11-01T10:00:00+00:00", attempts=1):
    return {"bank": "01_sample", "attempts": attempts, "first_correct": first_correct,
            "correct": correct, "first": first, "last": last, "first_response": 0,
            "last_response": 0}


def test_lesson_results_and_review_next():
    items = {"fx-single": entry(False, True), "fx-multiple": entry(False, False),
             "fx-numeric": entry(True, True, last="2026-11-03T09:00:00+00:00")}
    (result,) = lesson_results(items, LESSONS)
    assert (result.total, result.attempted, result.first_try, result.correct) == (7, 3, 1, 2)
    assert result.last == "2026-11-03T09:00:00+00:00"
    weakest = review_next(items, LESSONS)
    # first-try misses drive it (issue #14): fx-o1 has 2 of 2 answered missed (one since put
    # right); fx-o2's one answer was right at the first try, so there is nothing to review
    assert [(r.objective.id, r.missed, r.answered) for r in weakest] == [("fx-o1", 2, 2)]
    assert weakest[0].objective.link == "notebooks/01_sample.html#choices"
    assert review_next({}, LESSONS) == []  # nothing started, nothing to review


def test_csv_and_json_round_trips():
    items = {"fx-single": entry(False, True), "fx-numeric": entry(True, True)}
    from_csv = parse_import(to_csv(items), KNOWN)
    assert from_csv["fx-single"]["first_correct"] is False
    assert from_csv["fx-single"]["correct"] is True
    assert from_csv["fx-numeric"]["attempts"] == 1
    exported = json.dumps({"format": "kapcourse-results", "items": items})
    assert parse_import(exported, KNOWN) == items


IMPORT_PROBLEMS = [  # (file content, the reason the learner is given); the book's too
    ("", "empty"),
    ("{nope", "not valid JSON"),
    ('{"format": "other", "items": {}}', "not a kapcourse progress or results file"),
    ('{"format": "kapcourse-progress"}', "no list of answers"),
    ('{"format": "kapcourse-progress", "items": {"fx-single": {"attempts": "x"}}}', "malformed"),
    ('{"format": "kapcourse-progress", "items": {"zz-9": {"bank": "b", "attempts": 1, '
     '"first_correct": true}}}', r"does not have \(zz-9\)"),
    ("name,score\nsam,3\n", "does not have the columns"),
    ("lesson,item,attempts,first_correct,correct,first,last\n01_sample,fx-single,x,true,true,,\n",
     "Row 2 of the CSV file is malformed"),
    ("lesson,item,attempts,first_correct,correct,first,last\n01_sample,fx-single,1,true,maybe,,\n",
     "Row 2 of the CSV file is malformed"),
]


@pytest.mark.parametrize(("text", "reason"), IMPORT_PROBLEMS)
def test_import_problems_are_explained(text, reason):
    with pytest.raises(ImportProblem, match=reason):
        parse_import(text, KNOWN)


def test_merge_keeps_the_newer_answer_and_the_earliest_first_try():
    mine = {"fx-single": entry(False, False, first="2026-11-01T00:00:00",
                               last="2026-11-02T00:00:00", attempts=2)}
    theirs = {"fx-single": entry(True, True, first="2026-11-05T00:00:00",
                                 last="2026-11-05T00:00:00"),
              "fx-numeric": entry(True, True)}
    merged = merge(mine, theirs)
    assert merged["fx-single"]["correct"] is True  # newer
    assert merged["fx-single"]["first_correct"] is False  # earliest first attempt
    assert merged["fx-single"]["attempts"] == 2
    assert "fx-numeric" in merged


def test_widget_export_then_import_elsewhere(tmp_path):
    from kapcourse.pages.progress import MyProgress

    here = ProgressStore(tmp_path / "here.json")
    here.record("01_sample", "fx-single", False, 1)
    here.record("01_sample", "fx-single", True, 0)
    view = MyProgress(root=FIXTURE_COURSE, store=here, folder=tmp_path)
    assert "1 of 7" in view.summary.value and bytes(view.picture.value).startswith(b"\x89PNG")
    view.export_json.click()
    view.export_csv.click()
    exported = sorted(tmp_path.glob("kapcourse-progress-*"))
    assert [p.suffix for p in exported] == [".csv", ".json"]
    assert "Saved" in view.message.value
    assert json.loads(exported[1].read_text())["learner"] is None  # anonymous by default
    view.name.value = "Sam"
    view.export_json.click()
    assert json.loads(exported[1].read_text())["learner"] == "Sam"

    there = ProgressStore(tmp_path / "there.json")
    other = MyProgress(root=FIXTURE_COURSE, store=there, folder=tmp_path)
    content = exported[1].read_bytes()
    other.upload.value = ({"name": exported[1].name, "type": "application/json",
                           "size": len(content), "content": memoryview(content),
                           "last_modified": dt.datetime(2026, 11, 26)},)
    other.import_button.click()
    assert "Imported 1 answers" in other.message.value
    assert there.load()["items"]["fx-single"]["correct"] is True
    assert "1 of 7" in other.summary.value


def test_widget_import_of_a_bad_file_changes_nothing(tmp_path):
    from kapcourse.pages.progress import MyProgress

    store = ProgressStore(tmp_path / "p.json")
    store.record("01_sample", "fx-single", True, 0)
    before = (tmp_path / "p.json").read_text()
    view = MyProgress(root=FIXTURE_COURSE, store=store, folder=tmp_path)
    bad = b'{"format": "something-else"}'
    view.upload.value = ({"name": "bad.json", "type": "application/json", "size": len(bad),
                          "content": memoryview(bad), "last_modified": dt.datetime(2026, 11, 26)},)
    view.import_button.click()
    assert "Not imported: This is not a kapcourse progress or results file." in view.message.value
    assert "has not been changed" in view.message.value
    assert (tmp_path / "p.json").read_text() == before


def test_widget_import_refuses_an_answer_filed_under_another_lesson(tmp_path):
    """Security review m16, in JupyterLab: the label must match the question's lesson."""
    from kapcourse.pages.progress import MyProgress

    store = ProgressStore(tmp_path / "p.json")
    view = MyProgress(root=FIXTURE_COURSE, store=store, folder=tmp_path)
    relabelled = (b'{"format": "kapcourse-progress", "version": 1, "items": {"fx-single": '
                  b'{"bank": "02_other", "attempts": 1, "first_correct": true, "correct": true}}}')
    view.upload.value = ({"name": "m16.json", "type": "application/json",
                          "size": len(relabelled), "content": memoryview(relabelled),
                          "last_modified": dt.datetime(2026, 12, 1)},)
    view.import_button.click()
    assert ("says lesson '02_other', but that question belongs to '01_sample'"
            in html.unescape(view.message.value))
    assert not (tmp_path / "p.json").exists() or "fx-single" not in store.load()["items"]


def test_the_chart_is_drawn_again_only_when_a_bar_changes(tmp_path):
    from kapcourse.pages.progress import MyProgress, _drawn

    _drawn.cache_clear()  # earlier tests may have drawn these very bars
    store = ProgressStore(tmp_path / "progress.json")
    store.record("01_sample", "fx-single", False, 1)
    view = MyProgress(root=FIXTURE_COURSE, store=store, folder=tmp_path)
    before, drawn = bytes(view.picture.value), _drawn.cache_info().misses
    view.refresh()  # nothing changed: the same picture, not drawn again
    assert bytes(view.picture.value) == before and _drawn.cache_info().misses == drawn
    store.record("01_sample", "fx-single", True, 0)  # now right: a longer "right now" bar
    view.refresh()
    assert bytes(view.picture.value) != before and _drawn.cache_info().misses == drawn + 1
