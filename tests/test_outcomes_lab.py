"""Spaced review and the course evaluation in a real JupyterLab (the pre-test has its own
file, tests/test_pretest_lab.py).

Review: two lesson answers are due, the learner runs the Review page, misses the first at the
first try and gets the second right, and the cards saved in the progress file are scheduled as
the FSRS library schedules them (a miss again tomorrow, a first-try right answer in two days:
the intervals tests/golden/review.yml pins against py-fsrs's own reference values).

Evaluation: the learner rates and writes a commitment, saves, exports the anonymous CSV, and
My progress's JSON export carries the evaluation without a name."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager

import pytest

from kapcourse.bank.model import load_bank
from kapcourse.record.evaluation import course_form
from kapcourse.record.store import ProgressStore

from .browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, check_lab_radio
from .conftest import ROOT
from .test_lab import lab  # noqa: F401 - the JupyterLab server fixture

pytestmark = pytest.mark.lab
LESSON = "01_what_is_ketamine"


def single_choice_questions(count: int) -> list:
    """Lesson 01's first single-choice questions whose options are plain text (the radio
    labels then show them exactly)."""
    bank = load_bank(ROOT / "quizzes" / f"{LESSON}.yml")
    plain = [q for q in bank.questions if q.type == "single"
             and not any(set(o.text) & set("*_`[]<>\\") for o in q.options)]
    return plain[:count]


def index_of(question, correct: bool) -> int:
    return next(i for i, o in enumerate(question.options) if o.correct is correct)


def option_text(question, correct: bool) -> str:
    return question.options[index_of(question, correct)].text


def choose(question_box, text: str) -> None:
    check_lab_radio(question_box.locator(".widget-radio-box label", has_text=text).locator("input"))


def test_a_review_session_in_jupyterlab_schedules_the_cards(lab):  # noqa: F811
    url, progress = lab
    missed, right = single_choice_questions(2)
    store = ProgressStore(progress)
    store.record(LESSON, right.id, True, index_of(right, correct=True))
    store.record(LESSON, missed.id, False, index_of(missed, correct=False))  # comes first
    store.record(LESSON, missed.id, True, index_of(missed, correct=True))
    today = dt.datetime.now().astimezone().date()  # the kernel's local day, as local_day()

    with lab_page(url) as (page, watch):
        run_all(page, url, "book/review.ipynb")

        output = page.locator(".jp-OutputArea")
        output.get_by_text("Question 1 of 2").wait_for(timeout=120_000)
        quiz = output.locator(".kq-widget").first
        choose(quiz, option_text(missed, correct=False))
        quiz.locator("button", has_text="Check").click()
        output.locator("button", has_text="Next question").click()
        output.get_by_text("Question 2 of 2").wait_for(timeout=30_000)
        quiz = output.locator(".kq-widget").first
        choose(quiz, option_text(right, correct=True))
        quiz.locator("button", has_text="Check").click()
        output.locator("button", has_text="Finish review").click()
        output.get_by_text("2 questions reviewed").wait_for(timeout=30_000)
        # text_content, not inner_text: JupyterLab's windowed notebook may hide a cell it has
        # scrolled away from, and inner_text of a hidden element is '' (a CI flake)
        status = output.get_by_text("2 questions reviewed").text_content()

    saved = json.loads(progress.read_text())
    cards = saved["review"]["cards"]
    assert cards[missed.id]["due"] == f"{today + dt.timedelta(days=1)}T00:00:00Z"
    assert cards[right.id]["due"] == f"{today + dt.timedelta(days=2)}T00:00:00Z"
    assert saved["review"]["days"] == [today.isoformat()]
    assert "Review streak: 1 day." in status
    assert saved["items"][right.id]["attempts"] == 1  # the lesson answers are untouched
    assert watch.external == []


@contextmanager
def lab_page(url: str):
    """A Chromium page for JupyterLab at ``url``, and its watch on outside requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            yield page, PageWatch(page, url)
        finally:
            browser.close()


def run_all(page, url: str, notebook: str) -> None:
    """Open the notebook alone (a workspace of its own: JupyterLab would reopen the tabs an
    earlier test left, and Run All could run one of those) and run every cell."""
    workspace = notebook.replace("/", "-").removesuffix(".ipynb")
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook}", timeout=120_000)
    page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for(timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def test_the_evaluation_and_its_exports_in_jupyterlab(lab):  # noqa: F811
    import csv

    url, progress = lab
    book = progress.parent / "course" / "book"  # the kernels' working folder
    form = course_form(ROOT)
    likert = [q.id for q in form.questions if q.kind == "likert"]
    texts = [q.id for q in form.questions if q.kind != "likert"]
    commitment = "Ask every client about bladder symptoms at each visit."

    with lab_page(url) as (page, watch):
        run_all(page, url, "book/evaluation.ipynb")
        output = page.locator(".jp-OutputArea")
        output.locator("button", has_text="Save my evaluation").wait_for(timeout=120_000)
        first_scale = output.locator(".widget-radio-box").nth(likert.index("relevance"))
        check_lab_radio(first_scale.locator("label", has_text=form.scale[-1]).locator("input"))
        output.locator("textarea").nth(texts.index(form.commitment.id)).fill(commitment)
        output.locator("button", has_text="Save my evaluation").click()
        output.get_by_text("Saved your evaluation").wait_for(timeout=30_000)
        output.locator("button", has_text="Export my evaluation (CSV)").click()
        output.get_by_text("Exported your saved evaluation").wait_for(timeout=30_000)

        run_all(page, url, "book/progress.ipynb")
        output = page.locator(".jp-OutputArea")
        export = output.locator("button", has_text="Export JSON")
        export.wait_for(timeout=120_000)  # a new kernel runs the page first: slow under load
        export.click()
        output.get_by_text("kapcourse-progress-").first.wait_for(timeout=60_000)

    saved = json.loads(progress.read_text())["evaluation"]
    assert saved["answers"]["relevance"] == len(form.scale)
    assert saved["answers"][form.commitment.id] == commitment
    rows = list(csv.reader((book / "kapcourse-evaluation.csv").open(encoding="utf-8")))
    assert commitment in [cell for row in rows for cell in row]
    (export,) = [json.loads(p.read_text()) for p in book.glob("kapcourse-progress-*.json")]
    assert export["learner"] is None  # no name typed: anonymous, so it carries the evaluation
    assert export["evaluation"]["answers"][form.commitment.id] == commitment
    assert watch.external == []
