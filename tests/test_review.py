"""Spaced review in the kernel: the saved record in the progress file (kept aside when
unreadable, never dropped) and a review session with the lesson's question widgets."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kapcourse.bank.model import load_bank
from kapcourse.pages.review import ReviewSession, summary_line
from kapcourse.record import review
from kapcourse.record.store import ProgressStore

from .conftest import ROOT

TODAY = "2026-12-01"


def choice_questions(count: int) -> list:
    """The first lesson 01 questions answered with one choice (single or true/false)."""
    bank = load_bank(ROOT / "quizzes" / "01_what_is_ketamine.yml")
    found = [q for q in bank.questions if q.type in ("single", "truefalse")]
    return found[:count]


def right_value(question):
    if question.type == "truefalse":
        return question.answer
    return next(i for i, option in enumerate(question.options) if option.correct)


def wrong_value(question):
    if question.type == "truefalse":
        return not question.answer
    return next(i for i, option in enumerate(question.options) if not option.correct)


def test_a_card_is_saved_beside_the_answers(isolated_progress):
    store = ProgressStore(isolated_progress)
    store.record("01_what_is_ketamine", "q1", True, 0)
    card = review.schedule(None, review.GOOD, review.day_time(TODAY))
    review.save_card(store, "q1", card)
    review.complete(store, TODAY)
    data = json.loads(isolated_progress.read_text("utf-8"))
    assert data["review"] == {"version": 1, "cards": {"q1": card}, "days": [TODAY]}
    assert "q1" in data["items"]  # the lesson's answer is untouched
    assert card["due"] == "2026-12-03T00:00:00Z"  # Good on a new card: 2 days (S0 = 2.3065)


def test_an_unreadable_record_is_kept_aside_not_dropped(isolated_progress):
    store = ProgressStore(isolated_progress)
    store.record("01_what_is_ketamine", "q1", True, 0)
    bad = {"version": 1, "cards": {"q1": {"state": 9}}, "days": []}
    store.update(lambda data: data.update(review=bad))
    saved, warning = review.read_saved(store)
    assert saved == review.empty()
    assert "could not be read (the card for question 'q1' is malformed (state))" in warning
    review.complete(store, TODAY)
    data = json.loads(isolated_progress.read_text("utf-8"))
    assert data[review.UNREADABLE_KEY] == bad
    assert data["review"]["days"] == [TODAY]


def test_good_after_lapses_follows_ts_fsrs_not_py_fsrs_alone():
    """py-fsrs alone would give this low-stability card one day; ts-fsrs gives two (Good is
    always a day beyond Hard), and so must the kernel."""
    card = {"state": 2, "step": None, "stability": 0.119688, "difficulty": 9.886171,
            "due": "2026-03-25T00:00:00Z", "last_review": "2026-03-24T00:00:00Z"}
    after = review.schedule(card, review.GOOD, "2026-03-25T00:00:00Z")
    assert after["due"] == "2026-03-27T00:00:00Z"


@pytest.mark.widget
def test_a_review_session_asks_the_due_questions_and_schedules_them(isolated_progress):
    store = ProgressStore(isolated_progress)
    missed, right = choice_questions(2)
    store.record("01_what_is_ketamine", right.id, True, right_value(right))
    store.record("01_what_is_ketamine", missed.id, False, wrong_value(missed))
    store.record("01_what_is_ketamine", missed.id, True, right_value(missed))
    session = ReviewSession(root=ROOT, store=store, today=TODAY)
    assert session.ids == [missed.id, right.id]  # the first-try miss first
    assert "Question 1 of 2" in session.count.value
    session.view.answer.value = wrong_value(missed)  # wrong at the first try: Again
    session.view.check.click()
    assert "kq-result" in session.view.result.value  # the lesson's feedback
    session.view.answer.value = right_value(missed)  # a right retry does not change the rating
    session.view.check.click()
    session.next_button.click()
    assert "Question 2 of 2" in session.count.value
    session.view.answer.value = right_value(right)  # right at the first try: Good
    session.view.check.click()
    assert session.next_button.description == "Finish review"
    session.next_button.click()
    saved, _ = review.read_saved(store)
    assert saved["cards"][missed.id]["due"] == "2026-12-02T00:00:00Z"
    assert saved["cards"][right.id]["due"] == "2026-12-03T00:00:00Z"
    assert saved["days"] == [TODAY]
    assert ("2 questions reviewed, next review due on 2 December 2026. Review streak: 1 day."
            in session.status.value)
    assert store.load()["items"][right.id]["attempts"] == 1  # lesson answers untouched
    again = ReviewSession(root=ROOT, store=store, today=TODAY)
    assert again.ids == []
    assert "No questions due for review today: the next are due on 2 December 2026." in (
        again.status.value)
    tomorrow = ReviewSession(root=ROOT, store=store, today="2026-12-02")
    assert tomorrow.ids == [missed.id]
    assert "Review streak: 1 day." in tomorrow.streak.value


@pytest.mark.widget
def test_nothing_answered_is_handled_kindly(isolated_progress):
    session = ReviewSession(root=ROOT, store=ProgressStore(isolated_progress), today=TODAY)
    assert session.ids == []
    assert "No questions due for review yet" in session.status.value
    assert "No review streak yet." in session.streak.value


def test_the_book_gets_every_lesson_question_in_review_mode():
    html = ReviewSession(root=ROOT, today=TODAY).book_html()
    assert 'id="kv-review"' in html and 'class="kv-bank" hidden' in html
    assert html.count('data-review="1"') == 9  # one quiz per lesson bank


def test_summary_line_counts_kindly():
    saved = {"version": 1, "cards": {}, "days": [TODAY]}
    assert summary_line(1, saved, TODAY) == "1 question reviewed. Review streak: 1 day."


def test_an_export_carries_the_review_and_an_import_keeps_the_newer_card(isolated_progress):
    store = ProgressStore(isolated_progress)
    store.record("01_what_is_ketamine", "q1", True, 0)
    older = review.schedule(None, review.GOOD, review.day_time("2026-11-01"))
    review.save_card(store, "q1", older)
    export = {"items": {}}
    assert review.add_to_export(export, review.read_saved(store)[0])
    assert export["review"]["cards"] == {"q1": older}
    newer = review.schedule(older, review.GOOD, older["due"])
    incoming = {"format": "kapcourse-results", "items": {},
                "review": {"version": 1, "cards": {"q1": newer, "q2": older},
                           "days": ["2026-11-03"]}}
    assert review.import_note(store, json.dumps(incoming)) == ""
    saved, _ = review.read_saved(store)
    assert saved["cards"] == {"q1": newer, "q2": older}
    assert saved["days"] == ["2026-11-03"]
    stale = {**incoming, "review": {"version": 1, "cards": {"q1": older}, "days": []}}
    review.import_note(store, json.dumps(stale))
    assert review.read_saved(store)[0]["cards"]["q1"] == newer  # the older card never wins
    broken = {**incoming, "review": {"version": 1, "cards": "no", "days": []}}
    note = review.import_note(store, json.dumps(broken))
    assert note == (" Its review schedule could not be read ('cards' must map question ids to "
                    "cards) and was left out.")
    assert review.read_saved(store)[0]["cards"]["q1"] == newer
    assert review.import_note(store, "lesson,item\n") == ""  # a CSV file has no review


def test_an_empty_review_is_not_exported():
    export = {"items": {}}
    assert not review.add_to_export(export, review.empty())
    assert "review" not in export


@pytest.mark.widget
def test_my_progress_exports_and_imports_the_review(tmp_path):
    from kapcourse.pages.progress import MyProgress

    from .conftest import FIXTURE_COURSE

    here = ProgressStore(tmp_path / "here.json")
    here.record("01_sample", "fx-single", True, 0)
    card = review.schedule(None, review.GOOD, review.day_time(TODAY))
    review.save_card(here, "fx-single", card)
    review.complete(here, TODAY)
    MyProgress(root=FIXTURE_COURSE, store=here, folder=tmp_path).export_json.click()
    [exported] = tmp_path.glob("kapcourse-progress-*.json")
    assert json.loads(exported.read_text())["review"] == {
        "version": 1, "cards": {"fx-single": card}, "days": [TODAY]}
    there = ProgressStore(tmp_path / "there.json")
    other = MyProgress(root=FIXTURE_COURSE, store=there, folder=tmp_path)
    content = exported.read_bytes()
    other.upload.value = ({"name": exported.name, "type": "application/json",
                           "size": len(content), "content": memoryview(content),
                           "last_modified": dt.datetime(2026, 12, 1)},)
    other.import_button.click()
    assert "Imported 1 answers" in other.message.value
    assert review.read_saved(there)[0] == {"version": 1, "cards": {"fx-single": card},
                                           "days": [TODAY]}


def test_the_build_finds_the_review_pages_banks():
    """The build adds a bank's answers to a page by its quizzes' 'class="kq" data-bank'."""
    from kapcourse.book.sphinx_ext import BANK_ATTRIBUTE

    html = ReviewSession(root=ROOT, today=TODAY).book_html()
    assert len(set(BANK_ATTRIBUTE.findall(html))) == 9
