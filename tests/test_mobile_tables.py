"""Wide tables on a phone (375 px, touch): they scroll sideways inside the page, a fade at the
right edge shows that more columns are hidden there, and at the end of the scroll the last
(key) column is fully visible, not under the fade."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# (page, the table's section, its last column): the two tables the learner review found cut off
WIDE_TABLES = [
    pytest.param("notebooks/01_what_is_ketamine.html", "three-names-three-products",
                 "Labelled use in the US", id="lesson-01-products"),
    pytest.param("notebooks/03_duration.html",
                 "routes-how-ketamine-gets-in-how-fast-and-how-long-it-lasts", "Source",
                 id="lesson-03-routes"),
]

MEASURE = """section => {
  const box = document.getElementById(section).querySelector('.pst-scrollable-table-container');
  const fade = getComputedStyle(box, '::after');
  const cells = box.querySelectorAll('thead th');
  const last = cells[cells.length - 1].getBoundingClientRect();
  const edge = box.getBoundingClientRect();
  return {
    scrolls: box.scrollWidth > box.clientWidth + 1,
    scrolled: box.scrollLeft,
    fade: {content: fade.content, position: fade.position, right: fade.right,
           width: parseFloat(fade.width), image: fade.backgroundImage},
    lastText: cells[cells.length - 1].textContent.trim(),
    lastLeft: last.left, lastRight: last.right, boxLeft: edge.left, boxRight: edge.right,
    pageOverflows: document.documentElement.scrollWidth > document.documentElement.clientWidth,
  };
}"""

SCROLL_TO_END = """section => {
  const box = document.getElementById(section).querySelector('.pst-scrollable-table-container');
  box.scrollLeft = box.scrollWidth;
}"""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(("path", "section", "last_column"), WIDE_TABLES)
def test_wide_table_shows_it_scrolls_and_its_last_column_can_be_read(phone, real_book, path,
                                                                     section, last_column):
    phone.goto(f"{real_book}/{path}")
    phone.wait_for_load_state("load")
    phone.locator(f"#{section} table").scroll_into_view_if_needed()
    start = phone.evaluate(MEASURE, section)
    assert start["lastText"] == last_column
    assert start["scrolls"] and not start["pageOverflows"]  # the table scrolls, not the page
    # the scroll hint: a fade stuck to the right edge of the visible part of the table
    fade = start["fade"]
    assert fade["content"] != "none" and fade["position"] == "sticky", fade
    assert fade["right"] == "0px" and fade["width"] >= 24 and "gradient" in fade["image"], fade
    assert start["lastRight"] > start["boxRight"]  # the last column starts out of sight

    phone.evaluate(SCROLL_TO_END, section)
    end = phone.evaluate(MEASURE, section)
    assert end["scrolled"] > 0
    visible_right = end["boxRight"] - end["fade"]["width"]  # what the fade does not cover
    assert end["boxLeft"] <= end["lastLeft"] and end["lastRight"] <= visible_right + 1, end
