"""A learner's way through the built book, in headless Chromium (kapnav.js, sphinx_nav.py).

- "Continue where you left off" on the front page and My progress leads back to the lesson and
  section read last; what is stored is checked when read and shown as text.
- The lesson list in the sidebar marks each lesson done, in progress or not started, in words.
- A glossary term shows its definition on hover and on tap, without leaving the lesson, and
  the page stays free of axe violations while it shows.
- An answered question prints without its answer colours and ticks; the download menu names
  the notebook for what it is.
- Course buttons look alike; one search box.
"""

from __future__ import annotations

import json

import pytest

from kapcourse.bank.course import load_glossary
from kapcourse.bank.model import load_bank
from kapcourse.book.sphinx_nav import toc_lessons
from kapcourse.record.summary import PROGRESS_FORMAT, course_structure

from .browser import answers, run_axe_all_rules
from .conftest import ROOT

pytestmark = pytest.mark.browser

LESSON = "notebooks/04_disorders.html"
VISIT_KEY = "kapcourse:last-visit"


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


def store(page, key: str, value) -> None:
    page.evaluate("([k, v]) => localStorage.setItem(k, v)",
                  [key, value if isinstance(value, str) else json.dumps(value)])


def test_continue_where_you_left_off(page, real_book):
    open_page(page, f"{real_book}/book/intro.html")
    assert page.locator(".kn-continue").is_hidden()  # nothing read yet: nothing offered
    open_page(page, f"{real_book}/{LESSON}")
    section, heading = page.evaluate("""() => {
        const s = document.querySelectorAll('article section[id] > h2')[2].parentElement;
        s.scrollIntoView(); return [s.id, s.querySelector('h2').firstChild.textContent]; }""")
    page.wait_for_timeout(800)  # the position is saved at most twice a second while scrolling
    open_page(page, f"{real_book}/book/intro.html")
    link = page.locator(".kn-continue a")
    assert link.is_visible()
    assert link.get_attribute("href").endswith(f"{LESSON}#{section}")
    title = load_bank(ROOT / "quizzes" / "04_disorders.yml").title
    assert link.inner_text() == f"{title} — {heading.strip()}"
    link.click()
    page.wait_for_url(f"**/{LESSON}#{section}")
    open_page(page, f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    on_progress = page.locator(".kn-continue a")
    assert on_progress.get_attribute("href").endswith(f"{LESSON}#{section}")


def visit(page, section="", title=""):
    return json.dumps({"page": page, "section": section, "sectionTitle": title})


@pytest.mark.parametrize("stored", [
    visit("javascript:alert(1)"),
    visit("https://example.org/notebooks/04_disorders.html"),
    visit(LESSON, section='x" onclick="alert(1)'),
    visit("notebooks/99_missing.html"),
    visit(LESSON, section="a", title=7),
    "not json", "[]", "null",
])
def test_a_bad_stored_visit_offers_nothing(page, real_book, stored):
    open_page(page, f"{real_book}/book/intro.html")
    store(page, VISIT_KEY, stored)
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator(".kn-continue").is_hidden()
    assert page.locator(".kn-continue a").count() == 0


def test_a_stored_section_title_is_shown_as_text(page, real_book):
    open_page(page, f"{real_book}/book/intro.html")
    store(page, VISIT_KEY, {"page": LESSON, "section": "evidence",
                            "sectionTitle": '<img src=x onerror="window.hit=1">Evidence'})
    page.reload()
    page.wait_for_load_state("load")
    link = page.locator(".kn-continue a")
    assert '<img src=x onerror="window.hit=1">Evidence' in link.inner_text()
    assert page.locator(".kn-continue img").count() == 0
    assert page.evaluate("() => window.hit") is None


def sidebar_link(page, doc: str):
    name = doc.split("/")[-1]
    return page.locator(f'.bd-sidebar-primary nav a.reference.internal[href$="{name}.html"]')


def test_the_sidebar_marks_each_lessons_progress_in_words(page, real_book):
    lessons = {lesson.stem: lesson for lesson in course_structure(ROOT)}
    docs = toc_lessons(ROOT)
    first, second = (lessons[doc.split("/")[-1]] for doc in docs[:2])
    answered = {q: {"bank": first.stem, "attempts": 1, "first_correct": True, "correct": True}
                for q in first.questions}
    answered[second.questions[0]] = {"bank": second.stem, "attempts": 1,
                                     "first_correct": False, "correct": False}
    open_page(page, f"{real_book}/book/intro.html")
    store(page, "kapcourse:progress", {"format": PROGRESS_FORMAT, "version": 1, "items": answered})
    open_page(page, f"{real_book}/book/safety.html")
    assert sidebar_link(page, docs[0]).locator(".kn-mark").inner_text().strip() == "✓ done"
    in_progress = sidebar_link(page, docs[1]).locator(".kn-mark").inner_text().strip()
    assert in_progress == f"◐ in progress (1 of {len(second.questions)})"
    not_started = sidebar_link(page, docs[2]).locator(".kn-mark")
    assert "not started" in not_started.text_content()  # read out, not shown: no clutter
    assert not_started.locator(".kn-sr").count() == 1
    assert page.locator(".bd-sidebar-primary .kn-mark").count() == len(docs)


def test_the_sidebar_marks_nothing_from_unreadable_progress(page, real_book):
    open_page(page, f"{real_book}/book/intro.html")
    store(page, "kapcourse:progress", '{"format": "something-else", "items": {"l01-racemate": {}}}')
    page.reload()
    page.wait_for_load_state("load")
    marks = page.locator(".bd-sidebar-primary .kn-mark")
    assert marks.count() == len(toc_lessons(ROOT))
    assert all("not started" in m for m in marks.all_text_contents())


def glossary_definitions() -> dict[str, str]:
    entries = load_glossary(ROOT / "book" / "glossary.yml")
    return {" ".join(e["term"].split()).lower(): e["definition"] for e in entries}


def first_term(page):
    term = page.locator("article a:has(.std-term)").first
    term.scroll_into_view_if_needed()
    return term


def tip_text(page) -> str:
    page.wait_for_selector(".tippy-box", state="visible", timeout=3000)
    return page.locator(".tippy-box").inner_text()


def test_a_glossary_term_shows_its_definition_on_hover(page, real_book):
    open_page(page, f"{real_book}/notebooks/01_what_is_ketamine.html")
    term = first_term(page)
    target = term.get_attribute("href").split("#term-")[1]
    term.hover()
    text = tip_text(page)
    definitions = glossary_definitions()
    shown = [d for d in definitions.values() if d in text]
    assert shown, f"no glossary definition in the tip {text!r} (term {target})"
    assert page.url.endswith("01_what_is_ketamine.html")
    assert page.locator("main .tippy-box").count() == 1  # inside a landmark


def test_a_glossary_term_shows_its_definition_on_keyboard_focus_and_axe_stays_clean(
        page, real_book):
    open_page(page, f"{real_book}/notebooks/01_what_is_ketamine.html")
    term = first_term(page)
    term.focus()
    assert any(d in tip_text(page) for d in glossary_definitions().values())
    tip_id = page.locator("main .tippy-box").first.evaluate("b => b.parentElement.id")
    assert term.get_attribute("aria-describedby") == tip_id  # read out with the term
    page.wait_for_timeout(500)  # the tip has faded in
    # (Hovering instead would also check the theme's hover colour for links, an orange that
    # axe rates 2.45:1 and that the theme shows on every link, not only on glossary terms.)
    assert run_axe_all_rules(page) == []


def test_a_glossary_term_shows_its_definition_on_tap(browser, real_book):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    try:
        open_page(page, f"{real_book}/notebooks/01_what_is_ketamine.html")
        term = first_term(page)
        term.tap()
        assert any(d in tip_text(page) for d in glossary_definitions().values())
        page.wait_for_timeout(300)
        assert page.url.endswith("01_what_is_ketamine.html")  # still in the lesson
        term.tap()  # a second tap follows the link
        page.wait_for_url("**/book/glossary.html#term-*")
    finally:
        context.close()


def test_an_answered_question_prints_without_its_answer(page, real_book):
    from kapcourse.bank.model import load_bank as bank_of

    question = bank_of(ROOT / "quizzes" / "01_what_is_ketamine.yml").questions[0]
    open_page(page, f"{real_book}/notebooks/01_what_is_ketamine.html")
    page.wait_for_selector(".kq[data-ready]")
    box = page.locator(f"#kq-{question.id}")
    for index in answers(question)["wrong"]:
        box.locator(".kq-o input").nth(index).check()
    box.locator(".kq-check").click()
    box.locator(".kq-bad").first.wait_for()
    page.emulate_media(media="print")
    style = page.evaluate("""(id) => {
        const box = document.getElementById('kq-' + id);
        const marked = Array.from(box.querySelectorAll('.kq-ok, .kq-bad'));
        const ticked = box.querySelector('.kq-o input:checked');
        const tick = getComputedStyle(ticked);
        return {borders: marked.map(li => getComputedStyle(li).borderLeftColor),
                appearance: tick.appearance, feedback: Array.from(box.querySelectorAll('.kq-f'))
                  .filter(f => getComputedStyle(f).display !== 'none').length};
    }""", question.id)
    assert style["borders"] and set(style["borders"]) == {"rgba(0, 0, 0, 0)"}
    assert style["appearance"] == "none"  # a ticked option prints as an empty outline
    assert style["feedback"] == 0


def test_the_download_menu_names_the_notebook(page, real_book):
    open_page(page, f"{real_book}/notebooks/01_what_is_ketamine.html")
    labels = page.locator(".dropdown-download-buttons a[href$='.ipynb']").all_text_contents()
    assert [t.strip() for t in labels] == ["Download notebook (.ipynb)"]


def test_course_buttons_look_alike(page, real_book):
    open_page(page, f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    looks = page.evaluate("""() => Array.from(document.querySelectorAll('.kp button'))
        .map(b => { const s = getComputedStyle(b);
                    return [s.borderTopStyle, s.borderTopColor, s.borderRadius, s.backgroundColor]
                      .join(' '); })""")
    assert len(looks) >= 3 and len(set(looks)) == 1
    assert "solid" in looks[0] and "4px" in looks[0]


def test_one_search_box(page, real_book):
    open_page(page, f"{real_book}/notebooks/01_what_is_ketamine.html")
    boxes = page.locator(".search-button-field, .search-button__button").locator("visible=true")
    assert boxes.count() == 1


def test_progress_bars_carry_their_numbers(page, real_book):
    open_page(page, f"{real_book}/book/progress.html")
    page.wait_for_selector("#kp-progress[data-ready]")
    first = course_structure(ROOT)[0]
    assert page.locator(".kp-row .kp-num").first.inner_text() == \
        f"0 of {len(first.questions)} · 0 first-try right"
    assert f"0 of {len(first.questions)}" in page.locator(".kp-table tr").nth(1).inner_text()
