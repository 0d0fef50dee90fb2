"""Tests for the lesson 03 figures (kapcourse.figures.pk)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from kapcourse import pk
from kapcourse.figures import pk as figures


def _route_lines(ax):
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


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
    assert len({line.get_linestyle() for line in lines}) == len(lines)
    assert len({line.get_marker() for line in lines}) == len(lines)


def test_bands_are_hatched_labelled_and_the_anaesthesia_band_is_named_when_off_chart():
    fig = figures.routes_figure()
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "Analgesia (approx.)" in texts and "Dissociative effects (approx.)" in texts
    assert any(t.startswith("Above this chart: Anaesthesia") for t in texts)
    spans = [p for p in ax.patches if p.get_label().startswith(("Analgesia", "Dissociative"))]
    assert len(spans) == 2 and all(p.get_hatch() for p in spans)
    notice = " ".join(t.get_text() for t in fig.texts)
    assert "not a dosing tool" in notice


def test_high_dose_stretches_the_axis_to_the_anaesthesia_band():
    ax = figures.simulator_figure("iv_bolus", 8.0, 70).axes[0]
    assert ax.get_ylim()[1] > 1200
    assert "Anaesthesia (approx.)" in [t.get_text() for t in ax.texts]


def test_simulator_figure_can_hide_other_routes():
    ax = figures.simulator_figure("intranasal", 0.5, 70, compare=False).axes[0]
    assert [line.get_label() for line in _route_lines(ax)] == [
        pk.ROUTES["intranasal"].label + " (selected)"]


def test_figures_reject_bad_input():
    with pytest.raises(ValueError, match="body weight"):
        figures.routes_figure(weight_kg=10)


def test_routes_figure_is_deterministic():
    first = figures.routes_figure().axes[0]
    second = figures.routes_figure().axes[0]
    assert [list(line.get_ydata()) for line in first.get_lines()] == \
        [list(line.get_ydata()) for line in second.get_lines()]
