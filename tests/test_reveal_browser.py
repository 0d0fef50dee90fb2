"""Feedback that makes learners think, in the book (issue #14), on the fixture book in
Chromium: a first wrong try keeps the key, a second wrong try or Show answer reveals it, a
right answer reveals it at once; a reopened lesson folds answered questions; Retake clears the
current answers and keeps the first tries; My progress labels both scores."""

from __future__ import annotations

import json

import pytest

from .browser import PageWatch, run_axe, serve
from .conftest import build_book, make_fixture_book
from .test_browser import SAMPLE, arrange, option_input, result_text

pytestmark = pytest.mark.browser
KEY = "✓ The correct answer."


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The fixture course's lesson page."""
    html = build_book(make_fixture_book(tmp_path_factory.mktemp("reveal") / "course"))
    with serve(html) as url:
        yield f"{url}/notebooks/01_sample.html"


def open_lesson(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".kq[data-ready]")


def pick(box, index: int) -> None:
    option_input(box, SAMPLE[box.get_attribute("id")[3:]], index).click()
    box.locator(".kq-check").click()


def stored(page) -> dict:
    return page.evaluate("() => JSON.parse(localStorage.getItem('kapcourse:progress')).items")


def test_first_wrong_try_keeps_the_key(page, lesson):
    watch = PageWatch(page, lesson)
    open_lesson(page, lesson)
    box = page.locator("#kq-fx-single")
    pick(box, 1)
    assert result_text(box).startswith("✗ Not quite. Look again at the feedback on your choice")
    assert not box.locator(".kq-x").is_visible()  # no explanation, no sources
    assert "Rayleigh" not in box.inner_text() and KEY not in box.inner_text()
    feedback = box.locator(".kq-f:visible")
    assert feedback.count() == 1 and "Green is the grass" in feedback.inner_text()
    assert box.locator(".kq-ok").count() == 0  # the right option is not marked
    assert box.locator(".kq-show").is_visible()
    assert watch.errors == []


def test_second_wrong_try_reveals_everything(page, lesson):
    open_lesson(page, lesson)
    box = page.locator("#kq-fx-single")
    pick(box, 1)
    assert box.locator(".kq-ok").count() == 0 and box.locator(".kq-show").is_visible()
    box.locator(".kq-retry").click()
    pick(box, 2)
    assert box.locator(".kq-x").is_visible() and "Rayleigh" in box.locator(".kq-x").inner_text()
    assert KEY in box.evaluate("b => [...b.querySelectorAll('.kq-f')].map(f => f.dataset.label)"
                               ".join(' ')")
    assert box.locator(".kq-ok").count() == 1 and not box.locator(".kq-show").is_visible()


def test_show_answer_reveals_everything_and_is_saved(page, lesson):
    open_lesson(page, lesson)
    box = page.locator("#kq-fx-single")
    pick(box, 2)
    box.locator(".kq-show").click()
    assert "The answer, feedback and explanation are shown below." in result_text(box)
    assert box.locator(".kq-x").is_visible() and box.locator(".kq-ok").count() == 1
    assert page.evaluate("() => document.activeElement.className") == "kq-retry"
    entry = stored(page)["fx-single"]
    assert entry["answer_shown"] is True and entry["first_correct"] is False


def test_a_right_answer_reveals_everything_at_once(page, lesson):
    open_lesson(page, lesson)
    box = page.locator("#kq-fx-single")
    pick(box, 0)
    assert result_text(box) == "✓ Correct. Feedback and the explanation are shown below."
    assert box.locator(".kq-x").is_visible() and not box.locator(".kq-show").is_visible()
    score = page.locator(".kq-sc").first.inner_text()  # both scores, labelled
    assert "Lesson score: 1 of 7 right now · 1 of 7 first-try right." in score


def test_numeric_ordering_and_case_steps_follow_the_same_rule(page, lesson):
    open_lesson(page, lesson)
    number = page.locator("#kq-fx-numeric")
    number.locator("input").fill("140")
    number.locator(".kq-check").click()
    assert "divided by 0.5" in result_text(number) and not number.locator(".kq-x").is_visible()
    order = page.locator("#kq-fx-ordering")
    arrange(order, [1, 0, 2, 3], keyboard=False)
    order.locator(".kq-check").click()
    assert order.locator(".kq-bad").count() == 2 and not order.locator(".kq-x").is_visible()
    case_a, case_b = page.locator("#kq-fx-case-a"), page.locator("#kq-fx-case-b")
    pick(case_a, 1)
    assert not case_a.locator(".kq-x").is_visible() and not case_b.is_visible()
    case_a.locator(".kq-show").click()
    assert case_a.locator(".kq-x").is_visible() and case_b.is_visible()


