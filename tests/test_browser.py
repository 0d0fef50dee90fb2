"""The static book in headless Chromium: quizzes answered with mouse and keyboard, progress
survives a reload, no external requests, no JavaScript errors, accessibility with axe-core.

Every quiz of the real course and every page's checks have files of their own
(tests/test_every_quiz_browser.py, tests/test_every_page_browser.py), which use the helpers
here: `make test` gives each worker whole files, and those take a third of the suite's time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kapcourse.bank.course import lesson_stems
from kapcourse.bank.model import load_bank, shuffle_order
from kapcourse.record.final import read_course

from .browser import PageWatch, answers, import_progress_file, run_axe, run_axe_all_rules, serve
from .conftest import BUILT, FIXTURE_COURSE, ROOT, build_book, make_fixture_book

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    """The fixture course: one item of every type."""
    html = build_book(make_fixture_book(tmp_path_factory.mktemp("browser") / "course"))
    with serve(html) as url:
        yield url


def questions_by_id(root: Path) -> dict:
    """Every question a page can show: the lessons' and the final assessment's."""
    found = {}
    for bank_path in lesson_stems(root)[1]:
        for question in load_bank(bank_path).questions:
            found[question.id] = question
    final = read_course(root).final
    found.update((question.id, question) for question in (final.questions if final else ()))
    return found


SAMPLE = questions_by_id(FIXTURE_COURSE)  # the fixture course's questions


def lesson_pages(root: Path) -> list[str]:
    return [f"notebooks/{path.stem}.html" for path in lesson_stems(root)[0]]


# --- driving one question ---------------------------------------------------------------------

def choose_with_mouse(box, question, response) -> None:
    if question.type == "numeric":
        box.locator("input").fill(response)
    elif question.type == "ordering":
        arrange(box, response, keyboard=False)
    else:
        for index in response:
            option_input(box, question, index).click()
    box.locator(".kq-check").click()


def choose_with_keyboard(page, box, question, response) -> None:
    # locator.press focuses the element and presses the key: one call to the browser, not two
    keys = page.keyboard
    if question.type == "numeric":
        box.locator("input").press_sequentially(response)  # focuses the box, then types
        keys.press("Enter")  # Enter in the answer box checks it
        return
    if question.type == "ordering":
        arrange(box, response, keyboard=True)
    elif question.type == "multiple":
        box.locator("input").first.focus()
        for value in shown_order(box, question):
            if value in response:
                keys.press("Space")
            keys.press("Tab")
    else:  # a radio group: Space picks the first option shown, arrows move the choice
        box.locator("input").first.press("Space")
        for _ in range(shown_order(box, question).index(response[0])):
            keys.press("ArrowDown")
    box.locator(".kq-check").press("Enter")


def shown_order(box, question) -> list[int]:
    """Bank indices of the options in the order the page shows them. An input's value is its
    position on the page, not its bank index (security review m12: value 0 was always right)."""
    positions = box.locator(".kq-o input").evaluate_all("inputs => inputs.map(i => +i.value)")
    assert positions == list(range(len(positions))), positions
    return [question.option_order[p] for p in positions]


def option_input(box, question, index: int):
    """The page's input for the option at `index` in the bank."""
    return box.locator(f'input[value="{question.option_order.index(index)}"]')


def arrange(box, order, keyboard: bool) -> None:
    """Move steps with the ↑ buttons until the list reads `order` (step indices in the bank).
    A step's data-s is its position as first shown (Question.shuffled_steps), not its index."""
    shown = shuffle_order(box.get_attribute("id").removeprefix("kq-"),
                          box.locator(".kq-ord > li").count())
    for position, step in enumerate(order):
        mark = shown.index(step)
        item = box.locator(f'.kq-ord > li[data-s="{mark}"]')
        current = box.locator(".kq-ord > li").evaluate_all(
            f"(lis, s) => lis.findIndex(li => li.dataset.s === String({mark}))")
        for _ in range(current - position):
            if keyboard:
                item.locator(".kq-up").press("Enter")  # focuses the button, then presses
            else:
                item.locator(".kq-up").click()


def result_text(box) -> str:
    return box.locator(".kq-r").inner_text().strip()


