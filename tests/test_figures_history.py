"""Tests for the lesson 01 history timeline (kapcourse.content.figures.history)."""

from __future__ import annotations

import re
from pathlib import Path

from matplotlib.figure import Figure

from kapcourse.content.figures import READ_WIDTH_IN, history

BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"


def _event_markers(fig: Figure) -> list:
    ax = fig.axes[0]
    return [line for line in ax.get_lines() if (line.get_gid() or "").startswith("event-")]


def test_timeline_returns_a_figure_as_wide_as_the_book_shows_it():
    fig = history.timeline()
    assert isinstance(fig, Figure)
    width, _ = fig.get_size_inches()
    assert width == READ_WIDTH_IN


def test_one_marker_and_one_label_per_event():
    fig = history.timeline()
    markers = _event_markers(fig)
    assert len(markers) == len(history.EVENTS)
    plotted_years = sorted(int(line.get_xdata()[0]) for line in markers)
    assert plotted_years == sorted(event.year for event in history.EVENTS)
    texts = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    for event in history.EVENTS:
        label = texts[f"label-{event.year}"]
        assert label.startswith(str(event.year))
        assert " ".join(label.split()[1:]) == event.label


def test_axis_title_and_legend_present():
    fig = history.timeline()
    ax = fig.axes[0]
    assert ax.get_xlabel() == history.XLABEL
    assert ax.get_title() == history.TITLE
    legend_labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert set(legend_labels) == set(history.STYLE)


def test_each_category_has_its_own_marker_and_colour():
    markers = {style["marker"] for style in history.STYLE.values()}
    colours = {style["color"] for style in history.STYLE.values()}
    assert len(markers) == len(history.STYLE) == len(colours)
    for line in _event_markers(history.timeline()):
        year = int(line.get_xdata()[0])
        event = next(e for e in history.EVENTS if e.year == year)
        assert line.get_marker() == history.STYLE[event.category]["marker"]


def test_events_are_in_order_and_every_source_is_in_the_bibliography():
    years = [event.year for event in history.EVENTS]
    assert years == sorted(years)
    assert len(set(years)) == len(years)
    keys = set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", BIB.read_text(encoding="utf-8")))
    missing = {event.source for event in history.EVENTS} - keys
    assert not missing, f"timeline sources missing from references.bib: {sorted(missing)}"


def test_timeline_is_deterministic():
    def snapshot() -> list[tuple]:
        fig = history.timeline()
        ax = fig.axes[0]
        lines = [(tuple(line.get_xdata()), tuple(line.get_ydata())) for line in ax.get_lines()]
        texts = [(t.get_position(), t.get_text()) for t in ax.texts]
        return lines + texts

    assert snapshot() == snapshot()
