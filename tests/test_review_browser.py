"""Spaced review in the built book, in Chromium: lesson questions answered on their page come
back on the Review page (the lesson's quiz and feedback, one at a time, scheduled by the
shipped ts-fsrs), the next due date is shown and kept over a reload, and the landing page
shows how many questions are due. Needs the built book (real_book)."""

from __future__ import annotations

import datetime as dt

import pytest

from kapcourse.bank.model import load_bank
from kapcourse.record.review import STORAGE_KEY, long_day

from .browser import PageWatch, run_axe, run_axe_all_rules
from .conftest import ROOT

pytestmark = pytest.mark.browser

LESSON = "01_what_is_ketamine"


def choice_questions(count: int) -> list:
    bank = load_bank(ROOT / "quizzes" / f"{LESSON}.yml")
    return [q for q in bank.questions if q.type in ("single", "truefalse")][:count]


def option(box, question, right: bool):
    """The page's input for a right or a wrong option (the value is its shown position)."""
    if question.type == "truefalse":
        index = 0 if question.answer == right else 1
    else:
        index = next(i for i, o in enumerate(question.options) if o.correct == right)
    return box.locator(f'input[value="{question.option_order.index(index)}"]')


def answer(box, question, right: bool) -> None:
    option(box, question, right).click()
    box.locator(".kq-check").click()


def due_line(page, url: str) -> str:
    page.goto(url)
    page.wait_for_selector(".kv-due[data-ready]")
    return page.locator(".kv-due").inner_text()


def test_a_review_session_in_the_built_book(page, real_book):
    watch = PageWatch(page, real_book)
    missed, right = choice_questions(2)
    page.goto(f"{real_book}/notebooks/{LESSON}.html")
    page.wait_for_selector(".kq[data-ready]")
    assert "No questions due for review yet" in due_line(page, f"{real_book}/book/intro.html")
    page.goto(f"{real_book}/notebooks/{LESSON}.html")
    page.wait_for_selector(".kq[data-ready]")
    answer(page.locator(f"#kq-{missed.id}"), missed, right=False)
    answer(page.locator(f"#kq-{missed.id}"), missed, right=True)
    answer(page.locator(f"#kq-{right.id}"), right, right=True)
    assert due_line(page, f"{real_book}/book/intro.html") == "2 questions due for review."

    page.goto(f"{real_book}/book/review.html")
    page.wait_for_selector("#kv-review[data-ready]")
    assert page.locator(".kv-count").inner_text() == "Question 1 of 2"
    first = page.locator(f".kv-bank #kq-{missed.id}")  # the first-try miss comes first
    assert first.is_visible() and not page.locator(f".kv-bank #kq-{right.id}").is_visible()
    assert run_axe(page) == []
    answer(first, missed, right=False)
    assert first.locator(".kq-r").inner_text()  # the lesson's feedback
    page.locator(".kv-next").click()
    assert page.locator(".kv-count").inner_text() == "Question 2 of 2"
    second = page.locator(f".kv-bank #kq-{right.id}")
    assert second.is_visible() and not first.is_visible()
    answer(second, right, right=True)
    assert page.locator(".kv-next").inner_text() == "Finish review"
    page.locator(".kv-next").click()
    today = dt.date.today()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert page.locator(".kv-status").inner_text() == (
        f"2 questions reviewed, next review due on {long_day(tomorrow)}. "
        "Review streak: 1 day.")
    stored = page.evaluate(f"() => JSON.parse(localStorage.getItem({STORAGE_KEY!r}))")
    assert stored["days"] == [today.isoformat()]
    assert stored["cards"][missed.id]["due"] == f"{tomorrow}T00:00:00Z"  # Again: a day
    after_two = (today + dt.timedelta(days=2)).isoformat()
    assert stored["cards"][right.id]["due"] == f"{after_two}T00:00:00Z"  # Good: two days
    lesson = page.evaluate("() => JSON.parse(localStorage.getItem('kapcourse:progress'))")
    assert lesson["items"][right.id]["attempts"] == 1  # review answers leave the lesson's alone

    page.reload()  # kept
    page.wait_for_selector("#kv-review[data-ready]")
    assert page.locator(".kv-streak").inner_text() == "Review streak: 1 day."
    assert page.locator(".kv-status").inner_text() == (
        f"No questions due for review today: the next are due on {long_day(tomorrow)}.")
    assert due_line(page, f"{real_book}/book/intro.html") == (
        f"No questions due for review today: the next are due on {long_day(tomorrow)}.")
    assert not watch.errors, watch.errors
    assert not watch.external and not watch.not_found, (watch.external, watch.not_found)


def test_the_review_page_and_the_due_line_in_dark_mode_pass_axe(browser, real_book):
    """The theme paints notebook outputs light in dark mode; the review session and My
    progress's due line follow the page (kapreview.css), so their links and the lesson's
    quiz stay readable."""
    missed, _ = choice_questions(2)
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{real_book}/notebooks/{LESSON}.html")
    page.wait_for_selector(".kq[data-ready]")
    answer(page.locator(f"#kq-{missed.id}"), missed, right=False)
    due_line(page, f"{real_book}/book/progress.html")
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert run_axe_all_rules(page, ".kv-due-box") == []
    page.goto(f"{real_book}/book/review.html")
    page.wait_for_selector("#kv-review[data-ready]")
    answer(page.locator(f".kv-bank #kq-{missed.id}"), missed, right=False)
    assert run_axe_all_rules(page, ".kv-page") == []
    context.close()
