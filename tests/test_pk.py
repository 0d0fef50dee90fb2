"""The lesson 03 pharmacokinetic model (kapcourse.content.pk) against hand calculations, and the
interactive simulator's widgets (set ``.value``, read the message and the picture)."""

from __future__ import annotations

import base64
import json

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from kapcourse.content import pk
from kapcourse.quiz.display import RUN_HINT

D = pk.DISPOSITION


def _trapezoid(y, x):
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2)


# ---------------------------------------------------------------------------- the model


def test_parameters_match_their_sources():
    assert D.clearance_l_per_h_per_kg * 70 == pytest.approx(79)  # Kamp 2020, L/h per 70 kg
    assert D.volume_ss_l_per_kg * 70 == pytest.approx(252)  # Kamp 2020, L per 70 kg
    assert D.alpha_half_life_h * 60 == pytest.approx(10)  # label: 10 to 15 minutes
    assert D.beta_half_life_h == 2.5  # label beta phase
    assert pk.ROUTES["sublingual"].bioavailability == 0.29  # Rolan 2014, median 29%
    assert pk.ROUTES["sublingual"].tmax_h == 0.75  # Rolan 2014, median 0.75 h
    assert pk.ROUTES["intranasal_esketamine"].bioavailability == 0.48  # esketamine, mean 48%
    assert 20 / 60 <= pk.ROUTES["intranasal_esketamine"].tmax_h <= 40 / 60  # 20 to 40 min
    assert 0.11 <= pk.ROUTES["intranasal_racemic"].bioavailability <= 0.17  # 2022 study
    assert 14 / 60 <= pk.ROUTES["intranasal_racemic"].tmax_h <= 23 / 60
    assert pk.ROUTES["iv_infusion"].infusion_h == pytest.approx(40 / 60)
    assert all(route.sources for route in pk.ROUTES.values())
    assert "intramuscular" not in pk.ROUTES and "oral" not in pk.ROUTES  # not confirmed


def test_micro_constants_reproduce_the_four_published_numbers():
    micro = D.micro_constants()
    v1, k10, k12, k21 = (micro[k] for k in ("v1_l_per_kg", "k10_per_h", "k12_per_h",
                                             "k21_per_h"))
    assert v1 * k10 == pytest.approx(D.clearance_l_per_h_per_kg)
    assert v1 * (1 + k12 / k21) == pytest.approx(D.volume_ss_l_per_kg)
    # The eigenvalues of the two-compartment system are the alpha and beta rate constants.
    eigen = sorted(-np.linalg.eigvals(np.array([[-(k10 + k12), k21], [k12, -k21]])))
    assert eigen == pytest.approx(sorted([D.alpha, D.beta]))


def test_impossible_disposition_numbers_are_rejected():
    bad = pk.Disposition(1.0, 50.0, 10 / 60, 2.5, ("x",))  # Vss far too large for CL and beta
    with pytest.raises(ValueError, match="two-compartment"):
        bad.micro_constants()


@pytest.mark.parametrize("route", list(pk.ROUTES))
@pytest.mark.parametrize("dose, weight", [(0.5, 70), (1.0, 55), (0.25, 120)])
def test_auc_equals_f_times_dose_over_clearance(route, dose, weight):
    times = np.linspace(0, 72, 144_001)  # about 29 beta half-lives, 1.8-second steps
    numeric = _trapezoid(pk.concentration(route, dose, weight, times), times)
    clearance_l_per_h = D.clearance_l_per_h_per_kg * weight
    by_hand = pk.ROUTES[route].bioavailability * dose * weight / clearance_l_per_h * 1000
    assert numeric == pytest.approx(by_hand, rel=0.01)
    assert pk.auc(route, dose, weight) == pytest.approx(by_hand, rel=1e-9)


def test_end_of_infusion_matches_an_independent_numerical_solution():
    """Integrate the two-compartment differential equations step by step (Euler)."""
    micro = D.micro_constants()
    k10, k12, k21, v1 = (micro["k10_per_h"], micro["k12_per_h"], micro["k21_per_h"],
                         micro["v1_l_per_kg"])
    dose, duration, dt = 0.5, 40 / 60, 1e-5
    central = peripheral = 0.0  # mg/kg
    for _ in range(round(duration / dt)):
        flow = k12 * central - k21 * peripheral
        central += (dose / duration - k10 * central - flow) * dt
        peripheral += flow * dt
    (model,) = pk.concentration("iv_infusion", dose, 70, [duration])
    assert model == pytest.approx(central / v1 * 1000, rel=1e-3)


