"""The final assessment in the built book, in Chromium, on a small fixture book whose banks
have two written forms per objective (tests/fixtures/final): no feedback before Submit,
answers survive a reload, a wrong safety question fails the final above the pass mark, a new
attempt draws the other forms, and the record (kapprogress.js) names the attempt."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from .browser import PageWatch, run_axe, serve
from .conftest import FIXTURES, build_book, make_fixture_book

HOST_CELLS = ["# 02. Host lesson\n\n**Who this lesson is for:** tests.",
              'from kapcourse import Lesson\n\nlesson = Lesson("02_host")\nlesson.header()',
              "## 1. A quiz", 'lesson.quiz("h-tf", "h-order")',
              "## 2. Final assessment", "lesson.final_assessment()"]
ALPHA_CELLS = ["# 01. Alpha lesson\n\n**Who this lesson is for:** tests.",
               'from kapcourse import Lesson\n\nlesson = Lesson("01_alpha")\nlesson.header()',
               "## 1. A quiz", 'lesson.quiz("a-single", "a-tf", "a-numeric", "a-order")']


def notebook(cells: list[str]) -> nbformat.NotebookNode:
    made = [nbformat.v4.new_markdown_cell(c) if c.startswith("#") else
            nbformat.v4.new_code_cell(c) for c in cells]
    made[1].metadata["tags"] = ["remove-input"]
    book = nbformat.v4.new_notebook(cells=made)
    book.metadata.update(kapcourse={"minutes": 5}, kernelspec={
        "display_name": "Python 3", "language": "python", "name": "python3"})
    return book


@pytest.fixture(scope="module")
def final_book(tmp_path_factory):
    book = make_fixture_book(tmp_path_factory.mktemp("final-book") / "course")
    for old in ("notebooks/01_sample.ipynb", "quizzes/01_sample.yml"):
        (book / old).unlink()
    for bank in (FIXTURES / "final" / "quizzes").glob("*.yml"):
        shutil.copy(bank, book / "quizzes" / bank.name)
    nbformat.write(notebook(ALPHA_CELLS), book / "notebooks" / "01_alpha.ipynb")
    nbformat.write(notebook(HOST_CELLS), book / "notebooks" / "02_host.ipynb")
    progress = notebook(["# My progress", "from kapcourse.pages.progress import MyProgress",
                         "MyProgress()"])
    progress.cells[2].metadata["tags"] = ["remove-input"]
    progress.metadata.pop("kapcourse")
    nbformat.write(progress, book / "book" / "progress.ipynb")
    toc = (book / "_toc.yml").read_text()
    (book / "_toc.yml").write_text(toc.replace("  - file: notebooks/01_sample\n",
                                               "  - file: notebooks/01_alpha\n"
                                               "  - file: notebooks/02_host\n"
                                               "  - file: book/progress\n"))
    with serve(build_book(book)) as url:
        yield url


def pick(page, question_id: str, position_of_bank_index: int | None = None,
         text: str | None = None, sure: str = "fairly sure") -> None:
    """Answer one final question with the mouse: an option by its bank index, or typed text;
    then say how sure."""
    box = page.locator(f"#kq-{question_id}")
    if text is not None:
        box.locator(".kq-n input").fill(text)
        box.locator(".kq-n input").press("Tab")  # the change event: saved
    else:
        order = page.evaluate(f"() => window.kapquizData.final[{question_id!r}].o")
        value = order.index(position_of_bank_index) if order else position_of_bank_index
        box.locator(f'.kq-o input[value="{value}"]').check()
    box.locator(f'.kf-conf input[value="{sure}"]').check()
    assert "Saved." in box.locator(".kq-r").inner_text()


def test_the_final_in_the_book(page, final_book):
    watch = PageWatch(page, final_book)
    page.goto(f"{final_book}/notebooks/02_host.html")
    page.wait_for_selector("#kf-final[data-ready]")
    assert "every safety question right" in page.locator(".kf-intro").inner_text()
    shown = page.evaluate("() => Array.from(document.querySelectorAll('.kq[data-final] > "
                          ".kq-q, .kq[data-final] > .kq-v')).filter(n => !n.hidden)"
                          ".map(n => n.id)")
    assert shown == ["kq-a-f1-first-step", "kq-a-f1-dose", "kq-h-f1-refer"]  # form 1
    assert page.locator(".kq[data-final] .kq-check").count() == 0  # no Check buttons

    pick(page, "a-f1-first-step", 1, sure="certain")  # the safety question, wrong
    final_box = page.locator(".kq[data-final]")
    assert "✗" not in final_box.inner_text() and "✓" not in final_box.inner_text()
    assert page.locator(".kq[data-final] .kf-review").count() == 0  # no feedback yet
    page.click(".kf-submit")
    assert "2 still to do" in page.locator(".kf-status").inner_text()

    page.reload()  # answers survive a reload
    page.wait_for_selector("#kf-final[data-ready]")
    order = page.evaluate("() => window.kapquizData.final['a-f1-first-step'].o")
    assert page.locator(f'#kq-a-f1-first-step .kq-o input[value="{order.index(1)}"]').is_checked()
    assert page.locator('#kq-a-f1-first-step .kf-conf input[value="certain"]').is_checked()
    pick(page, "a-f1-dose", text="30")
    pick(page, "h-f1-refer", 0)  # True
    with page.expect_navigation():
        page.click(".kf-submit")
    page.wait_for_selector("#kf-final[data-ready]")
    result = page.locator("#kf-final .kf-result").inner_text()
    # 2 of 3 = 66% meets the pass mark of 60%, but the safety question is wrong
    assert "Attempt 1: not passed: 1 safety question(s) answered wrong" in result
    assert "Safety questions right: 0 of 1" in result
    assert "Alpha lesson: Choose the safe first step." in result  # named, and certain
    review = page.locator("#kq-a-f1-first-step .kf-review").inner_text()
    assert "✗" in review and "Certain" in review and "Safety question" in review
    assert "Dosing before screening skips the safety checks." in review  # feedback now
    assert run_axe(page, ".kf-intro, .kq, #kf-final") == []

    page.goto(f"{final_book}/book/progress.html")  # My progress: confidently wrong first
    page.wait_for_selector("#kp-progress[data-ready]")
    text = page.locator("#kp-progress").inner_text()
    assert "Review these first" in text and text.index("Review these first") < text.index(
        "Questions attempted")
    assert "Alpha lesson: Choose the safe first step." in page.locator(
        ".kf-confident-first").inner_text()
    page.goto(f"{final_book}/notebooks/02_host.html")
    page.wait_for_selector("#kf-final[data-ready]")
    page.click(".kf-new")
    assert "Click again to confirm" in page.locator(".kf-status").inner_text()
    with page.expect_navigation():
        page.click(".kf-new")
    page.wait_for_selector("#kf-final[data-ready]")
    shown = page.evaluate("() => Array.from(document.querySelectorAll('.kq[data-final] > "
                          ".kq-q, .kq[data-final] > .kq-v')).filter(n => !n.hidden)"
                          ".map(n => n.id)")
    assert shown == ["kq-a-f2-first-step", "kq-a-f2-dose-case", "kq-h-f2-refer"]  # form 2
    assert "Attempt 2: 0 of 4" in page.locator("#kf-final .kf-result").inner_text()
    pick(page, "a-f2-first-step", 1)
    pick(page, "a-f2-dose-case-a", text="40")
    page.locator("#kq-a-f2-dose-case-b").wait_for(state="visible")  # the case unfolds
    for value in (0, 1):
        order = page.evaluate("() => window.kapquizData.final['a-f2-dose-case-b'].o")
        page.locator(f'#kq-a-f2-dose-case-b .kq-o input[value="{order.index(value)}"]').check()
    page.locator('#kq-a-f2-dose-case-b .kf-conf input[value="certain"]').check()
    pick(page, "h-f2-refer", 0)
    with page.expect_navigation():
        page.click(".kf-submit")
    page.wait_for_selector("#kf-final[data-ready]")
    assert "Attempt 2: passed: 100%" in page.locator("#kf-final .kf-result").inner_text()

    # the record, as kapprogress.js writes it once the lessons are done too
    lines = page.evaluate("""() => {
      const data = JSON.parse(localStorage.getItem('kapcourse:progress'));
      window.kapcourseStructure.forEach((l) => l.questions.forEach((q) => {
        data.items[q] = {bank: l.stem, attempts: 1, first_correct: true, correct: true};
      }));
      return window.kapprogress.recordLines('Ada Lovelace', data.items, '2026-12-01',
                                            data.final).lines.map((l) => l[1]);
    }""")
    assert ("Final assessment (attempt 2; pass mark 60% and every safety question right): "
            "4 of 4 (100%)") in lines
    assert watch.errors == [] and watch.external == []
