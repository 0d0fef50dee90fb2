"""Figures for lesson 03, "Ketamine experience duration": the pharmacokinetics simulator.

- :func:`routes_figure` draws the modelled plasma concentration after one dose by every route
  the model covers, for a typical adult (the pre-rendered figure of the static book).
- :func:`iv_dissociation_figure` puts the modelled concentration after the research infusion
  next to the measured course of dissociation (the rating times of a randomised trial and
  whether dissociation differed from placebo at each).
- :func:`simulator` returns an interactive view for JupyterLab: choose the route, the dose
  (mg/kg) and the body weight and the chart is redrawn. In the built book, which has no
  kernel, the same output shows a picture of the default chart.

The model, its parameters and their sources are in :mod:`kapcourse.content.pk`. The bands, drawn as
their edges, are approximate concentration ranges from one review table
(``zanos2018pharmacology``, Table 1) and one volunteer study (``bowdle1998psychedelic``); they
are labelled approximate because the effect at a given concentration differs between people
and settings.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from kapcourse.bank.course import bibliography
from kapcourse.bank.markdown import safe_url
from kapcourse.content.figures import READ_WIDTH_IN, svg_text
from kapcourse.content.pk import (
    BANDS,
    DISSOCIATION_RATINGS,
    NOTICE,
    ROUTES,
    concentration,
    parameters,
    total_dose_mg,
    validate_inputs,
)
from kapcourse.quiz.display import dual_bundle
from kapcourse.quiz.static import sources_html

# Okabe-Ito colour-blind-safe palette. Colour never carries meaning alone: every route also
# has its own line style and marker, and every band edge its own dash pattern and a text label.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

#: How each route is drawn: colour, line style, marker.
ROUTE_STYLE = {
    "iv_infusion": (OKABE_ITO["blue"], "-", "o"),
    "iv_bolus": (OKABE_ITO["vermillion"], "--", "s"),
    "intranasal_esketamine": (OKABE_ITO["bluish_green"], "-.", "^"),
    "intranasal_racemic": (OKABE_ITO["orange"], (0, (5, 1, 1, 1, 1, 1)), "v"),
    "sublingual": (OKABE_ITO["reddish_purple"], ":", "D"),
}
#: How each band's two edges are drawn (same order as kapcourse.content.pk.BANDS): colour, dashes.
#: Edges, not filled areas: the analgesia and dissociative bands overlap between 100 and
#: 160 ng/mL, and two overlapping fills made a muddy area in which neither could be read.
#: The same colours as the book's simulator (_static/kapsim.css), dark enough for text on white.
BAND_STYLE = (
    ("#0072B2", (0, (6, 3))),
    ("#A65F00", (0, (2, 2))),
    ("#555555", (0, (8, 2, 2, 2))),
)
#: Hours drawn after the start of dosing, and the sampling grid.
HOURS = 8.0
TIMES_H = np.linspace(0.0, HOURS, 961)  # every 30 seconds
#: The y axis always reaches at least this far, so the sub-anaesthetic bands stay visible.
MIN_TOP_NG_PER_ML = 300.0
DEFAULTS = {"route": "iv_infusion", "dose_mg_per_kg": 0.5, "weight_kg": 70.0}
SOURCES_NOTE = ("Bands: approximate ranges from Zanos et al. 2018 (Table 1) and Bowdle et al. "
                "1998. Model and sources: the notes under the simulator in this lesson.")
#: Characters per line of the notes under and on the charts (11 pt text, 7 inch figure).
WRAP = 78


def _short(band) -> str:
    return band.label.replace(" (approx.)", "")


def _edge_label(band) -> str:
    return (f"{_short(band).split()[0]} edges "
            f"({band.low_ng_per_ml:g}-{band.high_ng_per_ml:g} ng/mL, approx.)")


def _band_edges(ax, top: float) -> list:
    """Draw each band as its two edges, a dashed line with a label ("Analgesia from 70");
    return the bands that lie wholly above the chart. A label that would sit on another is
    left out (the legend names every band), as the book's simulator does."""
    hidden, labelled = [], []
    min_gap = top * 0.06  # about one line of 11 pt text on these charts
    for band, (colour, dashes) in zip(BANDS, BAND_STYLE, strict=True):
        if band.low_ng_per_ml >= top:
            hidden.append(band)
            continue
        edges = [(band.low_ng_per_ml, "from"), (band.high_ng_per_ml, "to")]
        for count, (value, word) in enumerate(e for e in edges if e[0] < top):
            ax.axhline(value, color=colour, linestyle=dashes, linewidth=1.6, zorder=1,
                       label=_edge_label(band)
                       if count == 0 else "_nolegend_")
            if any(abs(value - other) < min_gap for other in labelled):
                continue
            labelled.append(value)
            ax.text(HOURS * 0.985, value, f"{_short(band)} {word} {value:g}", ha="right",
                    va="bottom", fontsize=11, color=colour, zorder=3,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5})
    return hidden


