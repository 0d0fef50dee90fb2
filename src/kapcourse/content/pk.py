"""A two-compartment pharmacokinetic teaching model of ketamine (lesson 03).

A population-average teaching model, not a dosing tool. It shows how the *route* changes the
shape of the plasma-concentration curve; it does not predict any person's concentrations.
Every number the model uses lives in this module (and :func:`parameters` returns them all as
plain data that can be written to JSON), so the lesson, its figures, its tests and any other
view of the simulator share one source.

Why two compartments
--------------------
Release 0.2.0 used one compartment with its volume calibrated so that the research infusion
(0.5 mg/kg over 40 minutes) peaked at the reported 185 ng/mL. That forced a clearance of
0.68 L/h per kg, about half the measured value, so the modelled concentration stayed in the
"dissociative" range for almost 3 hours, whereas the trials found dissociation only at the
40-minute rating (clinical review 2026-12, finding F1). With the measured clearance, a single
compartment cannot also reproduce the early peak: ketamine first spreads from the blood into
the tissues (the fast "alpha" phase the label describes) and then is cleared more slowly (the
"beta" phase). Two compartments are the smallest model that has both.

Equations
---------
A central compartment (blood and well-perfused tissue, volume ``V1``) exchanges ketamine with a
peripheral compartment; elimination is from the central compartment. Rate constants ``k10``
(elimination), ``k12`` and ``k21`` (1/h). After a unit dose into the central compartment the
concentration is the sum of two exponentials::

    h(t) = (c_alpha * exp(-alpha t) + c_beta * exp(-beta t)) / V1
    c_alpha = (alpha - k21) / (alpha - beta),   c_beta = (k21 - beta) / (alpha - beta)

* Intravenous routes: a zero-order infusion at rate ``R = D / T`` for ``T`` hours (a bolus is a
  1-minute infusion)::

      C(t) = R / V1 * sum_i c_i / lambda_i * (1 - exp(-lambda_i * min(t, T)))
                                          * exp(-lambda_i * max(t - T, 0))

* Extravascular routes: first-order absorption (rate constant ``ka``) of the absorbed dose
  ``F * D``::

      C(t) = F * D * ka / V1 * sum_i c_i * (exp(-lambda_i t) - exp(-ka t)) / (ka - lambda_i)

  ``ka`` is not measured directly in the sources: it is solved so that the curve peaks at the
  reported time to peak.

Integrated to infinity, every route gives ``AUC = F * D / CL`` (used by the tests).

The four published numbers that fix the disposition
---------------------------------------------------
A two-compartment model has four disposition parameters. The model takes four published
numbers and derives ``V1``, ``k10``, ``k12`` and ``k21`` from them exactly (see
:meth:`Disposition.micro_constants`):

* Clearance 79 L/h and volume of distribution 252 L, both per 70 kg: the weighted means of a
  meta-analysis of 18 pharmacokinetic studies (``kamp2020ketamine``). The volume is used as the
  steady-state volume.
* Half-life of the fast first (alpha) phase 10 minutes, the low end of the 10 to 15 minutes in
  the US injection label; with the low end a 2 mg/kg bolus reaches the 1,200 to 2,400 ng/mL
  measured after anaesthetic doses (``zanos2018pharmacology``, Table 1), with 15 minutes it
  would not.
* Half-life of the second (beta) phase 2.5 hours, from the same label (``par2026ketalar``,
  ``hospira2024ketamine``).

Published points the model is tested against (``tests/test_pk_published.py``)
-----------------------------------------------------------------------------
* Mean peak of 185 ng/mL at the end of 0.5 mg/kg over 40 minutes (``zanos2018pharmacology``,
  Table 1, citing Zarate et al. 2006): the model gives about 175 ng/mL.
* 10 mg intravenously gave an AUC of 113 ug.h/L (clearance about 88 L/h) in a 2022 study
  (``pmc9118341table6``); the metabolic clearances measured in 15 healthy adults were about 1.5
  to 1.6 L/min, that is 92 to 97 L/h (``hasan2021chiral``). The model's clearance is 79 L/h
  at 70 kg.
* Dissociation after the 40-minute infusion was significantly greater than after placebo only
  at the 40-minute rating, not at 80, 110 or 230 minutes (``diazgranados2010randomized``);
  the model's concentration is below 100 ng/mL (the lower edge of the dissociative band) by
  the 80-minute rating.

Routes
------
* IV infusion over 40 minutes, F = 1: the research protocol for depression
  (``murrough2013rapid``, ``fava2020double``).
* IV bolus, F = 1, given over 1 minute: the label asks for slow injection over about 60
  seconds (``par2026ketalar``).
* Esketamine nasal spray values, F = 0.48 and t_max = 0.5 h (middle of 20 to 40 minutes)
  (``johnsonjohnson2024measurement``), applied to racemic kinetics.
* Racemic ketamine nasal spray, F = 0.13 and t_max = 16 minutes: the geometric-mean absolute
  bioavailability was 17%, 13% and 11% after 10, 30 and 50 mg and the time to peak 23, 14 and
  16 minutes (``pmc9118341table6``); the model takes the middle values.
* Sublingual wafer, F = 0.29 and t_max = 0.75 h (median, 8 healthy men) (``rolan2014absolute``).
* Not modelled: intramuscular and swallowed oral ketamine. No bioavailability with a time to
  peak for these routes could be confirmed in a source read for this lesson.

Limits
------
No metabolites (norketamine is active, and swallowed or absorbed-in-the-gut ketamine is
extensively metabolised, ``hasan2021chiral``); no third, slow compartment (a study with
sensitive assays found terminal half-lives of about 5 to 6 hours, ``hasan2021chiral``, so
very low levels linger longer than drawn); no fast mixing in the first minutes after a bolus;
no enantiomers (esketamine values are borrowed for one nasal route); population averages from
small studies; linear kinetics at every dose. It is not for individuals and not for choosing
doses: decisions belong to the treating team, the product label and current guidelines.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from numbers import Real

import numpy as np

__all__ = [
    "BANDS",
    "CLEARANCE_L_PER_H_PER_KG",
    "DISPOSITION",
    "DISSOCIATION_RATINGS",
    "DISSOCIATION_SOURCES",
    "DOSE_MAX_MG_PER_KG",
    "NOTICE",
    "ROUTES",
    "WEIGHT_RANGE_KG",
    "Band",
    "Disposition",
    "Rating",
    "Route",
    "absorption_rate_from_tmax",
    "auc",
    "concentration",
    "parameters",
    "parameters_json",
    "total_dose_mg",
    "validate_inputs",
]

NOTICE = "A population-average teaching model, not a dosing tool."


@dataclass(frozen=True)
class Disposition:
    """How the body distributes and clears ketamine, from four published numbers."""

    clearance_l_per_h_per_kg: float
    volume_ss_l_per_kg: float
    alpha_half_life_h: float
    beta_half_life_h: float
    sources: tuple[str, ...]

    @property
    def alpha(self) -> float:
        return math.log(2) / self.alpha_half_life_h

    @property
    def beta(self) -> float:
        return math.log(2) / self.beta_half_life_h

    def micro_constants(self) -> dict[str, float]:
        """V1 (L/kg) and k10, k12, k21 (1/h) that reproduce CL, Vss, alpha and beta exactly.

        From CL = V1 k10, alpha beta = k10 k21, alpha + beta = k10 + k12 + k21 and
        Vss = V1 (1 + k12 / k21) it follows that V1 = CL^2 / (CL (alpha + beta) - alpha beta
        Vss). Written out because it is four lines of algebra, not worth a solver.
        """
        cl, vss, a, b = (self.clearance_l_per_h_per_kg, self.volume_ss_l_per_kg,
                         self.alpha, self.beta)
        denominator = cl * (a + b) - a * b * vss
        if denominator <= 0:
            raise ValueError("These disposition numbers do not fit a two-compartment model.")
        v1 = cl**2 / denominator
        k10 = cl / v1
        k21 = a * b / k10
        k12 = a + b - k10 - k21
        if not (v1 < vss and k12 > 0 and k21 > 0):
            raise ValueError("These disposition numbers do not fit a two-compartment model.")
        return {"v1_l_per_kg": v1, "k10_per_h": k10, "k12_per_h": k12, "k21_per_h": k21}

    def exponentials(self) -> tuple[tuple[float, float], ...]:
        """``((lambda, c), ...)`` for the unit-dose response h(t) = sum c exp(-lambda t) / V1."""
        k21 = self.micro_constants()["k21_per_h"]
        a, b = self.alpha, self.beta
        return ((a, (a - k21) / (a - b)), (b, (k21 - b) / (a - b)))


#: The model's disposition: clearance and volume from kamp2020ketamine (per 70 kg), the two
#: half-lives from the US injection label. See the module docstring.
DISPOSITION = Disposition(
    clearance_l_per_h_per_kg=79 / 70,
    volume_ss_l_per_kg=252 / 70,
    alpha_half_life_h=10 / 60,
    beta_half_life_h=2.5,
    sources=("kamp2020ketamine", "par2026ketalar", "hospira2024ketamine"),
)
CLEARANCE_L_PER_H_PER_KG = DISPOSITION.clearance_l_per_h_per_kg

#: Inputs the simulator accepts (a teaching range, not a safe-dose range).
DOSE_MAX_MG_PER_KG = 10.0
WEIGHT_RANGE_KG = (30.0, 250.0)


def _absorption_curve(t: np.ndarray, ka: float, disposition: Disposition) -> np.ndarray:
    """Concentration (per unit absorbed dose per L/kg of V1 scale) after first-order input."""
    total = np.zeros_like(t, dtype=float)
    for rate, weight in disposition.exponentials():
        total += weight * (np.exp(-rate * t) - np.exp(-ka * t)) / (ka - rate)
    return ka * total


def _peak_time(ka: float, disposition: Disposition) -> float:
    """Time of the maximum of the absorption curve (bisection on its derivative)."""

    def slope(t: float) -> float:
        return sum(weight * (ka * math.exp(-ka * t) - rate * math.exp(-rate * t)) / (ka - rate)
                   for rate, weight in disposition.exponentials())

    low, high = 1e-9, 48.0  # the curve rises at t = 0 and falls well before 48 h
    for _ in range(60):
        middle = (low + high) / 2
        if slope(middle) > 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def absorption_rate_from_tmax(tmax_h: float, disposition: Disposition | None = None) -> float:
    """The absorption rate constant ``ka`` (1/h) whose curve peaks at ``tmax_h``.

    The peak comes earlier as ``ka`` grows, so a bisection on ``ka`` (on a log scale) finds
    it. Hand-written because it is a dozen lines and the project does not depend on SciPy.
    """
    disposition = disposition or DISPOSITION
    if not 0 < tmax_h < 12:
        raise ValueError("time to peak must be between 0 and 12 h")
    low, high = math.log(1e-3), math.log(1e4)
    for _ in range(60):
        middle = (low + high) / 2
        if _peak_time(math.exp(middle), disposition) > tmax_h:
            low = middle
        else:
            high = middle
    return math.exp((low + high) / 2)


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
        return None if self.tmax_h is None else _ka_cache(self.tmax_h)


_KA: dict[float, float] = {}


def _ka_cache(tmax_h: float) -> float:
    # The solve takes a few milliseconds; the simulator redraws often, so remember it.
    if tmax_h not in _KA:
        _KA[tmax_h] = absorption_rate_from_tmax(tmax_h)
    return _KA[tmax_h]


ROUTES: dict[str, Route] = {
    route.key: route
    for route in (
        Route("iv_infusion", "IV infusion over 40 min", 1.0,
              ("murrough2013rapid", "fava2020double"), infusion_h=40 / 60,
              note="The research protocol for depression: 0.5 mg/kg over 40 minutes."),
        Route("iv_bolus", "IV bolus (over 1 min)", 1.0, ("par2026ketalar",),
              infusion_h=1 / 60,
              note="The label asks for slow injection over about 60 seconds. The model has no "
                   "fast mixing phase, so the first minutes after a bolus are uncertain."),
        Route("intranasal_esketamine", "Nasal spray (esketamine values)", 0.48,
              ("johnsonjohnson2024measurement",), tmax_h=0.5,
              note="Bioavailability and time to peak of esketamine nasal spray, applied to "
                   "racemic ketamine's kinetics."),
        Route("intranasal_racemic", "Nasal spray (racemic, measured)", 0.13,
              ("pmc9118341table6",), tmax_h=16 / 60,
              note="Racemic ketamine spray in one 2022 study: bioavailability 11% to 17%. "
                   "Compounded sprays are not standardised."),
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


@dataclass(frozen=True)
class Rating:
    """One rating time after the start of the 0.5 mg/kg 40-minute infusion in a trial."""

    minutes: float
    dissociation_above_placebo: bool


#: Measured course of dissociation after the research infusion: ratings at 40, 80, 110 and
#: 230 minutes; dissociative symptoms only at the 40-minute rating
#: (diazgranados2010randomized, 18 people with bipolar depression, placebo-controlled).
DISSOCIATION_RATINGS: tuple[Rating, ...] = (
    Rating(40, True), Rating(80, False), Rating(110, False), Rating(230, False))
DISSOCIATION_SOURCES = ("diazgranados2010randomized",)


def parameters() -> dict:
    """Every number the model uses, with its sources, as plain JSON-ready data."""
    return {
        "notice": NOTICE,
        "disposition": {**asdict(DISPOSITION), "sources": list(DISPOSITION.sources),
                        "derived": DISPOSITION.micro_constants()},
        "routes": {key: {**asdict(route), "sources": list(route.sources),
                         "ka_per_h": route.ka_per_h}
                   for key, route in ROUTES.items()},
        "bands": [{**asdict(band), "sources": list(band.sources)} for band in BANDS],
        "observations": {"dissociation_ratings": [asdict(r) for r in DISSOCIATION_RATINGS],
                         "sources": list(DISSOCIATION_SOURCES)},
        "inputs": {"dose_max_mg_per_kg": DOSE_MAX_MG_PER_KG,
                   "weight_range_kg": list(WEIGHT_RANGE_KG)},
    }


def parameters_json(indent: int | None = 2) -> str:
    """:func:`parameters` serialised as JSON (for a kernel-free view of the simulator)."""
    return json.dumps(parameters(), indent=indent)


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
    v1_l = DISPOSITION.micro_constants()["v1_l_per_kg"] * weight
    absorbed_mg = spec.bioavailability * total_dose_mg(dose, weight)
    if spec.intravenous:
        duration = spec.infusion_h
        rate = absorbed_mg / duration  # mg/h
        mg_per_l = np.zeros_like(t, dtype=float)
        for lam, weight_i in DISPOSITION.exponentials():
            build_up = (1 - np.exp(-lam * np.minimum(t, duration))) / lam
            mg_per_l += weight_i * build_up * np.exp(-lam * np.clip(t - duration, 0, None))
        mg_per_l *= rate / v1_l
    else:
        mg_per_l = absorbed_mg / v1_l * _absorption_curve(t, spec.ka_per_h, DISPOSITION)
    return mg_per_l * 1000.0  # mg/L -> ng/mL


def auc(route: str, dose_mg_per_kg, weight_kg) -> float:
    """Area under the curve to infinity, F * D / CL, in ng·h/mL."""
    spec, dose, weight = validate_inputs(route, dose_mg_per_kg, weight_kg)
    clearance = CLEARANCE_L_PER_H_PER_KG * weight
    return spec.bioavailability * total_dose_mg(dose, weight) / clearance * 1000.0
