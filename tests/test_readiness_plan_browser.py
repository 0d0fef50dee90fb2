"""The learner's plan on its own, in headless Chromium: "Print or save my plan" prints only the
plan, "Save as a web page" downloads it, and the book's real _static/kapreadiness.js writes the
same plan text as readiness.plan_html() (what JupyterLab's "Save my plan" writes).

No book build: a small page holds the lesson's real markup (render_static), the shipped script
and style sheet, some page chrome around them, and the course's script-src 'self' policy."""

from __future__ import annotations

import datetime as dt
import shutil
from html import escape

import pytest

from kapcourse.content.readiness import plan_html, printable_html, render_static

from .browser import AXE, PageWatch, run_axe, serve
from .conftest import ROOT

pytestmark = pytest.mark.browser
LESSON = "notebooks/07_practice.html"
TODAY_JS = "new Date(2026, 11, 1)"
TODAY = dt.date(2026, 12, 1)
ANSWER_SETS = [
    {"profession": "therapist", "offer": "alongside", "setting": "home",
     "partners": ["prescriber", "emergency"], "insurance": "unasked"},
    {"profession": "nurse", "emergency-plan": "written", "protocols": ["screening"]},
    {"profession": "prescriber", "offer": "full", "setting": "clinic",
     "partners": ["monitor", "emergency", "crisis", "sharing"], "emergency-plan": "rehearsed",
     "protocols": ["screening", "consent", "controlled", "pdmp"], "training": "supervised",
     "supervision": "in-place", "insurance": "confirmed", "access": ["costs", "culture"]},
]
RECORD_PRINT = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


