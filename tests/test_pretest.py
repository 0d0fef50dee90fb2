"""The pre-test's questions and its saved block (kapcourse.record.pretest): one question per
objective of every lesson from a form the final's first attempt does not draw, a case's first
question only; the block saved beside the answers, an unreadable one kept aside, carried by
exports and
merged by imports."""

from __future__ import annotations

import json

import pytest

from kapcourse.bank.model import Vignette, fingerprint
from kapcourse.record import pretest
from kapcourse.record.store import ProgressStore

from .conftest import ROOT
from .test_golden_final import FINAL as SMALL

WHEN = "2026-12-01T10:00:00Z"


def test_one_question_for_every_objective_of_every_lesson(real_final):
    asked = pretest.questions(real_final)
    objectives = [o.id for o in real_final.bank.objectives]
    of = {q.id: item.objective for item in real_final.bank.items for q in item.questions}
    assert sorted(of[q.id] for q in asked) == sorted(objectives)
    assert len(asked) == len(objectives)  # 39 in release 0.3.0: short enough for one sitting


def test_the_questions_come_from_a_form_the_final_s_first_attempt_does_not_draw(real_final):
    first = {q.id for q in real_final.drawn(1)}
    asked = pretest.questions(real_final)
    assert not first & {q.id for q in asked}
    assert all(item.form == real_final.forms[item.objective][-1]
               for item in pretest.items(real_final))


def test_a_case_gives_its_text_and_first_question_only(real_final):
    cases = [item for item in pretest.items(real_final) if isinstance(item, Vignette)]
    assert cases
    whole = {item.id: item for item in real_final.bank.items}
    for case in cases:
        assert case.parts == whole[case.id].parts[:1] and case.case == whole[case.id].case
    assert [q.id for q in pretest.questions(SMALL)] == [
        "a-f2-first-step", "a-f2-dose-case-a", "h-f2-refer"]


def test_the_expected_time_is_rounded_up_to_five_minutes(real_final):
    assert pretest.minutes(SMALL) == 5
    assert pretest.minutes(real_final) % 5 == 0
    assert pretest.minutes(real_final) >= len(pretest.questions(real_final))


def test_the_book_gets_the_questions_and_fingerprints_from_python():
    data = pretest.pretest_json(SMALL)
    assert data["questions"] == [q.id for q in pretest.questions(SMALL)]
    assert data["fp"]["h-f2-refer"] == fingerprint(SMALL.bank.item("h-f2-refer"))
    assert data["storage_key"] == pretest.STORAGE_KEY
    assert [o[0] for o in data["objectives"]] == ["a-o1", "a-o2", "h-o1"]


def test_submit_marks_every_question_not_answered_as_asked_and_not_right():
    question = SMALL.bank.item("h-f2-refer")
    block = pretest.answer(None, question, True, 1)
    done = pretest.submit(block, SMALL, WHEN)
    assert pretest.problem(done) == ""
    assert done["submitted"] == WHEN and set(done["answers"]) == {
        "a-f2-first-step", "a-f2-dose-case-a", "h-f2-refer"}
    assert done["answers"]["a-f2-first-step"] == {
        "correct": False, "response": None,
        "fp": fingerprint(SMALL.bank.item("a-f2-first-step"))}
    assert done["answers"]["h-f2-refer"]["correct"] is True
    assert "submitted" not in block  # nothing changed in place


def test_saved_beside_the_answers_and_an_unreadable_one_kept_aside(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "kapcourse-progress", "version": 2, "items": {},
                                "pretest": {"version": 1, "answers": "lost?"}}))
    store = ProgressStore(path)
    block, warning = pretest.read_saved(store)
    assert block is None and "could not be read ('answers' must map" in warning
    pretest.save(store, lambda b: pretest.answer(b, SMALL.bank.item("h-f2-refer"), False, 0))
    data = json.loads(path.read_text())
    assert data["pretest-unreadable"] == {"version": 1, "answers": "lost?"}
    assert pretest.problem(data["pretest"]) == "" and data["items"] == {}
    assert pretest.read_saved(store) == (pretest.clean(data["pretest"]), "")


def test_an_import_brings_the_pretest_and_keeps_the_earlier_submitted_one(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    mine = pretest.submit(None, SMALL, "2026-12-05T10:00:00Z")
    pretest.save(store, lambda b: mine)
    earlier = pretest.submit(None, SMALL, "2026-11-20T10:00:00Z")
    exported = json.dumps({"format": "kapcourse-results", "items": {}, "pretest": earlier})
    assert pretest.import_into(store, exported) == "Imported your pre-test."
    assert pretest.read_saved(store)[0]["submitted"] == "2026-11-20T10:00:00Z"
    later = json.dumps({"format": "kapcourse-results", "items": {},
                        "pretest": pretest.submit(None, SMALL, "2026-12-09T10:00:00Z")})
    assert pretest.import_into(store, later) == ""
    assert pretest.read_saved(store)[0]["submitted"] == "2026-11-20T10:00:00Z"


@pytest.mark.parametrize(("text", "note"), [
    ('{"format": "kapcourse-results", "items": {}}', ""),
    ("lesson,item,attempts\n", ""),
    ('{"items": {}, "pretest": {"version": 1, "answers": {}, "submitted": 5}}',
     "The pre-test in the file could not be read ('submitted' must be a date such as "
     "2026-11-30); it was not imported."),
])
def test_an_import_without_a_usable_pretest_changes_nothing(tmp_path, text, note):
    store = ProgressStore(tmp_path / "p.json")
    assert pretest.import_into(store, text) == note
    assert "pretest" not in store.load()


def test_the_cli_export_carries_the_pretest(tmp_path, monkeypatch, real_final):
    from kapcourse.cli import main

    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    store = ProgressStore.default()
    pretest.save(store, lambda b: pretest.submit(b, real_final, WHEN))
    assert main(["export", "--output", str(tmp_path), "--name", "Ada"]) == 0
    export = json.loads(next(tmp_path.glob("kapcourse-results-*.json")).read_text())
    assert export["pretest"]["submitted"] == WHEN
    assert len(export["pretest"]["answers"]) == len(pretest.questions(real_final))


def test_the_pretest_script_has_no_copy_of_the_rules(real_final):
    """The questions, the key and the messages reach kappretest.js from Python only."""
    from .test_one_truth import fragments

    script = (ROOT / "_static" / "kappretest.js").read_text(encoding="utf-8")
    assert not [f for f in fragments(pretest.MESSAGES.values()) if f in script]
    assert pretest.STORAGE_KEY not in script and str(pretest.MAX_ANSWERS) not in script
    assert not [q.id for q in pretest.questions(real_final) if q.id in script]


def test_the_book_loads_the_pretest_script_where_it_is_used():
    from kapcourse.book.sphinx_ext import PAGE_ASSETS

    assert PAGE_ASSETS["kappretest"] == ('id="kpt-pretest"', 'id="kp-progress"')
    assert 'id="kpt-pretest"' in PAGE_ASSETS["kapprogress"]  # the final's review rows
