"""Tests for the lesson 03 figures (kapcourse.content.figures.pk)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from kapcourse.content import pk
from kapcourse.content.figures import pk as figures


def _route_lines(ax):
    return [line for line in ax.get_lines()
            if not line.get_label().startswith("_") and " edges " not in line.get_label()]


def _edge_lines(ax):
    """The bands' edges: horizontal lines (the first of each pair carries the legend label)."""
    return [line for line in ax.get_lines() if line not in _route_lines(ax)
            and len(set(line.get_ydata())) == 1 and line.get_marker() in ("None", None, "")]


def test_routes_figure_draws_every_modelled_route():
    fig = figures.routes_figure()
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    labels = [line.get_label() for line in _route_lines(ax)]
    assert labels == [route.label for route in pk.ROUTES.values()]
    assert ax.get_xlabel() == "Hours after the start of dosing"
    assert ax.get_ylabel() == "Modelled plasma ketamine (ng/mL)"
    assert "35 mg for 70 kg" in ax.get_title()


def test_routes_figure_curves_are_the_model():
    ax = figures.routes_figure(weight_kg=80, dose_mg_per_kg=0.4).axes[0]
    for line, key in zip(_route_lines(ax), pk.ROUTES, strict=True):
        expected = pk.concentration(key, 0.4, 80, line.get_xdata())
        np.testing.assert_allclose(line.get_ydata(), expected)


def test_routes_are_told_apart_without_colour():
    ax = figures.routes_figure().axes[0]
    lines = _route_lines(ax)
    # Five routes but four named line styles: the racemic spray has its own dash pattern
    # (reported as "-." by matplotlib), so compare the drawn dash sequences.
    dashes = {(line.get_linestyle(), str(line._unscaled_dash_pattern)) for line in lines}
    assert len(dashes) == len(lines)
    assert len({line.get_marker() for line in lines}) == len(lines)


def test_bands_are_drawn_as_labelled_edges_not_overlapping_fills():
    fig = figures.routes_figure()
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts[:4] == ["Analgesia from 70", "Analgesia to 160", "Dissociative effects from 100",
                         "Dissociative effects to 250"]
    assert any(t.startswith("Above this chart: Anaesthesia") for t in texts)
    assert not ax.patches  # no filled bands
    edges = _edge_lines(ax)
    assert sorted(line.get_ydata()[0] for line in edges) == [70, 100, 160, 250]
    # Each band's edges have their own dash pattern, so colour is not needed to tell them apart.
    assert len({str(line._unscaled_dash_pattern) for line in edges}) == 2
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Analgesia edges (70-160 ng/mL, approx.)" in legend
    notice = " ".join(t.get_text() for t in fig.texts)
    assert "not a dosing tool" in notice


def test_high_dose_stretches_the_axis_to_the_anaesthesia_band():
    ax = figures.simulator_figure("iv_bolus", 8.0, 70).axes[0]
    assert ax.get_ylim()[1] > 1200
    assert "Anaesthesia from 1200" in [t.get_text() for t in ax.texts]


def test_simulator_figure_can_hide_other_routes():
    ax = figures.simulator_figure("intranasal_racemic", 0.5, 70, compare=False).axes[0]
    assert [line.get_label() for line in _route_lines(ax)] == [
        pk.ROUTES["intranasal_racemic"].label + " (selected)"]


def test_figures_reject_bad_input():
    with pytest.raises(ValueError, match="body weight"):
        figures.routes_figure(weight_kg=10)


def test_routes_figure_is_deterministic():
    first = figures.routes_figure().axes[0]
    second = figures.routes_figure().axes[0]
    assert [list(line.get_ydata()) for line in first.get_lines()] == \
        [list(line.get_ydata()) for line in second.get_lines()]


def test_a_large_bolus_carries_a_note_about_the_early_peak():
    texts = [t.get_text() for t in figures.simulator_figure("iv_bolus", 2.0, 70).axes[0].texts]
    assert any("anaesthesia within 30 s" in text.replace("\n", " ") for text in texts)
    small = [t.get_text() for t in figures.simulator_figure("iv_bolus", 0.5, 70).axes[0].texts]
    assert not any("anaesthesia within 30 s" in text.replace("\n", " ") for text in small)


def test_a_2_mg_per_kg_bolus_is_drawn_inside_the_anaesthesia_band():
    ax = figures.simulator_figure("iv_bolus", 2.0, 70, compare=False).axes[0]
    (line,) = _route_lines(ax)
    assert 1200 <= max(line.get_ydata()) <= 2400


def test_dissociation_figure_shows_the_model_and_the_measured_ratings():
    fig = figures.iv_dissociation_figure()
    top, bottom = fig.axes
    (curve, rated) = _route_lines(top)
    assert sorted(line.get_ydata()[0] for line in _edge_lines(top)) == [100, 250]
    np.testing.assert_allclose(curve.get_ydata(),
                               pk.concentration("iv_infusion", 0.5, 70, curve.get_xdata()))
    assert list(rated.get_xdata() * 60) == pytest.approx([40, 80, 110, 230])
    labels = [t.get_text() for t in bottom.texts]
    assert labels == ["40 min:\ndissociation", "80 min:\nnone found", "110 min:\nnone found",
                      "230 min:\nnone found"]
    # Present and absent are told apart by fill, not colour alone: filled vs white.
    faces = [line.get_markerfacecolor() for line in bottom.get_lines()]
    assert faces[0] != "white" and faces[1:] == ["white"] * 3
    assert "Diazgranados" in " ".join(t.get_text() for t in fig.texts)
