"""The pre-test in JupyterLab (kapcourse.pages.pretest.PreTest, ipywidgets in process): answers
saved as they are given with no feedback, Submit once, then the score per lesson and every
question's answer with its feedback; kept across a reload; My progress sets it beside the
final's first submitted attempt, and its export and import carry it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kapcourse.pages.pretest import STARTED, PreTest, comparison_html
from kapcourse.pages.progress import MyProgress
from kapcourse.record import pretest
from kapcourse.record.final import FinalAssessment
from kapcourse.record.store import ProgressStore

from .conftest import ROOT


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "p.json")


def answer_right(view) -> None:
    """Answer a single- or multiple-choice question right, through its widgets."""
    question = view.question
    if question.type == "multiple":
        for index, option in enumerate(question.options):
            view.choice(index).value = option.correct
    else:
        view.answer.value = next(i for i, o in enumerate(question.options) if o.correct)


def choice_views(page: PreTest, kind: str) -> list:
    return [v for v in page.questions if v.question.type == kind]


def test_answers_are_saved_with_no_feedback_until_submit(store, real_final):
    page = PreTest(root=ROOT, store=store)
    assert len(page.questions) == len(pretest.questions(real_final))
    single = choice_views(page, "single")[0]
    answer_right(single)
    assert single.status.value == '<p class="kf-saved">Saved.</p>'
    assert single.review.value == "" and "✓" not in page.widget.children[-1].value
    saved = store.load()["pretest"]
    assert "submitted" not in saved and saved["answers"][single.question.id]["correct"] is True
    again = PreTest(root=ROOT, store=store)  # reopened: the answer is back, still no feedback
    view = next(v for v in again.questions if v.question.id == single.question.id)
    assert view.answer.value == single.answer.value and view.review.value == ""


def test_submit_once_shows_the_score_per_lesson_and_every_answer(store, real_final):
    page = PreTest(root=ROOT, store=store)
    right, left_blank = choice_views(page, "single")[:2]
    answer_right(right)
    page.submit_button.click()
    assert page.submitted and page.submit_button.layout.display == "none"
    total = len(pretest.questions(real_final))
    assert f"Submitted: 1 of {total} right." in page.result.value
    assert "What is ketamine?" in page.result.value  # a lesson's row
    shown = {v.question.id: v for v in page.questions}
    assert "✓" in shown[right.question.id].review.value
    blank = shown[left_blank.question.id].review.value
    assert "Not answered." in blank and "The correct answer." in blank
    assert "How sure you were" not in blank
    assert all(w.disabled for v in page.questions for w in v._inputs())
    assert page.submit() is False  # taken once
    assert PreTest(root=ROOT, store=store).submitted  # kept


def test_a_learner_who_started_the_lessons_is_told_the_gain_will_look_smaller(store):
    lesson_question = "l01-racemate"
    store.record("01_what_is_ketamine", lesson_question, True, 0)
    page = PreTest(root=ROOT, store=store)
    assert "gain will look smaller" in page.notice.value
    assert STARTED.startswith("You have already answered")


def test_an_unreadable_saved_pretest_is_explained_and_kept(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "kapcourse-progress", "version": 2, "items": {},
                                "pretest": {"version": 1, "answers": {"x": "<b>?</b>"}}}))
    page = PreTest(root=ROOT, store=ProgressStore(path))
    assert "Your saved pre-test could not be read" in page.notice.value
    answer_right(choice_views(page, "single")[0])
    data = json.loads(path.read_text())
    assert data["pretest-unreadable"] == {"version": 1, "answers": {"x": "<b>?</b>"}}


def submitted_final(store: ProgressStore, final: FinalAssessment, wrong: int = 0) -> None:
    """The final's first attempt, answered and submitted (the first ``wrong`` questions wrong)."""
    drawn = final.drawn(1)
    for number, question in enumerate(drawn):
        store.record_final(question.id, number >= wrong, None, 1, "fairly sure")
    store.submit_final([q.id for q in drawn])


def test_my_progress_shows_the_pretest_then_its_gain_beside_the_final(store, tmp_path,
                                                                      real_final):
    assert "Pre-test and final" not in MyProgress(root=ROOT, store=store,
                                                  folder=tmp_path).summary.value
    page = PreTest(root=ROOT, store=store)
    page.submit()  # nothing answered: 0 right
    before = MyProgress(root=ROOT, store=store, folder=tmp_path).summary.value
    assert "Pre-test and final" in before and "Submit the final assessment" in before
    assert real_final.bank.objectives[0].text in before  # objectives by their text
    submitted_final(store, real_final, wrong=1)
    after = MyProgress(root=ROOT, store=store, folder=tmp_path).summary.value
    assert "Final (attempt 1) right" in after and "+100" in after
    found = pretest.comparison(store.load()["pretest"], store.scored_items(), real_final)
    assert comparison_html(found) in after


def test_my_progress_exports_and_imports_the_pretest(store, tmp_path):
    PreTest(root=ROOT, store=store).submit()
    page = MyProgress(root=ROOT, store=store, folder=tmp_path)
    path = page.export("json")
    export = json.loads(path.read_text())
    assert export["pretest"] == pretest.read_saved(store)[0]
    elsewhere = ProgressStore(tmp_path / "other.json")
    other = MyProgress(root=ROOT, store=elsewhere, folder=tmp_path)
    content = path.read_bytes()
    other.upload.value = ({"name": path.name, "type": "application/json", "size": len(content),
                           "content": memoryview(content),
                           "last_modified": dt.datetime(2026, 12, 1)},)
    assert other.import_uploaded()
    assert "Imported your pre-test." in other.message.value
    assert elsewhere.load()["pretest"] == export["pretest"]
    assert "Pre-test and final" in other.summary.value