def _draw(ax, route_keys: list[str], dose_mg_per_kg: float, weight_kg: float,
          highlight: str | None = None) -> float:
    """Draw the curves and band edges on ``ax``; return the top of the y axis."""
    curves = {key: concentration(key, dose_mg_per_kg, weight_kg, TIMES_H) for key in route_keys}
    peak = max(float(c.max()) for c in curves.values())
    top = max(MIN_TOP_NG_PER_ML, peak * 1.15)

    hidden = _band_edges(ax, top)
    if hidden:
        names = "; ".join(f"{_short(b)} ({b.low_ng_per_ml:g}-{b.high_ng_per_ml:g} ng/mL)"
                          for b in hidden)
        ax.text(HOURS * 0.985, top * 0.97, f"Above this chart: {names}", ha="right", va="top",
                fontsize=11, style="italic", zorder=3)

    for key, values in curves.items():
        colour, linestyle, marker = ROUTE_STYLE[key]
        emphasis = highlight is None or key == highlight
        ax.plot(TIMES_H, values, color=colour, linestyle=linestyle, marker=marker,
                markevery=60, markersize=6 if emphasis else 4,
                linewidth=2.6 if emphasis else 1.3, alpha=1.0 if emphasis else 0.7,
                label=ROUTES[key].label + (" (selected)" if key == highlight else ""), zorder=2)

    ax.set_xlim(0, HOURS)
    ax.set_ylim(0, top)
    ax.set_xticks(np.arange(0, HOURS + 0.1, 1))
    ax.set_xlabel("Hours after the start of dosing", fontsize=12)
    ax.set_ylabel("Modelled plasma ketamine (ng/mL)", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.grid(linestyle=":", linewidth=0.6)
    return top


#: Shown whenever a bolus of 1 mg/kg or more is drawn: the model's early peak is uncertain.
BOLUS_NOTE = ("After a bolus the label describes anaesthesia within 30 s of 2 mg/kg; measured "
              "peaks after 1-2 mg/kg are 1,200-2,400 ng/mL. The model has no fast mixing "
              "phase, so trust the label, not the curve, for the first minutes.")


def _bolus_note(ax, route_keys: list[str], dose_mg_per_kg: float) -> None:
    if "iv_bolus" in route_keys and dose_mg_per_kg >= 1.0:
        # Wrapped by hand: matplotlib's own wrapping only stops at the figure edge.
        ax.text(0.12, 0.86, textwrap.fill(BOLUS_NOTE, 52), transform=ax.transAxes, ha="left",
                va="top", fontsize=11, zorder=4,
                bbox={"facecolor": "white", "edgecolor": OKABE_ITO["vermillion"],
                      "alpha": 0.9, "pad": 3})


def _finish(fig: Figure, ax, title: str) -> None:
    ax.set_title(title, fontsize=13)
    # The legend and the notice go under the chart, in the constrained layout's space.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=1, fontsize=11,
              frameon=False, handlelength=2.6)
    fig.supxlabel(textwrap.fill(f"{NOTICE} {SOURCES_NOTE}", WRAP), fontsize=11,
                  ha="center")


def _chart() -> tuple[Figure, object]:
    """A figure as wide as the book shows it (figures.READ_WIDTH_IN), with one chart."""
    fig = Figure(figsize=(READ_WIDTH_IN, 7.6), layout="constrained")
    return fig, fig.add_subplot(1, 1, 1)


