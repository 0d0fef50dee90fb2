"""Every page of the built course, in light and dark colours: no request leaves the site, no
page is missing, no script error, and axe finds nothing (every WCAG 2.2 A/AA rule and best
practice).

A file of its own: `make test` gives each worker whole files, and these two tests take about
a minute and a half on 2 cores (#18)."""

from __future__ import annotations

import pytest

from .browser import PageWatch, run_axe_all_rules
from .conftest import BUILT

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_no_external_requests_no_errors_and_axe(browser, real_book, scheme):
    pages = sorted(p.relative_to(BUILT).as_posix() for p in BUILT.rglob("*.html")
                   if not p.relative_to(BUILT).parts[0].startswith("_")
                   and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8"))
    assert len(pages) >= 5
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    watch = PageWatch(page, real_book)
    problems = []
    for path in pages:
        page.goto(f"{real_book}/{path}")
        page.wait_for_load_state("load")
        # every WCAG 2.2 A/AA rule and best practice, whatever its impact (quizzes included)
        problems += [f"{path}: {v['id']} ({v['impact']}): "
                     + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
                     for v in run_axe_all_rules(page)]
    context.close()
    assert problems == []
    assert watch.external == [], watch.external
    assert watch.not_found == [], watch.not_found
    assert watch.errors == [], watch.errors