def test_a_reopened_lesson_folds_answered_questions(page, lesson):
    open_lesson(page, lesson)
    pick(page.locator("#kq-fx-single"), 0)
    truefalse = page.locator("#kq-fx-truefalse")
    truefalse.locator('input[value="1"]').click()  # False: wrong
    truefalse.locator(".kq-check").click()
    page.reload()
    page.wait_for_selector(".kq[data-ready]")
    right, wrong = page.locator("#kq-fx-single"), page.locator("#kq-fx-truefalse")
    fold = right.locator(".kq-fold")
    assert fold.inner_text() == "Answered · first try ✓ · show feedback"
    assert wrong.locator(".kq-fold").inner_text() == "Answered · first try ✗ · show feedback"
    assert fold.get_attribute("aria-expanded") == "false"
    assert not right.locator(".kq-o").is_visible() and not right.locator(".kq-r").is_visible()
    assert right.locator(".kq-p").is_visible()  # the question itself stays
    fold.focus()
    page.keyboard.press("Enter")
    assert fold.get_attribute("aria-expanded") == "true"
    assert right.locator(".kq-x").is_visible() and "(your saved answer)" in result_text(right)
    assert page.evaluate("() => document.activeElement.className") == "kq-fold"  # focus kept
    assert fold.inner_text().endswith("hide feedback")
    assert run_axe(page, ".kq") == []
    page.keyboard.press("Enter")
    assert not right.locator(".kq-o").is_visible()
    wrong.locator(".kq-fold").click()
    assert not wrong.locator(".kq-x").is_visible()  # a saved wrong answer still keeps its key


def test_retake_clears_current_answers_and_keeps_first_tries(page, lesson):
    open_lesson(page, lesson)
    box = page.locator("#kq-fx-single")
    pick(box, 1)
    box.locator(".kq-retry").click()
    pick(box, 0)
    pick(page.locator("#kq-fx-case-a"), 0)
    assert "2 of 7 right now · 1 of 7 first-try right" in page.locator(".kq-sc").first.inner_text()
    page.reload()
    page.wait_for_selector(".kq[data-ready]")
    retake = page.locator(".kq-retake")
    assert retake.count() == 1 and retake.inner_text() == "Retake this lesson's questions"
    retake.click()
    assert "Click again to confirm" in page.locator(".kq-rt-s").inner_text()
    assert stored(page)["fx-single"]["correct"] is True  # nothing cleared yet
    retake.click()
    entry = stored(page)["fx-single"]
    assert (entry["attempts"], entry["first_correct"], entry["correct"]) == (2, False, False)
    assert "last_response" not in entry and entry["first_response"] == 1
    assert not box.locator(".kq-fold").is_visible() and box.locator(".kq-o").is_visible()
    assert not option_input(box, SAMPLE["fx-single"], 0).is_checked() and result_text(box) == ""
    assert not page.locator("#kq-fx-case-b").is_visible()  # the case starts again
    assert "0 of 7 right now · 1 of 7 first-try right" in page.locator(".kq-sc").first.inner_text()
    assert page.evaluate("() => document.activeElement.className") == "kq-retake"
    page.reload()
    page.wait_for_selector(".kq[data-ready]")
    assert page.locator(".kq-fold:visible").count() == 0


def test_saved_progress_from_release_0_2_0_still_loads(page, lesson):
    """A record without answer_shown (as 0.2.0 saved it) is shown again, folded."""
    open_lesson(page, lesson)
    old = {"format": "kapcourse-progress", "version": 1, "items": {"fx-single": {
        "bank": "01_sample", "attempts": 1, "first_correct": False, "correct": False,
        "first": "2026-11-30T10:00:00Z", "last": "2026-11-30T10:00:00Z", "first_response": 1,
        "last_response": 1}}}
    text = json.dumps(json.dumps(old))
    page.evaluate(f"() => localStorage.setItem('kapcourse:progress', {text})")
    page.reload()
    page.wait_for_selector(".kq[data-ready]")
    box = page.locator("#kq-fx-single")
    assert box.locator(".kq-fold").inner_text() == "Answered · first try ✗ · show feedback"
    assert "unreadable" not in page.locator(".kq-sc").first.inner_text()