def test_concentration_rises_during_and_falls_after_the_infusion():
    times = np.array([0.0, 0.2, 0.4, 40 / 60, 1.0, 2.0])
    values = pk.concentration("iv_infusion", 0.5, 70, times)
    assert values[0] == 0
    assert np.all(np.diff(values[:4]) > 0) and np.all(np.diff(values[3:]) < 0)


@pytest.mark.parametrize("route, start", [("iv_infusion", 4.0), ("iv_bolus", 4.0),
                                          ("intranasal_esketamine", 5.0),
                                          ("intranasal_racemic", 5.0), ("sublingual", 6.0)])
def test_late_decline_follows_the_beta_half_life(route, start):
    first, later = pk.concentration(route, 0.5, 70, [start, start + 2.5])
    assert later / first == pytest.approx(0.5, rel=0.01)


def test_early_decline_after_the_infusion_is_faster_than_the_beta_half_life():
    end, later = pk.concentration("iv_infusion", 0.5, 70, [40 / 60, 40 / 60 + 0.5])
    assert later / end < 0.5 ** (0.5 / 2.5) - 0.1


@pytest.mark.parametrize("route", ["intranasal_esketamine", "intranasal_racemic", "sublingual"])
def test_absorption_rate_gives_the_reported_time_to_peak(route):
    spec = pk.ROUTES[route]
    times = np.linspace(0, 3, 36_001)
    peak_time = times[np.argmax(pk.concentration(route, 0.5, 70, times))]
    assert peak_time == pytest.approx(spec.tmax_h, abs=0.001)


def test_absorption_rate_rejects_an_impossible_time_to_peak():
    with pytest.raises(ValueError, match="time to peak"):
        pk.absorption_rate_from_tmax(0)


def test_mg_per_kg_dosing_gives_the_same_curve_at_any_weight():
    times = np.linspace(0, 8, 97)
    light = pk.concentration("sublingual", 0.5, 50, times)
    heavy = pk.concentration("sublingual", 0.5, 110, times)
    np.testing.assert_allclose(light, heavy)
    assert pk.total_dose_mg(0.5, 110) == pytest.approx(55)


def test_dose_scales_linearly():
    times = np.linspace(0, 8, 97)
    np.testing.assert_allclose(pk.concentration("intranasal_esketamine", 1.0, 70, times),
                               2 * pk.concentration("intranasal_esketamine", 0.5, 70, times))


def test_parameters_serialise_to_json_with_their_sources():
    data = json.loads(pk.parameters_json())
    assert data["disposition"]["clearance_l_per_h_per_kg"] == pytest.approx(79 / 70)
    assert data["disposition"]["sources"][0] == "kamp2020ketamine"
    assert set(data["routes"]) == set(pk.ROUTES)
    assert data["routes"]["sublingual"]["bioavailability"] == 0.29
    assert data["routes"]["sublingual"]["ka_per_h"] > 0
    assert [band["label"] for band in data["bands"]] == [band.label for band in pk.BANDS]
    assert data["notice"] == pk.NOTICE


@pytest.mark.parametrize("route, dose, weight, message", [
    ("iv_infusion", -0.5, 70, "greater than 0 mg/kg"),
    ("iv_infusion", 0, 70, "greater than 0 mg/kg"),
    ("iv_infusion", 12, 70, "Enter a dose between 0 and 10 mg/kg"),
    ("iv_infusion", 0.5, 20, "Enter a body weight between 30 and 250 kg"),
    ("iv_infusion", 0.5, 300, "Enter a body weight between 30 and 250 kg"),
    ("intramuscular", 0.5, 70, "Unknown route 'intramuscular'"),
    ("oral", 0.5, 70, "not modelled"),
    ("iv_infusion", float("nan"), 70, "finite number"),
    ("iv_infusion", "0.5", 70, "must be a number"),
    ("iv_infusion", True, 70, "must be a number"),
])
def test_invalid_inputs_raise_a_friendly_value_error(route, dose, weight, message):
    with pytest.raises(ValueError, match=message):
        pk.validate_inputs(route, dose, weight)
    with pytest.raises(ValueError, match=message):
        pk.concentration(route, dose, weight, [1.0])


