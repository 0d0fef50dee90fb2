"""The practice readiness self-assessment in the built book (headless Chromium): answered with
mouse and keyboard, the advice matches the Python logic, answers survive a reload, axe is
clean, it works at 375 px and prints; the printable guide is standalone and its links resolve."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from kapcourse.bank.course import bibliography
from kapcourse.content.readiness import load_guide, summary

from .browser import PageWatch, run_axe
from .conftest import BUILT, ROOT

pytestmark = pytest.mark.browser
LESSON = "notebooks/07_practice.html"
GUIDE_FILE = "readiness-guide.html"
ANSWERS = {"profession": "therapist", "offer": "alongside", "setting": "home",
           "partners": ["prescriber", "emergency"], "insurance": "unasked"}


@pytest.fixture(scope="module")
def book(real_book):
    return real_book


@pytest.fixture(scope="module")
def built(real_book) -> Path:
    """The built book's folder (real_book builds it first when it is missing)."""
    return BUILT


@pytest.fixture(scope="module")
def guide():
    return load_guide(root=ROOT, citations=set(bibliography(ROOT)))


def open_lesson(page, book: str) -> None:
    page.goto(f"{book}/{LESSON}")
    page.wait_for_selector(".kr[data-ready]")


def answer_with_mouse(page, answers: dict) -> None:
    for question, answer in answers.items():
        for option in [answer] if isinstance(answer, str) else answer:
            page.locator(f'label[for="kr-{question}-{option}"]').click()
    page.locator(".kr-show").click()


def answer_with_keyboard(page, guide, answers: dict) -> None:
    keys = page.keyboard
    for question, answer in answers.items():
        options = [o.id for o in guide.question(question).options]
        if isinstance(answer, str):  # a radio group: Space picks the first, arrows move on
            page.locator(f"#kr-{question}-{options[0]}").focus()
            keys.press("Space")
            for _ in range(options.index(answer)):
                keys.press("ArrowDown")
        else:
            for option in answer:
                page.locator(f"#kr-{question}-{option}").focus()
                keys.press("Space")
    page.locator(".kr-show").focus()
    keys.press("Enter")


def shown_advice(page) -> list[str]:
    return page.locator(".kr-level li[data-id]:visible").evaluate_all(
        "lis => lis.map(li => li.dataset.id)")


def expected(guide, answers: dict) -> tuple[list[str], str]:
    steps = guide.next_steps(answers)
    return [s.id for s in steps], summary(guide, steps, len(guide.unanswered(answers)))


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_answers_in_the_book_give_the_python_advice(page, book, guide, keyboard):
    watch = PageWatch(page, book)
    open_lesson(page, book)
    if keyboard:
        answer_with_keyboard(page, guide, ANSWERS)
    else:
        answer_with_mouse(page, ANSWERS)
    advice, status = expected(guide, ANSWERS)
    assert shown_advice(page) == advice
    assert page.locator(".kr-status").inner_text() == status
    assert page.evaluate("() => document.activeElement.id") == "kr-result-h"
    first = page.locator('.kr-level[data-level="1"] h4')
    assert first.is_visible() and first.inner_text() == guide.priorities[0].label
    assert watch.errors == [] and watch.external == []


def test_changing_an_answer_updates_the_list(page, book, guide):
    open_lesson(page, book)
    answer_with_mouse(page, {"emergency-plan": "none"})
    assert "emergency-write" in shown_advice(page)
    page.locator('label[for="kr-emergency-plan-rehearsed"]').click()
    changed = shown_advice(page)
    assert "emergency-write" not in changed and "emergency-review" in changed
    assert changed == expected(guide, {"emergency-plan": "rehearsed"})[0]