def exercise_question(page, box, question, keyboard: bool) -> None:
    """Empty, wrong, retry, right: check the page's answer to each."""
    chosen = answers(question)
    if question.type != "ordering":  # a list always has an order: there is no empty answer
        if keyboard:
            box.locator(".kq-check").press("Enter")  # focuses the button, then presses
        else:
            box.locator(".kq-check").click()
        empty = result_text(box)
        assert empty and not empty.startswith(("✓", "✗")), f"{question.id}: {empty!r}"

    answer = choose_with_keyboard if keyboard else None
    (answer(page, box, question, chosen["wrong"]) if keyboard
     else choose_with_mouse(box, question, chosen["wrong"]))
    assert result_text(box).startswith("✗"), f"{question.id}: {result_text(box)!r}"
    # a first wrong try: feedback on the choice, but no key and no explanation (issue #14)
    assert not box.locator(".kq-x").is_visible(), question.id
    assert box.locator(".kq-show").is_visible(), question.id
    if question.type in ("single", "multiple", "truefalse"):
        assert box.locator(".kq-f").first.is_visible()
        labels = box.evaluate("b => [...b.querySelectorAll('.kq-f')].map(f => f.dataset.label)")
        assert not any(label.startswith("✓ The correct") or label.startswith("✓ Correct, not")
                       for label in labels), f"{question.id}: {labels}"

    retry = box.locator(".kq-retry")
    retry.press("Enter") if keyboard else retry.click()
    assert not box.locator(".kq-x").is_visible()

    (answer(page, box, question, chosen["right"]) if keyboard
     else choose_with_mouse(box, question, chosen["right"]))
    assert result_text(box).startswith("✓"), f"{question.id}: {result_text(box)!r}"


def exercise_page(page, url: str, known: dict, keyboard: bool) -> int:
    page.goto(url)
    page.wait_for_selector(".kq[data-ready]")
    # the final assessment gives no feedback until Submit: tests/test_final_browser.py
    ids = page.locator(".kq:not([data-final]) .kq-q").evaluate_all(
        "qs => qs.map(q => q.id.slice(3))")
    for question_id in ids:
        box = page.locator(f"#kq-{question_id}")
        assert box.is_visible(), f"{question_id} should be revealed by now"
        exercise_question(page, box, known[question_id], keyboard)
    return len(ids)


# --- the tests --------------------------------------------------------------------------------

@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_every_item_type_in_the_fixture_book(page, sample_book, keyboard):
    from .conftest import FIXTURE_COURSE

    watch = PageWatch(page, sample_book)
    count = exercise_page(page, f"{sample_book}/notebooks/01_sample.html",
                          questions_by_id(FIXTURE_COURSE), keyboard)
    assert count == 7
    score = page.locator(".kq-sc").first.inner_text()
    assert "Lesson score: 7 of 7" in score
    assert watch.errors == [] and watch.external == []


def test_progress_survives_a_reload(page, sample_book):
    page.goto(f"{sample_book}/notebooks/01_sample.html")
    box = page.locator("#kq-fx-single")
    option_input(box, SAMPLE["fx-single"], 0).click()
    box.locator(".kq-check").click()
    page.reload()
    page.wait_for_selector(".kq[data-ready]")
    assert option_input(box, SAMPLE["fx-single"], 0).is_checked()
    assert "your saved answer" in result_text(box)
    assert "Lesson score: 1 of 7" in page.locator(".kq-sc").first.inner_text()
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('kapcourse:progress'))")
    assert stored["items"]["fx-single"]["correct"] is True


def test_corrupt_browser_progress_is_kept_and_replaced(page, sample_book):
    page.goto(f"{sample_book}/notebooks/01_sample.html")
    page.evaluate("() => localStorage.setItem('kapcourse:progress', '{oops')")
    page.reload()
    page.wait_for_selector(".kq[data-ready]")
    assert "unreadable" in page.locator(".kq-sc").first.inner_text()
    keys = page.evaluate("() => Object.keys(localStorage)")
    backup = [k for k in keys if k.startswith("kapcourse:progress:corrupt:")]
    assert backup and page.evaluate(f"() => localStorage.getItem({backup[0]!r})") == "{oops"


