"""A one-compartment pharmacokinetic teaching model of ketamine (lesson 03).

A population-average teaching model, not a dosing tool. It shows how the *route* changes the
shape of the plasma-concentration curve; it does not predict any person's concentrations.

Equations
---------
One compartment with volume ``V`` (L) and first-order elimination, rate constant
``k = ln 2 / t_half`` (1/h); clearance ``CL = k * V`` (L/h). ``D`` is the total dose in mg
(``dose_mg_per_kg * weight_kg``), ``F`` the route's bioavailability.

* Extravascular routes (first-order absorption, rate constant ``ka``; the Bateman function)::

      C(t) = F * D * ka / (V * (ka - k)) * (exp(-k t) - exp(-ka t))

  ``ka`` is not measured directly in the sources: it is solved from the reported median or
  mean time to peak, ``t_max = ln(ka / k) / (ka - k)`` (the root with ``ka > k``).

* Intravenous routes (zero-order infusion at rate ``R = D / T`` for ``T`` hours; a bolus is a
  very short infusion)::

      C(t) = R / CL * (1 - exp(-k t))                       for t <= T
      C(t) = R / CL * (1 - exp(-k T)) * exp(-k (t - T))     for t >  T

  Integrated to infinity, every route gives ``AUC = F * D / CL`` (used by the tests).

Parameters and sources (BibTeX keys in ``book/references.bib``)
--------------------------------------------------------------
* Elimination half-life 2.5 h: the second (beta) phase in the US ketamine injection labels
  (``hospira2024ketamine``, ``par2026ketalar``). A study with sensitive assays in 15 healthy
  adults measured terminal half-lives of about 5 to 6 hours (``hasan2021chiral``); lesson 01
  discusses this.
* Volume of distribution 2.47 L/kg (so CL = 0.68 L/h/kg, about 11 mL/min/kg): **not taken
  from a source**. It is calibrated so that the model reproduces the mean peak plasma
  concentration of 185 ng/mL reported for the research protocol of 0.5 mg/kg given
  intravenously over 40 minutes (``zanos2018pharmacology``, Table 1, citing Zarate et al.
  2006). Volume and clearance are scaled to body weight, so with mg/kg dosing the curve does
  not change with weight; only the total dose in mg does.
* IV infusion over 40 minutes, F = 1: the research protocol for depression
  (``murrough2013rapid``, ``fava2020double``).
* IV bolus, F = 1, given over 1 minute: the label tells clinicians to give an intravenous dose
  slowly, over about 60 seconds (``par2026ketalar``).
* Intranasal, F = 0.48 and t_max = 0.5 h: values for **esketamine** nasal spray (mean absolute
  bioavailability 48%; peak 20 to 40 minutes after the last spray, the model uses the middle
  of that range) from the manufacturer's medical information (``johnsonjohnson2024measurement``).
  Racemic ketamine nasal sprays are compounded, not standardised, and have not been modelled.
* Sublingual, F = 0.29 and t_max = 0.75 h: a sublingual wafer in 8 healthy men, median
  absolute bioavailability 29% and median time to peak 0.75 h (range 0.25 to 1.0 h)
  (``rolan2014absolute``).
* Not modelled: intramuscular and swallowed oral ketamine. No bioavailability and time to peak
  for these routes could be confirmed in a source read for this lesson, so they are left out
  rather than guessed.

Limits
------
No metabolites (norketamine is active, and swallowed ketamine is extensively metabolised
before it reaches the circulation, ``hasan2021chiral``); no redistribution phase (the label
describes a fast first phase with a half-life of 10 to 15 minutes, so real concentrations fall
faster than this model shows in the first hour after an intravenous dose, and a bolus peaks
far higher); no enantiomers (esketamine values are borrowed for the nasal route); population
averages from small studies; linear kinetics assumed at every dose. It is not for individuals
and not for choosing doses: decisions belong to the treating team, the product label and
current guidelines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import numpy as np

__all__ = [
    "BANDS",
    "CLEARANCE_L_PER_H_PER_KG",
    "DOSE_MAX_MG_PER_KG",
    "ELIMINATION_RATE_PER_H",
    "HALF_LIFE_H",
    "ROUTES",
    "VOLUME_L_PER_KG",
    "WEIGHT_RANGE_KG",
    "Band",
    "Route",
    "absorption_rate_from_tmax",
    "auc",
    "concentration",
    "total_dose_mg",
    "validate_inputs",
]

NOTICE = "A population-average teaching model, not a dosing tool."

#: Beta-phase half-life in the US injection labels (hospira2024ketamine, par2026ketalar).
HALF_LIFE_H = 2.5
#: First-order elimination rate constant k = ln 2 / t_half (1/h).
ELIMINATION_RATE_PER_H = math.log(2) / HALF_LIFE_H

#: The calibration target: 0.5 mg/kg over 40 minutes gives a mean peak of 185 ng/mL
#: (zanos2018pharmacology, Table 1, citing Zarate et al. 2006).
CALIBRATION_DOSE_MG_PER_KG = 0.5
CALIBRATION_INFUSION_H = 40 / 60
CALIBRATION_PEAK_NG_PER_ML = 185.0


def _calibrated_volume() -> float:
    """V (L/kg) such that the 40-minute infusion peaks at the reported 185 ng/mL."""
    k, t = ELIMINATION_RATE_PER_H, CALIBRATION_INFUSION_H
    rate = CALIBRATION_DOSE_MG_PER_KG / t  # mg/h per kg
    peak_mg_per_l = CALIBRATION_PEAK_NG_PER_ML / 1000
    return rate * (1 - math.exp(-k * t)) / (k * peak_mg_per_l)


#: Volume of distribution (L/kg), calibrated, not measured: see the module docstring.
VOLUME_L_PER_KG = _calibrated_volume()
#: Clearance (L/h per kg) implied by the half-life and the calibrated volume.
CLEARANCE_L_PER_H_PER_KG = ELIMINATION_RATE_PER_H * VOLUME_L_PER_KG

#: Inputs the simulator accepts (a teaching range, not a safe-dose range).
DOSE_MAX_MG_PER_KG = 10.0
WEIGHT_RANGE_KG = (30.0, 250.0)


def absorption_rate_from_tmax(tmax_h: float, k: float = ELIMINATION_RATE_PER_H) -> float:
    """The absorption rate constant ``ka`` (1/h, > k) whose Bateman curve peaks at ``tmax_h``.

    Solves ``tmax = ln(ka/k) / (ka - k)`` by bisection. The right side falls from ``1/k`` (as
    ka approaches k) towards 0, so a root exists for any ``0 < tmax < 1/k``.
    """
    if not 0 < tmax_h < 1 / k:
        raise ValueError(f"time to peak must be between 0 and {1 / k:.2f} h")

    def peak_time(ka: float) -> float:
        return math.log(ka / k) / (ka - k)

    low, high = k * (1 + 1e-9), k * 2.0
    while peak_time(high) > tmax_h:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2
        if peak_time(middle) > tmax_h:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@dataclass(frozen=True)
class Route:
    """One route of administration and where its numbers come from."""

    key: str
    label: str
    bioavailability: float  # fraction reaching the circulation, 0..1
    sources: tuple[str, ...]  # BibTeX keys
    tmax_h: float | None = None  # reported time to peak (extravascular routes)
    infusion_h: float | None = None  # infusion duration (intravenous routes)
    note: str = ""

    @property
    def intravenous(self) -> bool:
        return self.infusion_h is not None

    @property
    def ka_per_h(self) -> float | None:
        """Absorption rate constant solved from the reported time to peak."""
        return None if self.tmax_h is None else absorption_rate_from_tmax(self.tmax_h)


ROUTES: dict[str, Route] = {
    route.key: route
    for route in (
        Route("iv_infusion", "IV infusion over 40 min", 1.0,
              ("murrough2013rapid", "fava2020double"), infusion_h=40 / 60,
              note="The research protocol for depression: 0.5 mg/kg over 40 minutes."),
        Route("iv_bolus", "IV bolus (over 1 min)", 1.0, ("par2026ketalar",),
              infusion_h=1 / 60,
              note="The label asks for slow injection over about 60 seconds. A one-compartment "
                   "model greatly underestimates the early peak after a bolus."),
        Route("intranasal", "Intranasal (esketamine spray values)", 0.48,
              ("johnsonjohnson2024measurement",), tmax_h=0.5,
              note="Bioavailability and time to peak of esketamine nasal spray; compounded "
                   "racemic nasal sprays are not standardised."),
        Route("sublingual", "Sublingual wafer", 0.29, ("rolan2014absolute",), tmax_h=0.75,
              note="One wafer formulation in 8 healthy men; metabolites are not modelled."),
    )
}


@dataclass(frozen=True)
class Band:
    """An approximate plasma-concentration range the literature links with an effect."""

    label: str
    low_ng_per_ml: float
    high_ng_per_ml: float
    sources: tuple[str, ...]
    note: str


#: Approximate ranges from zanos2018pharmacology, Table 1 (each a summary of older studies).
BANDS: tuple[Band, ...] = (
    Band("Analgesia (approx.)", 70, 160, ("zanos2018pharmacology",),
         "Plasma concentrations reported with analgesic doses (Table 1)."),
    Band("Dissociative effects (approx.)", 100, 250,
         ("zanos2018pharmacology", "bowdle1998psychedelic"),
         "Reported during a 0.5 mg/kg 40-minute infusion (Table 1); effects rose linearly "
         "with steady-state concentrations of 50 to 200 ng/mL in 10 volunteers (Bowdle 1998)."),
    Band("Anaesthesia (approx.)", 1200, 2400, ("zanos2018pharmacology",),
         "Peak concentrations after 1 to 2 mg/kg intravenously for general anaesthesia "
         "(Table 1)."),
)


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"The {name} must be a number.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"The {name} must be a finite number.")
    return value


def validate_inputs(route: str, dose_mg_per_kg, weight_kg) -> tuple[Route, float, float]:
    """Check the inputs and return ``(Route, dose, weight)``; raise ``ValueError`` with a
    message a learner can act on."""
    if route not in ROUTES:
        names = ", ".join(f"'{key}'" for key in ROUTES)
        raise ValueError(f"Unknown route {route!r}. Choose one of: {names}. "
                         "Intramuscular and swallowed oral ketamine are not modelled.")
    dose = _number(dose_mg_per_kg, "dose")
    weight = _number(weight_kg, "body weight")
    if dose <= 0:
        raise ValueError("The dose must be greater than 0 mg/kg.")
    if dose > DOSE_MAX_MG_PER_KG:
        raise ValueError(f"A dose above {DOSE_MAX_MG_PER_KG:g} mg/kg is outside this teaching "
                         "model. Enter a dose between 0 and 10 mg/kg.")
    low, high = WEIGHT_RANGE_KG
    if not low <= weight <= high:
        raise ValueError(f"Enter a body weight between {low:g} and {high:g} kg.")
    return ROUTES[route], dose, weight


def total_dose_mg(dose_mg_per_kg: float, weight_kg: float) -> float:
    return dose_mg_per_kg * weight_kg


def concentration(route: str, dose_mg_per_kg, weight_kg, times_h) -> np.ndarray:
    """Plasma ketamine concentration (ng/mL) at ``times_h`` (hours after dosing starts)."""
    spec, dose, weight = validate_inputs(route, dose_mg_per_kg, weight_kg)
    t = np.asarray(times_h, dtype=float)
    if np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("Times must be finite and not negative (hours after dosing).")
    k = ELIMINATION_RATE_PER_H
    volume_l = VOLUME_L_PER_KG * weight
    absorbed_mg = spec.bioavailability * total_dose_mg(dose, weight)
    if spec.intravenous:
        duration = spec.infusion_h
        rate = absorbed_mg / duration  # mg/h
        plateau = rate / (k * volume_l)  # mg/L if infused for ever
        during = plateau * (1 - np.exp(-k * np.minimum(t, duration)))
        after = np.exp(-k * np.clip(t - duration, 0, None))
        mg_per_l = during * after
    else:
        ka = spec.ka_per_h
        mg_per_l = absorbed_mg * ka / (volume_l * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))
    return mg_per_l * 1000.0  # mg/L -> ng/mL


def auc(route: str, dose_mg_per_kg, weight_kg) -> float:
    """Area under the curve to infinity, F * D / CL, in ng·h/mL."""
    spec, dose, weight = validate_inputs(route, dose_mg_per_kg, weight_kg)
    clearance = CLEARANCE_L_PER_H_PER_KG * weight
    return spec.bioavailability * total_dose_mg(dose, weight) / clearance * 1000.0
