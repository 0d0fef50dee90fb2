"""Release 0.3.0 inserted lesson 08 ("In the room") and renamed the case studies from
08_case_studies to 09_case_studies (quizzes/migrations.yml). A learner's 0.2.0 answers to the
case studies follow the rename, in the kernel's progress file, in an imported export (Python)
and in the book's importer (node), and no other answer is lost (issues #16 and #17).

The 0.2.0 fixtures (tests/fixtures/v0.2.0/) have no case-study answer, so one is added here in
0.2.0's own record format: the entry of a true/false question that 0.2.0 had in that lesson."""

from __future__ import annotations

import json

import pytest

from kapcourse.record import versions
from kapcourse.record.final import read_course
from kapcourse.record.store import ProgressStore
from kapcourse.record.summary import (
    course_structure,
    final_json,
    known_questions,
    parse_import,
    structure_json,
)

from .conftest import FIXTURES, ROOT
from .jsharness import call, run_js

V020 = FIXTURES / "v0.2.0"
CASE = "l08-bladder-clinical-tf"  # a case-studies question of 0.2.0, id unchanged since
OLD, NEW = "08_case_studies", "09_case_studies"


def with_case_answer(items: dict) -> dict:
    when = next(iter(items.values()))["first"]
    return {**items, CASE: {"bank": OLD, "attempts": 1, "first_correct": False,
                            "first_response": True, "correct": False, "last_response": True,
                            "first": when, "last": when}}


def check(before: dict, after: dict) -> None:
    assert sorted(after) == sorted(before)
    assert after[CASE]["bank"] == NEW
    for item_id, entry in before.items():
        if item_id != CASE:
            assert after[item_id]["bank"] == entry["bank"], item_id
        assert after[item_id]["last_response"] == entry["last_response"], item_id


def test_the_table_names_the_rename():
    assert versions.course_tables().banks == {OLD: NEW}
    assert json.loads((V020 / "progress.json").read_text())["version"] == 1


def test_a_020_progress_file_follows_the_rename(tmp_path, monkeypatch):
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    data = json.loads((V020 / "progress.json").read_text())
    data["items"] = with_case_answer(data["items"])
    path = tmp_path / "progress.json"
    path.write_text(json.dumps(data))
    store = ProgressStore(path)
    check(data["items"], store.load()["items"])
    assert store.warning == ""


@pytest.fixture(scope="module")
def export_text() -> str:
    data = json.loads((V020 / "book-export.json").read_text())
    data["items"] = with_case_answer(data["items"])
    return json.dumps(data)


def test_a_020_export_imports_with_the_rename_in_python(export_text, monkeypatch):
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    before = json.loads(export_text)["items"]
    known = known_questions(course_structure(ROOT), read_course(ROOT).final)
    check(before, parse_import(export_text, known, versions.course_tables()))


def test_a_020_export_imports_with_the_rename_in_the_book(export_text, monkeypatch):
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    course = {"kapcourseStructure": structure_json(course_structure(ROOT)),
              "kapcourseFinal": final_json(read_course(ROOT).final),
              "kapcourseVersions": versions.course_tables().script_data()}
    (result,) = run_js([call("kapprogress.parse", export_text)], course)
    assert result.error is None, result.error
    check(json.loads(export_text)["items"], dict(result.value))  # [id, record] pairs