def routes_figure(weight_kg: float = 70, dose_mg_per_kg: float = 0.5) -> Figure:
    """Modelled plasma concentration after one dose by each modelled route (typical adult).

    Every route gets the same mg/kg dose so that only the route differs. Raises ValueError for
    inputs outside the model (see :func:`kapcourse.content.pk.validate_inputs`).
    """
    validate_inputs("iv_infusion", dose_mg_per_kg, weight_kg)
    fig, ax = _chart()
    _draw(ax, list(ROUTES), dose_mg_per_kg, weight_kg)
    total = total_dose_mg(dose_mg_per_kg, weight_kg)
    _bolus_note(ax, list(ROUTES), dose_mg_per_kg)
    _finish(fig, ax, f"One dose of {dose_mg_per_kg:g} mg/kg by {len(ROUTES)} routes "
                     f"({total:g} mg for {weight_kg:g} kg)")
    return fig


def simulator_figure(route: str, dose_mg_per_kg: float, weight_kg: float,
                     compare: bool = True) -> Figure:
    """The simulator's chart: the chosen route drawn bold, the others thin for comparison."""
    validate_inputs(route, dose_mg_per_kg, weight_kg)
    keys = list(ROUTES) if compare else [route]
    fig, ax = _chart()
    _draw(ax, keys, dose_mg_per_kg, weight_kg, highlight=route)
    _bolus_note(ax, keys, dose_mg_per_kg)
    total = total_dose_mg(dose_mg_per_kg, weight_kg)
    _finish(fig, ax, f"{ROUTES[route].label}: {dose_mg_per_kg:g} mg/kg "
                     f"({total:g} mg for {weight_kg:g} kg)")
    return fig


def iv_dissociation_figure(weight_kg: float = 70) -> Figure:
    """The research infusion: modelled concentration (top) next to when dissociation was
    measurably present in a placebo-controlled trial (bottom)."""
    validate_inputs("iv_infusion", 0.5, weight_kg)
    hours = 4.0
    times = np.linspace(0.0, hours, 481)
    values = concentration("iv_infusion", 0.5, weight_kg, times)
    fig = Figure(figsize=(READ_WIDTH_IN, 6.8), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.5]})

    band = BANDS[1]  # dissociative effects
    colour, dashes = BAND_STYLE[1]
    for value, word in ((band.low_ng_per_ml, "from"), (band.high_ng_per_ml, "to")):
        top.axhline(value, color=colour, linestyle=dashes, linewidth=1.6, zorder=1,
                    label=_edge_label(band)
                    if word == "from" else "_nolegend_")
        top.text(hours * 0.985, value, f"{_short(band)} {word} {value:g}", ha="right",
                 va="bottom", fontsize=11, color=colour, zorder=3)
    for axis in (top, bottom):
        axis.axvspan(0, 40 / 60, facecolor=to_rgba(OKABE_ITO["grey"], 0.2), linewidth=0,
                     zorder=0)
        axis.grid(linestyle=":", linewidth=0.6)
        axis.tick_params(labelsize=11)
    top.text(20 / 60, 262, "infusion", ha="center", va="bottom", fontsize=11)
    top.plot(times, values, color=OKABE_ITO["blue"], linewidth=2.6, zorder=2,
             label="Modelled plasma ketamine, 0.5 mg/kg over 40 min")
    rated = np.array([r.minutes / 60 for r in DISSOCIATION_RATINGS])
    top.plot(rated, concentration("iv_infusion", 0.5, weight_kg, rated), linestyle="none",
             marker="o", color=OKABE_ITO["black"], zorder=3, label="Rating times in the trial")
    top.set_ylim(0, 300)
    top.set_ylabel("Modelled plasma\nketamine (ng/mL)", fontsize=12)
    top.set_title("The research infusion: model and measured dissociation", fontsize=13)

    for index, rating in enumerate(DISSOCIATION_RATINGS):
        present = rating.dissociation_above_placebo
        bottom.plot(rating.minutes / 60, 0, marker="o", markersize=11, linestyle="none",
                    markerfacecolor=OKABE_ITO["vermillion"] if present else "white",
                    markeredgecolor=OKABE_ITO["black"], zorder=3)
        # Every other label sits higher: the 80- and 110-minute ratings are close together.
        bottom.text(rating.minutes / 60, 0.45 if index % 2 == 0 else 1.55,
                    f"{rating.minutes:g} min:\n{'dissociation' if present else 'none found'}",
                    ha="center", va="bottom", fontsize=11)
    bottom.set_ylim(-0.6, 3.0)
    bottom.set_yticks([])
    bottom.set_ylabel("Measured", fontsize=12)
    bottom.set_xlim(0, hours)
    bottom.set_xticks(np.arange(0, hours + 0.1, 0.5))
    bottom.set_xlabel("Hours after the start of the infusion", fontsize=12)
    # Between the band's two edges, clear of the curve and the edge labels.
    top.legend(loc="upper right", bbox_to_anchor=(1.0, 0.78), fontsize=11, handlelength=2.6)
    fig.supxlabel(textwrap.fill(
        "Measured: dissociative symptoms only at the 40-minute rating (Diazgranados et al. "
        f"2010, 18 people, placebo-controlled). {NOTICE} Model and sources: the notes under "
        "the simulator in this lesson.",
        WRAP), fontsize=11)
    return fig