def test_negative_times_are_rejected():
    with pytest.raises(ValueError, match="not negative"):
        pk.concentration("iv_bolus", 0.5, 70, [-1.0, 1.0])


def test_bands_come_from_cited_ranges():
    ranges = {band.label: (band.low_ng_per_ml, band.high_ng_per_ml) for band in pk.BANDS}
    assert ranges == {"Analgesia (approx.)": (70, 160),
                      "Dissociative effects (approx.)": (100, 250),
                      "Anaesthesia (approx.)": (1200, 2400)}
    assert all("approx." in band.label and band.sources for band in pk.BANDS)


# ---------------------------------------------------------------------------- the widgets


@pytest.fixture(scope="module")
def drawn():
    """The simulator's PNG charts drawn so far in this module, by the chart's inputs."""
    return {}


@pytest.fixture
def sim(drawn, monkeypatch):
    """A fresh simulator per test; each chart is drawn (rasterised) once per module.

    Every test starts from the default chart and some redraw it, and rasterising the PNG is
    most of a test's time. The chart is still built by the real ``simulator_figure`` for every
    update (so bad input still fails there), and the real ``png_bytes`` draws each distinct
    (route, dose, weight, compare) once: a change that should redraw still gives new bytes."""
    from kapcourse.content.figures import pk as figures

    build, rasterise = figures.simulator_figure, figures.png_bytes

    def simulator_figure(*args, **kwargs):
        fig = build(*args, **kwargs)
        fig.kap_inputs = (args, tuple(sorted(kwargs.items())))  # png_bytes' key for it
        return fig

    def png_bytes(fig, *args, **kwargs):
        key = (fig.kap_inputs, args, tuple(sorted(kwargs.items())))
        if key not in drawn:
            drawn[key] = rasterise(fig, *args, **kwargs)
        return drawn[key]

    monkeypatch.setattr(figures, "simulator_figure", simulator_figure)
    monkeypatch.setattr(figures, "png_bytes", png_bytes)
    return figures.simulator()


def test_simulator_starts_with_a_chart_and_the_notice(sim):
    assert bytes(sim.image.value).startswith(b"\x89PNG")
    assert "A population-average teaching model, not a dosing tool." in sim.notice.value
    assert sim.message.value == ""
    assert "35 mg" in sim.summary.value and "175 ng/mL" in sim.summary.value


def test_changing_the_route_redraws_the_chart(sim):
    before = bytes(sim.image.value)
    sim.route.value = "sublingual"
    assert bytes(sim.image.value) != before
    assert "28 ng/mL" in sim.summary.value  # 0.29 bioavailability, peak at 0.75 h
    assert "45 minutes" in sim.summary.value


def test_changing_weight_changes_total_dose_not_the_peak(sim):
    sim.weight.value = 100
    assert "50 mg" in sim.summary.value and "175 ng/mL" in sim.summary.value


def test_invalid_dose_shows_a_message_not_a_traceback(sim):
    picture = bytes(sim.image.value)
    sim.dose.value = -1
    assert "The dose must be greater than 0 mg/kg." in sim.message.value
    assert "Traceback" not in sim.message.value
    assert bytes(sim.image.value) == picture  # the last valid chart stays
    sim.dose.value = 0.5
    assert sim.message.value == ""


def test_absurd_dose_and_weight_are_explained(sim):
    sim.dose.value = 50
    assert "between 0 and 10 mg/kg" in sim.message.value
    sim.dose.value = 0.5
    sim.weight.value = 10
    assert "between 30 and 250 kg" in sim.message.value


def test_hiding_other_routes_redraws(sim):
    before = bytes(sim.image.value)
    sim.compare.value = False
    assert bytes(sim.image.value) != before


def test_mimebundle_has_widget_html_with_the_default_chart_and_text(sim):
    """JupyterLab shows the widget; the book shows the HTML, which kapsim.js makes interactive
    and which holds the default chart (with its text alternative) for no-JavaScript and print."""
    bundle = sim._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    page = bundle["text/html"]
    assert page.startswith(RUN_HINT + '<div class="kapsim">') and "not a dosing tool" in page
    svg = page.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    assert b"<svg" in base64.b64decode(svg)  # sharp at any size, on any screen
    assert 'alt="Simulator default chart: the 40-minute IV infusion' in page
    assert "not a dosing tool" in bundle["text/plain"]
