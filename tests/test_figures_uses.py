"""Tests for the lesson 02 figure (kapcourse.content.figures.uses)."""

import datetime as dt
import re
from pathlib import Path

from matplotlib.figure import Figure

from kapcourse.content.figures import READ_WIDTH_IN, uses

BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"


def _markers(fig: Figure) -> list:
    ax = fig.axes[0]
    return [line for line in ax.get_lines() if line.get_marker() in ("s", "o")]


def test_returns_a_figure_as_wide_as_the_book_shows_it():
    fig = uses.approvals_timeline()
    assert isinstance(fig, Figure)
    assert fig.get_figwidth() == READ_WIDTH_IN


def test_one_marker_and_one_label_per_event():
    fig = uses.approvals_timeline()
    assert len(_markers(fig)) == len(uses.EVENTS)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for event in uses.EVENTS:
        assert any(event.label in text for text in texts), event.label


def test_kind_is_carried_by_marker_shape_not_colour_alone():
    fig = uses.approvals_timeline()
    shapes = {line.get_marker() for line in _markers(fig)}
    assert shapes == {"s", "o"}
    legend = fig.axes[0].get_legend()
    assert legend is not None
    assert {t.get_text() for t in legend.get_texts()} == {uses.REGULATORY, uses.EVIDENCE}


def test_axis_labels_and_title_present():
    ax = uses.approvals_timeline().axes[0]
    assert "time runs down" in ax.get_ylabel()  # time is the vertical axis
    assert ax.get_title()


def test_events_are_in_date_order_and_dated_plausibly():
    dates = [event.date for event in uses.EVENTS]
    assert dates == sorted(dates)
    assert all(dt.date(1960, 1, 1) <= d <= dt.date(2026, 12, 31) for d in dates)
    assert all(event.kind in (uses.REGULATORY, uses.EVIDENCE) for event in uses.EVENTS)


def test_every_event_cites_a_key_in_the_bibliography():
    keys = set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", BIB.read_text(encoding="utf-8")))
    missing = [event.cite for event in uses.EVENTS if event.cite not in keys]
    assert not missing, f"cite keys not in book/references.bib: {missing}"


def test_deterministic():
    first = uses.approvals_timeline()
    second = uses.approvals_timeline()
    pos = [tuple(line.get_xydata()[0]) for line in _markers(first)]
    assert pos == [tuple(line.get_xydata()[0]) for line in _markers(second)]
