"""Lesson 03's pharmacokinetics simulator in the built book (Chromium): route, dose and weight
change the summary and the chart, an impossible dose is explained, axe finds no violations,
and the default chart stays for readers without JavaScript and in print (issues 13 and 15)."""

from __future__ import annotations

import pytest

from kapcourse.content.figures.pk import summary_numbers

from .browser import PageWatch, run_axe

pytestmark = pytest.mark.browser

LESSON = "notebooks/03_duration.html"


def open_simulator(page, base_url: str) -> PageWatch:
    watch = PageWatch(page, base_url)
    page.goto(f"{base_url}/{LESSON}")
    page.wait_for_selector(".kapsim.ks-ready")
    return watch


def summary(page) -> str:
    return page.locator(".kapsim .ks-summary").inner_text()


def selected_path(page) -> str:
    return page.locator(".kapsim path.ks-selected").get_attribute("d")


def peak_text(route: str, dose: float, weight: float) -> str:
    numbers = summary_numbers(route, dose, weight)
    peak, minutes = round(numbers["peak_ng_per_ml"]), round(numbers["peak_minutes"])
    return f"{peak} ng/mL at about {minutes} minutes"


def test_route_dose_and_weight_change_the_summary_and_the_curve(page, real_book):
    watch = open_simulator(page, real_book)
    assert not page.locator(".kapsim-fallback").is_visible()  # the live chart replaces it
    assert peak_text("iv_infusion", 0.5, 70) in summary(page)
    assert "Total dose: 35 mg" in summary(page)
    infusion = selected_path(page)

    page.select_option(".kapsim select", "sublingual")
    assert peak_text("sublingual", 0.5, 70) in summary(page)
    sublingual = selected_path(page)
    assert sublingual != infusion
    assert page.locator(".kapsim path.ks-selected").get_attribute("data-route") == "sublingual"

    # A lower dose (the y axis follows the highest curve, so every curve scales with the dose
    # until the axis reaches its minimum height of 300 ng/mL).
    page.fill(".kapsim input[id$='-dose']", "0.2")
    assert peak_text("sublingual", 0.2, 70) in summary(page)
    assert selected_path(page) != sublingual

    page.fill(".kapsim input[id$='-weight']", "100")
    assert "Total dose: 20 mg" in summary(page)
    assert peak_text("sublingual", 0.2, 100) in summary(page)  # mg/kg dosing: same curve
    assert "sublingual" in page.locator(".kapsim svg.ks-chart title").text_content().lower()
    assert not watch.errors and not watch.external


def test_an_impossible_dose_is_explained_and_the_last_chart_stays(page, real_book):
    watch = open_simulator(page, real_book)
    before, path = summary(page), selected_path(page)
    page.fill(".kapsim input[id$='-dose']", "50")
    message = page.locator(".kapsim .ks-message[role=alert]")
    assert message.inner_text() == ("⚠ A dose above 10 mg/kg is outside this teaching model. "
                                    "Enter a dose between 0 and 10 mg/kg. The chart below "
                                    "still shows the last valid input.")
    assert summary(page) == before and selected_path(page) == path
    page.fill(".kapsim input[id$='-dose']", "0.5")
    assert not message.is_visible()
    assert not watch.errors


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_simulator(page, real_book, theme):
    open_simulator(page, real_book)
    page.evaluate(f"() => {{ document.documentElement.dataset.theme = '{theme}'; }}")
    page.fill(".kapsim input[id$='-dose']", "-1")  # with the message showing too
    assert [v["id"] for v in run_axe(page, ".kapsim")] == []


def test_phone_width_fits(browser, real_book):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    open_simulator(page, real_book)
    chart = page.evaluate("() => document.querySelector('.kapsim svg.ks-chart')"
                          ".getBoundingClientRect().width")
    overflow = page.evaluate("() => [...document.querySelectorAll('.kapsim, .ks-controls')]"
                             ".filter(e => e.scrollWidth > e.clientWidth + 1).length")
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert 200 < chart <= 375 and overflow == 0 and wide <= 375


def test_without_javascript_and_in_print_the_default_chart_shows(browser, page, real_book):
    context = browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto(f"{real_book}/{LESSON}")
    fallback = static.locator(".kapsim img.kapsim-fallback")
    assert fallback.is_visible()
    assert fallback.get_attribute("alt").startswith("Simulator default chart")
    assert "not a dosing tool" in static.locator("#fig-pk-simulator figcaption").inner_text()
    context.close()

    open_simulator(page, real_book)
    page.emulate_media(media="print")
    assert page.locator(".kapsim img.kapsim-fallback").is_visible()
    assert not page.locator(".kapsim .ks-live").is_visible()


def test_the_simulator_scripts_load_only_on_lesson_03(real_book):
    from .conftest import BUILT

    for path in BUILT.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        name = path.relative_to(BUILT).as_posix()
        on_lesson_03 = name == LESSON
        assert ("kapsim.js" in html) == on_lesson_03, name
        assert ("kapsim.css" in html) == on_lesson_03, name
        assert ("kapquiz-data/kapsim-model.js" in html) == on_lesson_03, name


def test_the_simulator_works_under_a_strict_content_security_policy(page, real_book):
    """No inline script and no style attributes: it runs under script-src 'self'."""
    def strict(route):
        response = route.fetch()
        headers = {**response.headers,
                   "content-security-policy": "script-src 'self'; style-src 'self' 'unsafe-inline'"}
        route.fulfill(response=response, headers=headers)

    page.route(f"**/{LESSON}", strict)
    page.goto(f"{real_book}/{LESSON}")
    page.wait_for_selector(".kapsim.ks-ready")
    page.select_option(".kapsim select", "intranasal_racemic")
    assert peak_text("intranasal_racemic", 0.5, 70) in summary(page)
