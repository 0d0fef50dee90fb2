"""The lesson 03 pharmacokinetic model (kapcourse.pk) against hand calculations, and the
interactive simulator's widgets (set ``.value``, read the message and the picture)."""

from __future__ import annotations

import base64
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from kapcourse import pk

K = math.log(2) / 2.5  # elimination rate constant for the label's 2.5-hour half-life


def _trapezoid(y, x):
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2)


# ---------------------------------------------------------------------------- the model


def test_parameters_match_their_sources():
    assert pk.HALF_LIFE_H == 2.5
    assert pk.ROUTES["sublingual"].bioavailability == 0.29  # Rolan 2014, median 29%
    assert pk.ROUTES["sublingual"].tmax_h == 0.75  # Rolan 2014, median 0.75 h
    assert pk.ROUTES["intranasal"].bioavailability == 0.48  # esketamine, mean 48%
    assert 20 / 60 <= pk.ROUTES["intranasal"].tmax_h <= 40 / 60  # 20 to 40 minutes
    assert pk.ROUTES["iv_infusion"].infusion_h == pytest.approx(40 / 60)
    assert all(route.sources for route in pk.ROUTES.values())
    assert "intramuscular" not in pk.ROUTES and "oral" not in pk.ROUTES  # not confirmed


@pytest.mark.parametrize("route", list(pk.ROUTES))
@pytest.mark.parametrize("dose, weight", [(0.5, 70), (1.0, 55), (0.25, 120)])
def test_auc_equals_f_times_dose_over_clearance(route, dose, weight):
    times = np.linspace(0, 60, 120_001)  # 24 half-lives, 1.8-second steps
    numeric = _trapezoid(pk.concentration(route, dose, weight, times), times)
    clearance_l_per_h = K * pk.VOLUME_L_PER_KG * weight
    by_hand = pk.ROUTES[route].bioavailability * dose * weight / clearance_l_per_h * 1000
    assert numeric == pytest.approx(by_hand, rel=0.01)
    assert pk.auc(route, dose, weight) == pytest.approx(by_hand, rel=1e-9)


def test_end_of_infusion_matches_closed_form():
    dose, weight, duration = 0.5, 70, 40 / 60
    volume = pk.VOLUME_L_PER_KG * weight
    rate = dose * weight / duration  # mg/h
    by_hand = rate / (K * volume) * (1 - math.exp(-K * duration)) * 1000  # ng/mL
    (model,) = pk.concentration("iv_infusion", dose, weight, [duration])
    assert model == pytest.approx(by_hand, rel=1e-9)
    # ... and that is the calibration target, the 185 ng/mL reported for this protocol.
    assert model == pytest.approx(185.0, rel=1e-6)


def test_concentration_rises_during_and_falls_after_the_infusion():
    times = np.array([0.0, 0.2, 0.4, 40 / 60, 1.0, 2.0])
    values = pk.concentration("iv_infusion", 0.5, 70, times)
    assert values[0] == 0
    assert np.all(np.diff(values[:4]) > 0) and np.all(np.diff(values[3:]) < 0)


@pytest.mark.parametrize("route, start", [("iv_infusion", 1.0), ("iv_bolus", 0.5),
                                          ("intranasal", 4.0), ("sublingual", 5.0)])
def test_concentration_halves_after_one_half_life(route, start):
    first, later = pk.concentration(route, 0.5, 70, [start, start + 2.5])
    assert later / first == pytest.approx(0.5, rel=0.01)


@pytest.mark.parametrize("route", ["intranasal", "sublingual"])
def test_absorption_rate_gives_the_reported_time_to_peak(route):
    spec = pk.ROUTES[route]
    times = np.linspace(0, 3, 36_001)
    peak_time = times[np.argmax(pk.concentration(route, 0.5, 70, times))]
    assert peak_time == pytest.approx(spec.tmax_h, abs=0.001)
    ka = spec.ka_per_h
    assert math.log(ka / K) / (ka - K) == pytest.approx(spec.tmax_h, rel=1e-6)


def test_mg_per_kg_dosing_gives_the_same_curve_at_any_weight():
    times = np.linspace(0, 8, 97)
    light = pk.concentration("sublingual", 0.5, 50, times)
    heavy = pk.concentration("sublingual", 0.5, 110, times)
    np.testing.assert_allclose(light, heavy)
    assert pk.total_dose_mg(0.5, 110) == pytest.approx(55)


def test_dose_scales_linearly():
    times = np.linspace(0, 8, 97)
    np.testing.assert_allclose(pk.concentration("intranasal", 1.0, 70, times),
                               2 * pk.concentration("intranasal", 0.5, 70, times))


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


@pytest.fixture
def sim():
    from kapcourse.figures.pk import simulator

    return simulator()


def test_simulator_starts_with_a_chart_and_the_notice(sim):
    assert bytes(sim.image.value).startswith(b"\x89PNG")
    assert "A population-average teaching model, not a dosing tool." in sim.notice.value
    assert sim.message.value == ""
    assert "35 mg" in sim.summary.value and "185 ng/mL" in sim.summary.value


def test_changing_the_route_redraws_the_chart(sim):
    before = bytes(sim.image.value)
    sim.route.value = "sublingual"
    assert bytes(sim.image.value) != before
    assert "48 ng/mL" in sim.summary.value  # 0.29 bioavailability, peak at 0.75 h
    assert "45 minutes" in sim.summary.value


def test_changing_weight_changes_total_dose_not_the_peak(sim):
    sim.weight.value = 100
    assert "50 mg" in sim.summary.value and "185 ng/mL" in sim.summary.value


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


def test_mimebundle_has_widget_png_and_text(sim):
    bundle = sim._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "not a dosing tool" in bundle["text/plain"]