@pytest.fixture(scope="module")
def site(tmp_path_factory, guide, references):
    """A lesson page with the real markup, script and styles, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("plan-site")
    (folder / "_static").mkdir()
    for name in ("kapreadiness.js", "kapreadiness.css"):
        shutil.copy(ROOT / "_static" / name, folder / "_static" / name)
    (folder / "notebooks").mkdir()
    (folder / LESSON).write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\">"
        "<title>7. Building a practice</title>"
        '<link rel="stylesheet" href="../_static/kapreadiness.css"></head><body>'
        '<header class="site-header"><a href="../index.html">Course home</a></header>'
        '<nav class="sidebar" aria-label="Lessons"><a href="01_intro.html">Lesson 1</a></nav>'
        f'<main><h1>7. Building a practice</h1>{render_static(guide, references)}'
        "<p class=\"after\">The lesson goes on.</p></main>"
        '<script src="../_static/kapreadiness.js"></script></body></html>', encoding="utf-8")
    with serve(folder) as url:
        yield url


def open_lesson(page, site: str) -> None:
    page.goto(f"{site}/{LESSON}")
    page.wait_for_selector(".kr[data-ready]")


def answer(page, answers: dict) -> None:
    for question, chosen in answers.items():
        for option in [chosen] if isinstance(chosen, str) else chosen:
            page.locator(f'label[for="kr-{question}-{option}"]').click()
    page.locator(".kr-show").click()


def visible_text(page, html: str) -> str:
    """The text a reader sees in a plan document, rendered by the same browser."""
    page.set_content(html)
    return page.evaluate("() => document.body.innerText")


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=["therapist", "nurse", "prescriber"])
def test_the_book_and_python_write_the_same_plan(page, site, guide, references, answers):
    open_lesson(page, site)
    answer(page, answers)
    from_book = page.evaluate(f"() => kapreadiness.planText(document.querySelector('.kr'), "
                              f"{TODAY_JS})")
    from_python = plan_html(guide, references, answers, TODAY, where="lesson",
                            base=f"{site}/notebooks/")
    assert "<script" not in from_book.lower()
    seen_book, seen_python = visible_text(page, from_book), visible_text(page, from_python)
    assert seen_book == seen_python
    style = "() => document.querySelector('style').textContent"
    page.set_content(from_book)
    css_book = page.evaluate(style)
    page.set_content(from_python)
    assert css_book == page.evaluate(style)
    for step in guide.next_steps(answers):  # every chosen step, with its lesson link as text
        assert f"{site}/notebooks/{step.link.split('/')[1].replace('.ipynb', '.html')}" in seen_book


def test_print_shows_only_the_plan(browser, site, guide):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_PRINT)
    page = context.new_page()
    watch = PageWatch(page, site)
    open_lesson(page, site)
    answers = ANSWER_SETS[0]
    answer(page, answers)
    button = page.get_by_role("button", name="Print or save my plan")
    assert button.is_visible()
    assert not page.locator(".kr-plan-sheet").is_visible()
    button.click()
    assert page.evaluate("() => window.__printed") == 1
    page.emulate_media(media="print")
    sheet = page.locator(".kr-plan-sheet")
    assert sheet.is_visible()
    for hidden in (".site-header", ".sidebar", "main", ".kr-q", ".after"):
        assert not page.locator(hidden).first.is_visible(), hidden
    text = sheet.inner_text()
    assert "My practice readiness plan" in text
    assert "regulatory items as of 1 December 2026" in text
    assert "not medical, legal or regulatory advice" in text
    assert "At home, prescribed after a telehealth visit" in text  # the answers summarised
    for step in guide.next_steps(answers):
        assert step.text[:60] in " ".join(text.split())
    # after printing, the page is the normal page again (printed the usual way: the questions)
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert sheet.count() == 0 and page.locator("#kr-q-profession legend").is_visible()
    assert not page.evaluate("() => document.documentElement.classList.contains('kr-printing')")
    assert watch.errors == [] and watch.external == []
    context.close()


def test_save_downloads_the_plan_as_a_web_page(page, site, guide, tmp_path):
    watch = PageWatch(page, site)
    open_lesson(page, site)
    answers = ANSWER_SETS[1]
    answer(page, answers)
    with page.expect_download() as info:
        page.get_by_role("button", name="Save as a web page").click()
    download = info.value
    assert download.suggested_filename == f"readiness-plan-{dt.date.today().isoformat()}.html"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html.lower()
    text = visible_text(page, html)
    for step in guide.next_steps(answers):
        assert " ".join(step.text.split())[:60] in " ".join(text.split())
    assert "Plan made on " in text and "(regulatory items as of 1 December 2026)" in text
    page.goto(f"{site}/{LESSON}")
    page.wait_for_selector(".kr[data-ready]")
    assert "readiness-plan-" not in page.locator(".kr-status").inner_text()  # fresh page
    assert watch.errors == [] and watch.external == []


def test_text_in_the_markup_stays_text_in_the_plan(page, site):
    open_lesson(page, site)
    answer(page, ANSWER_SETS[0])
    hostile = "<img src=x onerror=alert(1)> & <b>"
    page.evaluate("t => { document.querySelector('.kr-q legend').textContent = t; }", hostile)
    saved = page.evaluate(f"() => kapreadiness.planText(document.querySelector('.kr'), "
                          f"{TODAY_JS})")
    assert escape(hostile, quote=False) in saved and "<img" not in saved


def test_axe_and_target_size_on_the_plan_buttons(browser, site):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    open_lesson(page, site)
    answer(page, ANSWER_SETS[0])
    page.add_script_tag(path=str(AXE))
    target = page.evaluate("async () => { const r = await axe.run("
                           "document.querySelectorAll('.kr-plan-b'), {preload: false, "
                           "runOnly: ['target-size']}); return [r.violations.length, "
                           "r.passes.flatMap(p => p.nodes).length]; }")
    assert target == [0, 2]  # both buttons checked by axe's target-size rule, both pass
    assert [v["id"] for v in run_axe(page, ".kr-plan-b")] == []
    sizes = page.locator(".kr-plan-b button").evaluate_all(
        "bs => bs.map(b => [b.getBoundingClientRect().width, b.getBoundingClientRect().height])")
    context.close()
    assert len(sizes) == 2 and all(w >= 24 and h >= 24 for w, h in sizes)


def test_the_printable_guides_tick_boxes_are_paper_only_and_axe_clean(page, guide, references):
    page.set_content(printable_html(guide, references))
    boxes = page.locator(".box")
    assert boxes.count() == sum(len(q.options) for q in guide.questions)
    assert page.locator("input, [role=checkbox], [role=radio], [tabindex]").count() == 0
    assert set(boxes.all_inner_texts()) == {"○", "☐"}
    assert page.get_by_text("they cannot be clicked").is_visible()
    assert [v["id"] for v in run_axe(page)] == []