def test_page_specific_scripts_load_only_on_their_pages(real_book):
    for path in BUILT.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(BUILT).as_posix()
        progress_pages = ("book/progress.html", "notebooks/09_case_studies.html",  # + the final
                          "book/what_changed.html",  # this learner's changed answers
                          "book/pretest.html")  # the final's review rows
        pretest_pages = ("book/progress.html", "book/pretest.html")  # comparison, export
        assert ("kappretest.js" in html) == (name in pretest_pages), name
        assert ("kapprogress.js" in html) == (name in progress_pages), name
        evaluation_pages = ("book/progress.html", "book/evaluation.html")  # form; export, record
        # spaced review: its page, and the due count on the landing page and My progress
        review_pages = ("book/review.html", "book/intro.html", "book/progress.html")
        assert ("course.js" in html) == (name in {*progress_pages, *evaluation_pages,
                                                  *review_pages}), name
        assert ("kapreview.js" in html) == (name in review_pages), name
        assert ("ts-fsrs.umd.js" in html) == (name == "book/review.html"), name
        assert ("kapeval.js" in html) == (name in evaluation_pages), name
        assert ("kapreadiness.js" in html) == (name == "notebooks/07_practice.html"), name
        # the quiz runtime where a quiz or a page reading the whole record uses it, only there
        quiz_pages = {*progress_pages, *evaluation_pages, *review_pages, *pretest_pages}
        assert ("kapquiz.js" in html) == ('class="kq"' in html or name in quiz_pages), name
        assert ("kapquiz.css" in html) == ("kapquiz.js" in html), name
        # a lesson page loads one data script; a page reading the whole record, the course's
        banks = set(re.findall(r'class="kq" data-bank="([^"]+)"', html))
        lesson_page = len(banks) == 1 and name not in quiz_pages
        assert ("kapquiz-data/lesson-" in html) == lesson_page, name
        course_data = (bool(banks) or name in quiz_pages) and not lesson_page
        assert ("kapquiz-data/shared.js" in html) == course_data, name


# Two faint paragraphs, a faint one inside a box, and an image with no text alternative.
FAULTY_PAGE = ('<!DOCTYPE html><html lang="en"><head><title>Faulty</title></head><body><main>'
               '<h1>Faulty</h1><p style="color:#bbb">one</p><p style="color:#bbb">two</p>'
               '<div class="box"><p style="color:#ccc">three</p><img src="data:,"></div>'
               '</main></body></html>')


@pytest.mark.parametrize("helper", [run_axe, run_axe_all_rules], ids=lambda h: h.__name__)
def test_the_axe_helpers_report_every_node_of_a_violation(page, helper):
    """The helpers keep only violations (AXE_OPTIONS' resultTypes): each still lists all its
    nodes, and a selector limits the check to what it matches."""
    page.set_content(FAULTY_PAGE)
    found = {v["id"]: [node["target"] for node in v["nodes"]] for v in helper(page)}
    assert found.keys() >= {"color-contrast", "image-alt"}, found
    assert len(found["color-contrast"]) == 3
    within = {v["id"]: len(v["nodes"]) for v in helper(page, ".box")}
    assert within["color-contrast"] == 1 and within["image-alt"] == 1, within


def test_quizzes_in_dark_mode_pass_axe(page, sample_book):
    page.goto(f"{sample_book}/notebooks/01_sample.html")
    page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")
    box = page.locator("#kq-fx-single")
    option_input(box, SAMPLE["fx-single"], 1).click()
    box.locator(".kq-check").click()
    box.locator(".kq-show").click()  # show feedback and explanation too
    assert [v["id"] for v in run_axe(page, ".kq")] == []


