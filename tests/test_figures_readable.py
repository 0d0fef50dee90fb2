"""Every course figure is readable where the book shows it (learner review, finding 9).

The lessons show each figure as SVG (kapcourse.content.figures.svg_text): sharp on a 2x screen,
its text kept as text. At the book's figure width (672 CSS px on a desktop screen) no text may
be smaller
than 11 pt; on a phone the figure shrinks and links to its full-size image
(tests/test_figures_phone_browser.py checks that in the built book).
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pytest

from kapcourse.content.figures import (
    MIN_FONT_PT,
    care_model,
    evidence,
    history,
    safety,
    svg_text,
    uses,
)
from kapcourse.content.figures import pk as pk_figures

#: The width the book gives a figure on a desktop screen (measured: the figure column of
#: sphinx-book-theme 1.3 at 1280 px and at 992 px is at least this wide).
BOOK_FIGURE_PX = 672
CSS_PX_PER_PT = 96 / 72

FIGURES = {
    "history.timeline": history.timeline,
    "uses.approvals_timeline": uses.approvals_timeline,
    "pk.routes_figure": pk_figures.routes_figure,
    "pk.iv_dissociation_figure": pk_figures.iv_dissociation_figure,
    "pk.simulator_figure (book fallback)": lambda: pk_figures.simulator_figure(
        **pk_figures.DEFAULTS),
    "pk.simulator_figure (large bolus)": lambda: pk_figures.simulator_figure("iv_bolus", 2.0, 70),
    "evidence.key_trials": evidence.key_trials,
    "safety.urinary_symptoms": safety.urinary_symptoms,
    "safety.monitoring_timeline": safety.monitoring_timeline,
    "care_model.phases_and_roles": care_model.phases_and_roles,
}


@pytest.fixture(scope="module", params=list(FIGURES), ids=list(FIGURES))
def svg(request) -> str:
    return svg_text(FIGURES[request.param]())


def _width_pt(document: str) -> float:
    return float(re.search(r'<svg[^>]* width="([\d.]+)pt"', document).group(1))


def test_text_is_at_least_11_pt_at_the_width_the_book_shows_the_figure(svg):
    # In matplotlib's SVG one user unit is one point, so a font-size of 11px is 11 pt when the
    # picture is shown at its own width; a wider picture is scaled down to the column.
    sizes = [float(size) for size in re.findall(r"font-size: ?([\d.]+)px", svg)]
    assert sizes, "no text found: is the SVG's text still text (svg.fonttype none)?"
    scale = min(1.0, BOOK_FIGURE_PX / (_width_pt(svg) * CSS_PX_PER_PT))
    assert min(sizes) * scale >= MIN_FONT_PT, (
        f"smallest text {min(sizes):g} pt shown at {min(sizes) * scale:.1f} pt "
        f"(figure {_width_pt(svg) / 72:.2f} in wide)")


def test_text_stays_text_and_the_svg_is_deterministic(svg):
    assert "<text" in svg  # searchable, selectable, scales with the page
    assert "DejaVuSans-" not in svg  # no glyph outlines embedded instead of text
    assert "<dc:date>" not in svg  # no build date: nbval compares the stored outputs
    assert 'id="p' in svg or 'id="m' in svg  # ids exist and come from the fixed salt ...


def test_the_same_figure_gives_the_same_bytes():
    first = svg_text(history.timeline())
    assert first == svg_text(history.timeline())  # ... so two runs give the same bytes


def test_a_notebook_shows_a_returned_figure_as_svg_only():
    from IPython.core.interactiveshell import InteractiveShell

    import kapcourse.content.figures as figures

    shell = InteractiveShell.instance()
    try:
        figures._show_figures_as_svg(shell)
        data, _ = shell.display_formatter.format(history.timeline())
    finally:
        InteractiveShell.clear_instance()
    assert set(data) == {"image/svg+xml", "text/plain"}
    assert data["image/svg+xml"] == svg_text(history.timeline())