def png_bytes(fig: Figure, dpi: int = 192) -> bytes:
    """The figure as PNG at twice the screen's 96 pixels per inch, so it is sharp on a 2x
    (Retina) screen; JupyterLab's simulator widget shows it at half that size."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


#: The summary reports the time at or above the lower edge of the dissociative band.
DISSOCIATIVE_LOW_NG_PER_ML = next(b.low_ng_per_ml for b in BANDS if b.label.startswith("Dissoc"))


def summary_numbers(route: str, dose_mg_per_kg: float, weight_kg: float) -> dict[str, float]:
    """Total dose, modelled peak and its time, and the minutes at or above the lower edge of
    the dissociative band, on the chart's 30-second grid (the book's kapsim.js does the same)."""
    values = concentration(route, dose_mg_per_kg, weight_kg, TIMES_H)
    index = int(values.argmax())
    step_minutes = (TIMES_H[1] - TIMES_H[0]) * 60
    return {"total_mg": total_dose_mg(dose_mg_per_kg, weight_kg),
            "peak_ng_per_ml": float(values[index]), "peak_minutes": float(TIMES_H[index] * 60),
            "minutes_at_or_above_dissociative":
                float(np.count_nonzero(values >= DISSOCIATIVE_LOW_NG_PER_ML) * step_minutes)}


def _summary(route: str, dose_mg_per_kg: float, weight_kg: float) -> str:
    numbers = summary_numbers(route, dose_mg_per_kg, weight_kg)
    spec = ROUTES[route]
    return (f"<p>Total dose: <strong>{numbers['total_mg']:.4g} mg</strong>. "
            f"Modelled peak: <strong>{numbers['peak_ng_per_ml']:.0f} ng/mL</strong> at about "
            f"<strong>{numbers['peak_minutes']:.0f} minutes</strong> after dosing starts "
            f"(bioavailability used: {spec.bioavailability:.0%}). Time at or above "
            f"{DISSOCIATIVE_LOW_NG_PER_ML:g} ng/mL (the lower edge of the dissociative band): "
            f"about <strong>{numbers['minutes_at_or_above_dissociative']:.0f} minutes</strong>.</p>"
            f"<p><em>{html.escape(spec.note)}</em></p>"
            # Author and year with a DOI link, as the quizzes show them, not BibTeX keys.
            f"{sources_html(spec.sources, bibliography())}")


def _route_references() -> dict[str, dict[str, str]]:
    """Each route source's citation ("Author (year). Title.") and its DOI or official link, so
    that the book's simulator names its sources as the quizzes do, not by BibTeX key. A link
    that is not http(s) is left out (the citation still shows, as text)."""
    references = bibliography()
    keys = sorted({key for route in ROUTES.values() for key in route.sources})
    return {key: {"text": references[key].text,
                  "url": references[key].url if safe_url(references[key].url) else ""}
            for key in keys if key in references}


def simulator_data() -> dict:
    """What the book's kernel-free simulator (_static/kapsim.js) needs: the model's numbers
    (:func:`kapcourse.content.pk.parameters`) and the chart's grid, limits and defaults."""
    return {"model": parameters(), "references": _route_references(),
            "chart": {"hours": HOURS, "samples": len(TIMES_H),
                      "min_top_ng_per_ml": MIN_TOP_NG_PER_ML, "defaults": DEFAULTS,
                      "dissociative_low_ng_per_ml": DISSOCIATIVE_LOW_NG_PER_ML}}


#: Text alternative of the default chart (the book's no-JavaScript and print view).
SIMULATOR_ALT = ("Simulator default chart: the 40-minute IV infusion of 0.5 mg/kg drawn bold, "
                 "peaking at about 175 ng/mL at 40 minutes inside the approximate dissociative "
                 "range and falling below it about 25 minutes later, with the other routes "
                 "drawn thin for comparison.")
