"""The course's figures: one module per lesson topic, each function returns a matplotlib Figure.

Figure code lives here, not in notebooks, so every figure is reproducible and tested.

In a notebook a returned Figure displays as SVG (:func:`svg_text`): sharp on any screen, its
text stays text (it scales with the page and can be searched and copied), and the same figure
gives the same bytes every time, so nbval can compare the lessons' stored outputs.
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.figure import Figure

#: Text drawn as <text> elements, not glyph outlines; ids hashed with a fixed salt, not a
#: random one (matplotlib's default salt changes on every run).
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "kapcourse"}
#: Smallest text a figure may have, in points, at the width the book shows it (READ_WIDTH_IN).
MIN_FONT_PT = 11.0
#: The width a figure is drawn for, in inches. The book's figure column is 672 CSS px (7 inches
#: at 96 px per inch) on a desktop screen; 6.8 inches leaves room for the 0.1 inch margin that
#: bbox_inches="tight" adds on each side, so a figure is shown at its own size, 11 pt as 11 pt.
#: On a phone it shrinks to the screen, and the book links it to its full-size image.
READ_WIDTH_IN = 6.8


def svg_text(fig: Figure) -> str:
    """The figure as a deterministic SVG document (no date, fixed ids, text as text)."""
    buffer = io.StringIO()
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _show_figures_as_svg(shell=None) -> None:
    """Let a returned matplotlib Figure display as SVG in a notebook (the running IPython
    shell, or ``shell``) without pyplot."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
    except ImportError:
        return
    shell = shell or get_ipython()
    if shell is None:
        return
    # select_figure_formats removes any PNG formatter; then the SVG one is replaced by ours,
    # which IPython's cannot be told to make deterministic.
    select_figure_formats(shell, {"svg"})
    shell.display_formatter.formatters["image/svg+xml"].for_type(Figure, svg_text)


_show_figures_as_svg()
