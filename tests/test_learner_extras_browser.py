"""The built book's learner extras (issue #13; learner review findings 9 and 14, link contrast):
figures on a phone, the one-page key-points handouts, and the link hover colour. Needs the built
book (the real_book fixture builds it when it is stale)."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path
from urllib.request import urlopen

import pytest

from kapcourse.bank.model import load_bank
from kapcourse.book.handouts import anchor

from .browser import settle
from .conftest import ROOT

pytestmark = pytest.mark.browser

FIGURE_LESSONS = ["01_what_is_ketamine", "02_uses", "03_duration", "04_disorders", "05_safety",
                  "06_psychedelic_assisted_therapy"]
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


# Lesson 03's simulator is left out: its live SVG chart replaces the fallback picture (below).
FIGURES = """() => [...document.querySelectorAll('.cell_output figure img:not(.kapsim-fallback)')]
.map(img => ({
  src: img.getAttribute('src'), link: img.parentElement.closest('a')?.getAttribute('href'),
  width: img.getBoundingClientRect().width, loaded: img.complete && img.naturalWidth > 0}))"""


@pytest.mark.parametrize("stem", FIGURE_LESSONS)
def test_on_a_phone_each_figure_is_an_svg_that_links_to_its_full_size(phone, real_book, stem):
    phone.goto(f"{real_book}/notebooks/{stem}.html")
    phone.wait_for_load_state("load")
    figures = phone.evaluate(FIGURES)
    assert figures, f"no figure found in lesson {stem}"
    for figure in figures:
        assert figure["src"].endswith(".svg"), figure  # sharp at 2x, text stays text
        assert figure["loaded"], figure
        assert figure["link"] == figure["src"], figure  # a tap opens the full-size picture
        assert 200 < figure["width"] <= 375, figure  # fits the phone, no sideways scrolling
        with urlopen(f"{real_book}/notebooks/{figure['link']}") as response:
            assert response.headers.get_content_type() == "image/svg+xml"


def test_without_javascript_the_simulator_falls_back_to_a_sharp_svg(browser, real_book):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800},
                                  device_scale_factor=2)
    static = context.new_page()
    static.goto(f"{real_book}/notebooks/03_duration.html")
    fallback = static.locator(".kapsim img.kapsim-fallback")
    assert fallback.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert fallback.is_visible() and fallback.bounding_box()["width"] <= 375
    context.close()


def _pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [_plain(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _plain(text: str) -> str:
    """Text to compare: one space between words, ligatures split (NFKC), Sphinx's curly quotes
    straight again."""
    text = unicodedata.normalize("NFKC", text)
    quotes = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")
    return " ".join(text.translate(quotes).split())


def _first_words(markdown: str, count: int = 6) -> str:
    """The first words of some Markdown as they print: roles, links and emphasis unwrapped."""
    text = re.sub(r"\{[\w:-]+\}`([^`<]*)(?:<[^>]*>)?`", r"\1", markdown)  # {term}`x` -> x
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](link) -> text
    return " ".join(_plain(re.sub(r"[*_`]", "", text)).split()[:count])


def _expected(stem: str) -> tuple[list[str], str]:
    """A lesson's objectives (its bank) and the first words of its first key point (notebook)."""
    from kapcourse.bank.course import bibliography
    from kapcourse.book.handouts import key_points

    bank = load_bank(ROOT / "quizzes" / f"{stem}.yml", set(bibliography(ROOT)),
                     f"quizzes/{stem}.yml")
    notebook = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    first_point = key_points(notebook, stem).split("\n- ")[0].lstrip("- ")
    return [o.text for o in bank.objectives], first_point


def test_printing_the_handouts_gives_each_lesson_one_a4_page(page, real_book):
    page.goto(f"{real_book}/book/handouts.html")
    page.wait_for_load_state("load")
    pages = _pdf_pages(page.pdf(format="A4", print_background=False))
    assert len(pages) == len(LESSONS), [p[:60] for p in pages]
    for stem, text in zip(LESSONS, pages, strict=True):
        assert f"Lesson {stem[:2]}:" in text
        objectives, first_point = _expected(stem)
        for objective in objectives:
            assert _first_words(objective) in text, (stem, objective)
        assert _first_words(first_point) in text, (stem, first_point)
        assert "Print this handout" not in text  # the button is not printed


def test_print_this_handout_prints_that_lesson_alone(page, real_book):
    page.goto(f"{real_book}/book/handouts.html")
    page.wait_for_load_state("load")
    page.evaluate("() => { window.print = () => {}; }")  # no print dialog in a test
    section = page.locator(f"section.kap-handout:has(> #{anchor('05_safety')})")
    section.get_by_role("button", name="Print this handout").click()
    pages = _pdf_pages(page.pdf(format="A4"))
    assert len(pages) == 1 and "Lesson 05:" in pages[0] and "Lesson 04:" not in pages[0]
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert len(_pdf_pages(page.pdf(format="A4"))) == len(LESSONS)  # back to every lesson


def test_each_lesson_links_to_its_handout(page, real_book):
    for stem in LESSONS:
        page.goto(f"{real_book}/notebooks/{stem}.html")
        link = page.get_by_role("link", name="Print this lesson's key points")
        assert link.count() == 1, stem
        link.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/book/handouts.html#{anchor(stem)}"), page.url
        heading = page.locator(f"section.kap-handout:has(> #{anchor(stem)}) h2")
        assert heading.inner_text().startswith(f"Lesson {stem[:2]}:")


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[float, ...], two: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])


def test_contrast_ratio_sums():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast(_rgb("rgb(232, 146, 23)"), (255, 255, 255)), 2) == 2.45  # theme


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_hovered_link_keeps_4_5_to_1_contrast(page, real_book, mode):
    page.goto(f"{real_book}/book/how_to_use.html")
    page.evaluate("mode => { document.documentElement.dataset.theme = mode; }", mode)
    link = page.locator("article.bd-article p a.reference").first
    link.hover()
    settle(page)  # the theme eases colour changes
    colour = link.evaluate("a => getComputedStyle(a).color")
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.bd-page-width') || document.body)"
        ".backgroundColor")
    if _rgb(background) == (0, 0, 0) and "rgba" in background:  # transparent: use the page's
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    ratio = contrast(_rgb(colour), _rgb(background))
    assert ratio >= 4.5, f"{mode}: hovered link {colour} on {background} is {ratio:.2f}:1"


def test_how_to_use_says_whom_to_tell_when_no_contact_is_set(page, real_book):
    page.goto(f"{real_book}/book/how_to_use.html")
    text = page.locator("p.kap-report").inner_text()
    assert "course facilitator" in text
    assert page.locator("footer .kap-report").count() == 0  # no empty "Report an error" link
    assert Path(ROOT / "_config.yml").read_text(encoding="utf-8").count('kapcourse_contact: ""')


def test_the_book_simulator_names_its_sources_by_author_and_year_with_links(page, real_book):
    from kapcourse.bank.course import bibliography
    from kapcourse.content.pk import ROUTES

    references = bibliography(ROOT)
    page.goto(f"{real_book}/notebooks/03_duration.html")
    box = page.locator(".kapsim.ks-ready")
    box.wait_for()
    for key, route in ROUTES.items():
        box.locator("select").select_option(key)
        note = box.locator(".ks-note")
        text = note.inner_text()
        for source in route.sources:
            assert source not in text, f"{key}: BibTeX key {source} shown"
            assert references[source].text.split(")")[0] + ")" in text
        hrefs = note.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs == [references[s].url for s in route.sources]
