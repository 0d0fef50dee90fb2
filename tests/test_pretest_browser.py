"""The pre-test in the built book, in Chromium (the real kappretest.js, kapprogress.js and
course data): answer some questions with no feedback, Submit, see the score and the review;
kept after a reload; My progress sets it beside the final's first submitted attempt exactly
as kapcourse.record.pretest computes it; the results export carries the block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kapcourse.bank.model import fingerprint
from kapcourse.record import pretest
from kapcourse.record.final import FinalAssessment
from kapcourse.record.summary import STORAGE_KEY as PROGRESS_KEY

from .browser import PageWatch, run_axe
from .conftest import ROOT
from .test_learner_pages import developer_words, visible_text

pytestmark = pytest.mark.browser

WHEN = "2026-12-01T10:00:00Z"


def pick(page, question, bank_index: int) -> None:
    """Choose an option by its index in the bank (the page shows options shuffled)."""
    position = list(question.option_order).index(bank_index)
    page.locator(f'[id="kq-{question.id}"] .kq-o input[value="{position}"]').check()
    page.wait_for_function(
        f"() => document.getElementById('kq-{question.id}').querySelector('.kq-r')"
        ".textContent === 'Saved.'")


def stored(page, key: str):
    return page.evaluate(f"() => JSON.parse(localStorage.getItem({key!r}))")


def final_attempt_items(final: FinalAssessment) -> dict:
    """The final's first attempt, submitted, as kapprogress.js saves it: all right but one."""
    items = {}
    for number, question in enumerate(final.drawn(1)):
        right = number > 0
        items[question.id] = {"bank": "final", "attempts": 1, "first_correct": right,
                              "correct": right, "first_response": None, "last_response": None,
                              "first": WHEN, "last": WHEN, "attempt": 1,
                              "confidence": "fairly sure", "submitted": True,
                              "fp": fingerprint(question)}
    return items


def table_rows(page, index: int) -> list[list[str]]:
    return page.locator(".kpt-compare").nth(index).evaluate(
        "t => Array.from(t.querySelectorAll('tr')).slice(1).map("
        "r => Array.from(r.cells).map(c => c.textContent))")


def test_taking_the_pretest_in_the_built_book(browser, real_book, real_final):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    watch = PageWatch(page, real_book)
    page.goto(f"{real_book}/book/pretest.html")
    page.wait_for_selector("#kpt-pretest[data-ready]")
    questions = pretest.questions(real_final)
    assert page.locator(".kq[data-final] .kq-q").count() == len(questions)
    assert run_axe(page) == []
    right, wrong = [q for q in questions if q.type == "single"][:2]
    pick(page, right, next(i for i, o in enumerate(right.options) if o.correct))
    pick(page, wrong, next(i for i, o in enumerate(wrong.options) if not o.correct))
    assert page.locator(".kf-review").count() == 0  # no feedback before Submit
    block = stored(page, pretest.STORAGE_KEY)
    assert "submitted" not in block and pretest.problem(block) == ""
    assert {qid: a["correct"] for qid, a in block["answers"].items()} == {
        right.id: True, wrong.id: False}

    page.click(".kpt-submit")  # the page reloads with the review
    page.wait_for_selector(".kpt-score")
    assert f"Submitted: 1 of {len(questions)} right." in page.inner_text(".kpt-score")
    assert page.locator(".kf-review").count() == len(questions)
    assert "Not answered." in page.inner_text(".kq[data-final]")
    assert "How sure you were" not in page.inner_text(".kq[data-final]")
    page.reload()
    page.wait_for_selector("#kpt-pretest[data-ready]")
    assert page.locator(".kpt-score").count() == 1 and page.locator(".kpt-submit").is_hidden()
    assert run_axe(page) == []
    block = stored(page, pretest.STORAGE_KEY)
    assert block["submitted"] and len(block["answers"]) == len(questions)

    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    assert "Pre-test and final" in page.inner_text("#kp-progress")
    items = final_attempt_items(real_final)
    page.evaluate(f"items => localStorage.setItem({PROGRESS_KEY!r}, JSON.stringify("
                  "{format: 'kapcourse-progress', version: 2, items: items}))", items)
    page.reload()
    page.wait_for_selector("#kp-progress[data-ready]")
    found = pretest.comparison(block, items, real_final)
    assert found.final_attempt == 1
    assert table_rows(page, 0) == [[r.title, f"{r.pre_right} of {r.pre_asked}",
                                    f"{r.final_right} of {r.final_asked}", f"{r.gain:+d}"]
                                   for r in found.lessons]
    assert [row[0] for row in table_rows(page, 1)] == [r.title for r in found.objectives]
    assert run_axe(page, ".kpt-progress") == []

    with page.expect_download() as download:
        page.click(".kp-json")
    export = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert export["pretest"] == pretest.clean(block)
    context.close()
    assert watch.errors == [] and watch.external == [] and watch.not_found == []


def test_an_export_brings_the_pretest_into_another_browser(browser, real_book, tmp_path,
                                                           real_final):
    """Import on My progress merges the file's pre-test (a learner moving devices keeps it)."""
    block = pretest.submit(None, real_final, WHEN)
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"format": "kapcourse-results", "version": 2, "items": {},
                                "course_version": "0.3.0", "export_id": "0" * 32,
                                "pretest": block}), encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    page.set_input_files(".kp-file", str(path))
    page.click(".kp-import")
    page.wait_for_function(
        "() => document.querySelector('.kp-status').textContent.includes('pre-test')")
    assert "Imported your pre-test." in page.inner_text(".kp-status")
    assert stored(page, pretest.STORAGE_KEY) == pretest.clean(block)
    assert "Pre-test and final" in page.inner_text("#kp-progress")
    context.close()


def test_the_pretest_page_names_no_files_modules_or_question_ids(real_book):
    from .conftest import BUILT

    assert developer_words(visible_text(BUILT / "book" / "pretest.html")) == []
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert toc.index("book/how_to_use") < toc.index("book/pretest") < toc.index("notebooks/01")