SIMULATOR_NOTICE = ("It shows how the route changes the shape of the curve; it cannot predict "
                    "one person's levels, and it leaves out metabolites and the first minutes "
                    "of mixing after a bolus.")


#: The fallback chart's width on a wide screen (the book's figure column; it shrinks on a phone).
FALLBACK_WIDTH_PX = 672


def simulator_html() -> str:
    """The book's view: the default chart (shown without JavaScript and in print) inside the
    element that _static/kapsim.js turns into the interactive simulator. The chart is an SVG,
    sharp at any size and on any screen."""
    default = simulator_figure(DEFAULTS["route"], DEFAULTS["dose_mg_per_kg"],
                               DEFAULTS["weight_kg"])
    svg = base64.b64encode(svg_text(default).encode("utf-8")).decode("ascii")
    return (f'<div class="kapsim"><p role="note"><strong>{html.escape(NOTICE)}</strong> '
            f"{html.escape(SIMULATOR_NOTICE)}</p>"
            f'<img class="kapsim-fallback" src="data:image/svg+xml;base64,{svg}" '
            f'alt="{html.escape(SIMULATOR_ALT)}" width="{FALLBACK_WIDTH_PX}"></div>')


class PKSimulator:
    """The interactive simulator: set ``.route.value``, ``.dose.value``, ``.weight.value``.

    ``message`` shows input problems (never a traceback), ``image`` holds the chart as PNG and
    ``summary`` the total dose and modelled peak.
    """

    def __init__(self, route: str = DEFAULTS["route"],
                 dose_mg_per_kg: float = DEFAULTS["dose_mg_per_kg"],
                 weight_kg: float = DEFAULTS["weight_kg"]):
        import ipywidgets as widgets

        validate_inputs(route, dose_mg_per_kg, weight_kg)
        self.notice = widgets.HTML(
            f'<p role="note"><strong>{html.escape(NOTICE)}</strong> '
            f"{html.escape(SIMULATOR_NOTICE)}</p>")
        self.route = widgets.Dropdown(options=[(r.label, r.key) for r in ROUTES.values()],
                                      value=route, description="Route",
                                      layout={"width": "30em"}, style={"description_width": "8em"})
        self.dose = widgets.FloatText(value=dose_mg_per_kg, step=0.05, description="Dose (mg/kg)",
                                      layout={"width": "18em"}, style={"description_width": "8em"})
        self.weight = widgets.FloatText(value=weight_kg, step=1, description="Weight (kg)",
                                        layout={"width": "18em"},
                                        style={"description_width": "8em"})
        self.compare = widgets.Checkbox(value=True, description="Show the other routes",
                                        indent=False)
        self.message = widgets.HTML("")
        self.summary = widgets.HTML("")
        self.image = widgets.Image(format="png", layout={"width": "100%", "max_width": "680px"})
        for control in (self.route, self.dose, self.weight, self.compare):
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([self.notice, self.route, self.dose, self.weight,
                                    self.compare, self.message, self.image, self.summary])
        self.update()

    def update(self, change=None) -> bool:
        """Redraw for the current inputs; on bad input show a message and keep the last chart."""
        try:
            validate_inputs(self.route.value, self.dose.value, self.weight.value)
            fig = simulator_figure(self.route.value, self.dose.value, self.weight.value,
                                   self.compare.value)
        except ValueError as exc:
            self.message.value = (f'<p class="kq-warning" role="alert">⚠ {html.escape(str(exc))} '
                                  "The chart below still shows the last valid input.</p>")
            return False
        self.image.value = png_bytes(fig)
        self.summary.value = _summary(self.route.value, self.dose.value, self.weight.value)
        self.message.value = ""
        return True

    def _repr_mimebundle_(self, include=None, exclude=None):
        # JupyterLab shows the widget; the book (which drops widget views) shows the HTML,
        # which _static/kapsim.js makes interactive.
        return dual_bundle("Ketamine pharmacokinetics simulator (route, dose in mg/kg, body "
                           f"weight). {NOTICE}", simulator_html(), self.widget)


def simulator(route: str = DEFAULTS["route"], dose_mg_per_kg: float = DEFAULTS["dose_mg_per_kg"],
              weight_kg: float = DEFAULTS["weight_kg"]) -> PKSimulator:
    """An interactive pharmacokinetics simulator (widgets in JupyterLab, kapsim.js in the book)."""
    return PKSimulator(route, dose_mg_per_kg, weight_kg)