def test_progress_record_and_final_in_dark_mode_pass_axe(browser, real_book, tmp_path):
    from .course_data import everything_right

    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    complete = tmp_path / "complete.json"
    complete.write_text(json.dumps(everything_right(ROOT)))
    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    page.set_input_files(".kp-file", str(complete))
    page.click(".kp-import")
    page.wait_for_selector(".kp-record")  # the completion controls are on the page
    found = [v["id"] for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    page.goto(f"{real_book}/notebooks/09_case_studies.html")
    page.wait_for_selector("#kf-final[data-ready]")
    found += [v["id"] for v in run_axe(page, ".kf-intro, .kq, #kf-final")]
    context.close()
    assert found == []


def test_phone_width_has_no_horizontal_overflow(browser, sample_book):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{sample_book}/notebooks/01_sample.html")
    page.wait_for_selector(".kq[data-ready]")
    overflow = page.evaluate("() => [...document.querySelectorAll('.kq-q')]"
                             ".filter(q => q.scrollWidth > q.clientWidth + 1).map(q => q.id)")
    context.close()
    assert overflow == []


def test_progress_and_final_fit_a_phone(browser, real_book):
    """At 375 px nothing on My progress or the final assessment sticks out of the page; the
    wide results table scrolls inside its own region."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for path, ready in (("book/progress.html", "#kp-progress[data-ready]"),
                        ("notebooks/09_case_studies.html", "#kf-final[data-ready]")):
        page.goto(f"{real_book}/{path}")
        page.wait_for_selector(ready)
        sticking_out = page.evaluate(
            "() => [...document.querySelectorAll('.kp > *, .kf *, .kf-intro, .kq-q')]"
            ".filter(e => !e.closest('.kp-scroll') && e.getBoundingClientRect().right >"
            " document.documentElement.clientWidth + 1).map(e => e.tagName + '.' + e.className)")
        assert sticking_out == [], path
    context.close()


def test_print_shows_questions_not_answers(page, sample_book):
    page.goto(f"{sample_book}/notebooks/01_sample.html")
    page.wait_for_selector(".kq[data-ready]")
    box = page.locator("#kq-fx-single")
    option_input(box, SAMPLE["fx-single"], 1).click()
    box.locator(".kq-check").click()
    box.locator(".kq-show").click()  # the key and the explanation too
    assert box.locator(".kq-f").first.is_visible() and box.locator(".kq-x").is_visible()
    page.emulate_media(media="print")
    assert page.locator("#kq-fx-single-p").is_visible()
    assert page.locator("#kq-fx-case-b").is_visible()  # later case steps print too
    assert not box.locator(".kq-check").is_visible()
    assert not box.locator(".kq-f").first.is_visible()  # answers never print
    assert not box.locator(".kq-x").is_visible()


def test_options_are_not_shown_in_bank_order(page, real_book):
    """Authors tend to write the right answer first: the page must not show it first."""
    known = questions_by_id(ROOT)
    first_is_correct, total = 0, 0
    for lesson in lesson_pages(ROOT):
        page.goto(f"{real_book}/{lesson}")
        for question_id in page.locator(".kq-q").evaluate_all("qs => qs.map(q => q.id.slice(3))"):
            question = known[question_id]
            if question.type == "single":
                first = shown_order(page.locator(f"#kq-{question_id}"), question)[0]
                first_is_correct += question.options[first].correct
                total += 1
    assert total and first_is_correct / total < 0.5, (first_is_correct, total)


def test_feedback_is_announced_to_screen_readers(page, sample_book):
    page.goto(f"{sample_book}/notebooks/01_sample.html")
    status = page.locator("#kq-fx-single .kq-r")
    assert status.get_attribute("aria-live") == "polite"
    assert status.get_attribute("role") == "status"


def test_progress_page_in_the_book_end_to_end(page, real_book, tmp_path):
    """Answer on two lesson pages, check the page, export, clear, import, check again."""
    for lesson, question in (("01_what_is_ketamine", "l01-racemate"), ("02_uses", None)):
        page.goto(f"{real_book}/notebooks/{lesson}.html")
        page.wait_for_selector(".kq[data-ready]")
        box = page.locator(f"#kq-{question}") if question else page.locator(".kq-q").first
        box.locator("input").first.check()
        box.locator(".kq-check").click()
    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    table = page.locator(".kp-table").first.inner_text()
    assert table.count("1 of ") >= 2  # one question attempted in each of two lessons
    with page.expect_download() as download:
        page.click(".kp-json")
    saved = tmp_path / "export.json"
    download.value.save_as(saved)
    exported = json.loads(saved.read_text())
    assert exported["format"] == "kapcourse-results" and exported["learner"] is None
    page.fill(".kp-name", "Sam")
    with page.expect_download() as named:
        page.click(".kp-json")
    named_file = tmp_path / "named.json"
    named.value.save_as(named_file)
    assert json.loads(named_file.read_text())["learner"] == "Sam"
    assert len(exported["items"]) == 2

    bad = tmp_path / "bad.csv"
    bad.write_text("name,score\nsam,3\n")
    page.set_input_files(".kp-file", str(bad))
    page.click(".kp-import")
    page.wait_for_function("() => document.querySelector('.kp-status').textContent.length > 0")
    assert "Not imported" in page.locator(".kp-status").inner_text()

    page.evaluate("() => localStorage.clear()")
    page.reload()
    page.wait_for_selector("#kp-progress[data-ready]")
    assert page.locator(".kp-table").first.inner_text().count("1 of ") == 0
    import_progress_file(page, saved)
    assert page.locator(".kp-table").first.inner_text().count("1 of ") >= 2
    assert page.locator(".kp-chart .kp-row").count() == len(lesson_pages(ROOT))


def test_final_assessment_and_completion_record_in_the_book(page, real_book, tmp_path):
    """The final assessment gives no feedback before Submit; the record is refused until the
    criteria are met, then printed by the browser (which makes the PDF) and saved as HTML,
    both the kernel's record_html for the same record."""
    from kapcourse import __version__

    from .course_data import everything_right
    from .test_record_browser import RECORD_PRINTS, check_record

    watch = PageWatch(page, real_book)
    page.add_init_script(RECORD_PRINTS)  # print() is recorded, not run
    final = read_course(ROOT).final
    total = len(final.drawn(1))
    page.goto(f"{real_book}/notebooks/{final.host}.html")
    page.wait_for_selector("#kf-final[data-ready]")
    assert f"Pass mark: {final.pass_mark}%" in page.locator(".kf-intro").inner_text()
    result = page.locator("#kf-final .kf-result")
    assert f"Attempt 1: 0 of {total} questions answered" in result.inner_text()
    first = final.drawn(1)[0]
    box = page.locator(f"#kq-{first.id}")
    assert box.locator(".kq-check").count() == 0  # no Check button: no feedback until Submit
    for index in answers(first)["wrong"]:
        option_input(box, first, index).click()
    box.locator('.kf-conf input[value="guessing"]').check()
    assert f"Attempt 1: 1 of {total} questions answered" in result.inner_text()
    assert "✗" not in box.inner_text() and not box.locator(".kq-x").is_visible()
    assert run_axe(page, ".kf-intro, #kf-final") == []
    lesson_box = page.locator(f'.kq[data-bank="{final.host}"] .kq-q').first
    lesson_question = questions_by_id(ROOT)[lesson_box.get_attribute("id")[3:]]
    choose_with_mouse(lesson_box, lesson_question, answers(lesson_question)["right"])
    assert page.locator(".kf-new").is_hidden()  # a new attempt comes after Submit

    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    assert "Not available yet" in page.locator("#kp-progress").inner_text()
    assert f"attempt 1, 1 of {total} questions answered and rated; then submit" in \
        page.locator("#kp-progress").inner_text()
    assert page.locator(".kp-record").count() == 0  # nothing to press before the criteria

    page.evaluate("() => localStorage.clear()")  # another learner: everything right, submitted
    page.reload()
    page.wait_for_selector("#kp-progress[data-ready]")
    complete = tmp_path / "complete.json"
    complete.write_text(json.dumps(everything_right(ROOT)))
    import_progress_file(page, complete)
    assert "All criteria met" in page.locator("#kp-progress").inner_text()
    assert run_axe(page, "#kp-progress") == []
    page.click('.kp-record[data-kind="print"]')
    assert "Type your name" in page.locator(".kp-record-status").inner_text()

    for name in ("Ada  Lovelace", "Łucja Šťastná", "Žofia Œuvre", "François †"):
        check_record(page, name, tmp_path)  # printed and saved: the kernel's record, exactly
    record_page = (tmp_path / "record.html").read_text()  # the last one saved
    assert "Name: François †" in record_page and "self-attested record" in record_page
    assert f"Course version: {__version__}" in record_page and "<script" not in record_page
    assert (f"Final assessment (attempt 1; pass mark {final.pass_mark}% and every safety "
            f"question right): {total} of {total}") in record_page
    assert watch.errors == [] and watch.external == []


def test_every_import_problem_is_explained_in_the_book(page, real_book, tmp_path):
    """The book's importer gives the kernel's reasons and leaves saved progress alone."""
    import re

    from .test_progress_page import IMPORT_PROBLEMS

    page.goto(f"{real_book}/notebooks/01_what_is_ketamine.html")
    page.wait_for_selector(".kq[data-ready]")
    box = page.locator("#kq-l01-racemate")
    box.locator("input").first.check()
    box.locator(".kq-check").click()
    page.goto(f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    before = page.evaluate("() => localStorage.getItem('kapcourse:progress')")
    for number, (text, reason) in enumerate(IMPORT_PROBLEMS):
        text = text.replace("fx-single", "l01-racemate").replace("01_sample", "01_what_is_ketamine")
        suffix = ".csv" if text.startswith(("name", "lesson")) else ".json"
        upload = tmp_path / f"problem-{number}{suffix}"
        upload.write_text(text)
        page.evaluate("() => { document.querySelector('.kp-status').textContent = ''; }")
        page.set_input_files(".kp-file", str(upload))
        page.click(".kp-import")
        page.wait_for_function("() => document.querySelector('.kp-status').textContent")
        message = page.locator(".kp-status").inner_text()
        assert message.startswith("Not imported:") and re.search(reason, message), message
        assert "has not been changed" in message
        assert page.evaluate("() => localStorage.getItem('kapcourse:progress')") == before
