"""Below 992 px the book's navigation sits behind two header buttons: ☰ (the lesson list) and
the page-contents button (the page's sections). On a phone (375 px) and a tablet (900 px), with
touch, tapping each one must open its drawer with links a learner can tap.

Regression test for pydata-sphinx-theme #2451: with pydata-sphinx-theme 0.17 under
sphinx-book-theme 1.3, both buttons did nothing, because the theme bound its click handlers to
hidden copies of the buttons."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = [pytest.param(375, id="phone-375px"), pytest.param(900, id="tablet-900px")]
LESSON = "notebooks/03_duration.html"
OPENS_WITHIN = 3000  # ms: a drawer opens at once; no need to wait 30 s for a broken button


@pytest.fixture(params=WIDTHS)
def touch_page(request, browser):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


def the_visible(page, selector: str):
    """The one button of a kind a learner can see (the theme also renders hidden copies)."""
    visible = page.locator(selector).locator("visible=true")
    assert visible.count() == 1, f"{visible.count()} visible {selector} buttons"
    return visible.first


def is_open(page, dialog: str) -> bool:
    return page.evaluate(f"() => document.querySelector({dialog!r}).open")


def wait_until(page, dialog: str, is_open: bool = True) -> None:
    not_ = "" if is_open else "!"
    page.wait_for_function(f"() => {not_}document.querySelector({dialog!r}).open",
                           timeout=OPENS_WITHIN)


def tappable(page, link) -> bool:
    """Visible, inside the screen and not covered: a tap at its centre lands on it."""
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    if not box or box["width"] < 1 or box["height"] < 1:
        return False
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return link.evaluate("(a, [x, y]) => a.contains(document.elementFromPoint(x, y))", [x, y])


def test_menu_button_opens_the_lesson_list(touch_page, real_book):
    page = touch_page
    page.goto(f"{real_book}/{LESSON}")
    page.wait_for_load_state("load")
    the_visible(page, ".primary-toggle").tap()
    wait_until(page, "#pst-primary-sidebar-modal")
    drawer = page.locator("#pst-primary-sidebar-modal")
    other_lesson = drawer.locator('a[href$="05_safety.html"]')
    progress = drawer.locator('a[href$="progress.html"]')
    assert other_lesson.count() == 1 and progress.count() == 1
    assert tappable(page, other_lesson)
    assert tappable(page, progress)
    progress.tap()
    page.wait_for_url("**/book/progress.html")
    assert page.locator("#kp-progress").count() == 1


def test_page_contents_button_opens_the_sections_of_this_page(touch_page, real_book):
    page = touch_page
    page.goto(f"{real_book}/{LESSON}")
    page.wait_for_load_state("load")
    assert not is_open(page, "#pst-secondary-sidebar-modal")
    the_visible(page, ".secondary-toggle").tap()
    wait_until(page, "#pst-secondary-sidebar-modal")
    drawer = page.locator("#pst-secondary-sidebar-modal")
    section = page.locator("main section section").first.get_attribute("id")
    link = drawer.locator(f'a[href="#{section}"]')
    assert link.count() == 1
    assert tappable(page, link)


def test_drawers_close_again(touch_page, real_book):
    """Escape closes the drawer, and the button opens it again (the handler is on the button
    a learner sees, not on a copy)."""
    page = touch_page
    page.goto(f"{real_book}/{LESSON}")
    page.wait_for_load_state("load")
    for button, dialog in ((".primary-toggle", "#pst-primary-sidebar-modal"),
                           (".secondary-toggle", "#pst-secondary-sidebar-modal")):
        for _ in range(2):
            the_visible(page, button).tap()
            wait_until(page, dialog)
            page.keyboard.press("Escape")
            wait_until(page, dialog, is_open=False)


def test_menu_button_still_collapses_the_sidebar_on_a_wide_screen(page, real_book):
    """At 1280 px ☰ hides and shows the lesson list in place (no drawer). This also fails if the
    theme gets fixed while _static/kapbook.js still forwards clicks (two toggles = none), which
    is the sign to delete the forwarder."""
    page.goto(f"{real_book}/{LESSON}")
    page.wait_for_load_state("load")
    hidden = "() => document.querySelector('#pst-primary-sidebar')" \
             ".classList.contains('pst-sidebar-hidden')"
    assert not page.evaluate(hidden)
    the_visible(page, ".primary-toggle").click()
    assert page.evaluate(hidden)
    assert not is_open(page, "#pst-primary-sidebar-modal")
    the_visible(page, ".primary-toggle").click()
    assert not page.evaluate(hidden)
