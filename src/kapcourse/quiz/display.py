"""One notebook output, two renderers: the widget view for a live kernel, and static HTML
that the book's scripts bring to life (the book drops the widget view, see _config.yml)."""

from __future__ import annotations

# What JupyterLab shows of a quiz or progress cell before its cell has run (it has no widget
# state then, so it shows the text/html): say what to do, instead of leaving a dead copy
# unexplained. The book hides it (kapbook.css), where the page's scripts run the HTML.
RUN_HINT = ('<p class="kap-run"><strong>\u25b6 Run this cell to start.</strong> In JupyterLab, '
            "run the lesson's cells from the top (Run \u2192 Run All Cells); the copy below comes "
            "alive once they have run.</p>")


def dual_bundle(plain: str, html: str, widget) -> dict:
    """A mimebundle with ``text/plain``, ``text/html`` (led by the run hint) and the widget's
    own view."""
    bundle = {"text/plain": plain, "text/html": RUN_HINT + html}
    widget_view = widget._repr_mimebundle_() or {}
    bundle.update({k: v for k, v in widget_view.items() if k != "text/plain"})
    return bundle
