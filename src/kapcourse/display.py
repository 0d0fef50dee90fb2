"""One notebook output, two renderers: the widget view for a live kernel, and static HTML
that the book's scripts bring to life (the book drops the widget view, see _config.yml)."""

from __future__ import annotations


def dual_bundle(plain: str, html: str, widget) -> dict:
    """A mimebundle with ``text/plain``, ``text/html`` and the widget's own view."""
    bundle = {"text/plain": plain, "text/html": html}
    widget_view = widget._repr_mimebundle_() or {}
    bundle.update({k: v for k, v in widget_view.items() if k != "text/plain"})
    return bundle