def test_answers_survive_a_reload_and_can_be_cleared(page, book, guide):
    open_lesson(page, book)
    answer_with_mouse(page, ANSWERS)
    page.reload()
    page.wait_for_selector(".kr[data-ready]")
    assert page.locator("#kr-profession-therapist").is_checked()
    assert page.locator("#kr-partners-emergency").is_checked()
    assert shown_advice(page) == expected(guide, ANSWERS)[0]
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('kapcourse:readiness'))")
    assert stored["answers"]["setting"] == "home" and stored["shown"] is True
    page.locator(".kr-clear").click()
    assert page.evaluate("() => localStorage.getItem('kapcourse:readiness')") is None
    assert not page.locator(".kr-result").is_visible()
    assert page.locator(".kr-q input:checked").count() == 0


def test_a_corrupt_record_is_ignored(page, book):
    open_lesson(page, book)
    page.evaluate("() => localStorage.setItem('kapcourse:readiness', '{oops')")
    watch = PageWatch(page, book)
    page.reload()
    page.wait_for_selector(".kr[data-ready]")
    assert page.locator(".kr-q input:checked").count() == 0
    assert watch.errors == []


def test_results_are_announced_to_screen_readers(page, book):
    open_lesson(page, book)
    status = page.locator(".kr-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    legends = page.locator(".kr-q legend").count()
    assert legends == page.locator(".kr-q").count() == 10


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_is_clean_on_the_self_assessment(page, book, theme):
    open_lesson(page, book)
    page.evaluate(f"() => {{ document.documentElement.dataset.theme = '{theme}'; }}")
    answer_with_mouse(page, ANSWERS)  # check the results too
    assert [v["id"] for v in run_axe(page, ".kr")] == []
    serious = [v["id"] for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_phone_width_has_no_horizontal_overflow(browser, book):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    open_lesson(page, book)
    answer_with_mouse(page, ANSWERS)
    overflow = page.evaluate("() => [...document.querySelectorAll('.kr, .kr-q, .kr-level')]"
                             ".filter(e => e.scrollWidth > e.clientWidth + 1)"
                             ".map(e => e.id || e.className)")
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert overflow == [] and wide <= 375


def test_print_shows_the_questions_not_the_buttons(page, book):
    open_lesson(page, book)
    page.emulate_media(media="print")
    assert page.locator("#kr-q-profession legend").is_visible()
    assert page.locator("#kr-q-access").is_visible()
    assert not page.locator(".kr-show").is_visible()


def anchors(path: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))


def assert_links_resolve(built: Path, page_path: str, hrefs: list[str]) -> int:
    checked = 0
    for href in hrefs:
        url = urlparse(urljoin(f"http://book/{page_path}", unescape(href)))
        if url.netloc != "book":
            continue  # sources: DOIs and official pages, not fetched in tests
        target = built / url.path.lstrip("/")
        assert target.is_file(), f"{page_path}: {href} -> missing {target}"
        if url.fragment:
            assert url.fragment in anchors(target), f"{page_path}: no #{url.fragment} in {target}"
        checked += 1
    return checked


def test_every_advice_link_in_the_book_resolves(built, guide):
    html = (built / LESSON).read_text(encoding="utf-8")
    hrefs = re.findall(r'class="kr-more" href="([^"]+)"', html)
    assert len(hrefs) == len(guide.advice)
    assert assert_links_resolve(built, LESSON, hrefs) == len(guide.advice)
    assert assert_links_resolve(built, LESSON, ["../readiness-guide.html"]) == 1


def test_the_printable_guide_is_standalone_and_accessible(page, book, built, guide):
    html = (built / GUIDE_FILE).read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert assert_links_resolve(built, GUIDE_FILE, hrefs) >= len(guide.advice)
    watch = PageWatch(page, book)
    page.goto(f"{book}/{GUIDE_FILE}")
    page.wait_for_load_state("load")
    assert [v["id"] for v in run_axe(page)] == []
    page.emulate_media(media="print")
    assert page.locator("h1").is_visible()
    assert watch.errors == [] and watch.external == [] and watch.not_found == []
