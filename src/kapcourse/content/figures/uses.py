"""Figures for lesson 02, "What is ketamine used for?".

Every plotted event is a named constant below, with its date, a short label, its kind
(regulatory decision or landmark study/guideline) and the BibTeX key of the source in
``book/references.bib`` that confirms it. Only dates confirmed in those sources are used;
where a source gives only a month, the event is placed on the 1st of that month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

REGULATORY = "Regulatory decision or warning"
EVIDENCE = "Landmark study or guideline"


@dataclass(frozen=True)
class Event:
    date: dt.date
    label: str
    kind: str  # REGULATORY or EVIDENCE
    cite: str  # BibTeX key in book/references.bib
    precision: str = "month"  # "year" or "month" or "day": how exactly the source dates it


# FDA label of esketamine nasal spray, header line "Initial U.S. Approval: 1970 (ketamine)"
# (year only; plotted at 1 Jan). Ketamine's first approved use was as an anaesthetic.
KETAMINE_US_1970 = Event(dt.date(1970, 1, 1), "Ketamine first approved\nin the US (anaesthetic)",
                         REGULATORY, "janssen2026spravato", precision="year")
# WHO: ketamine placed on the WHO Essential Medicines List in 1985 (year only; plotted at 1 Jan).
WHO_EML_1985 = Event(dt.date(1985, 1, 1), "WHO adds ketamine to\nEssential Medicines List",
                     REGULATORY, "who2015recommends", precision="year")
# Bloch et al., Biol Psychiatry, December 2012: open-label, 10 adults with OCD, no OCD responders.
BLOCH_OCD_2012 = Event(dt.date(2012, 12, 1), "OCD open-label trial:\n0 of 10 responded",
                       EVIDENCE, "bloch2012effects")
# Rodriguez et al., Neuropsychopharmacology, November 2013: crossover RCT, 15 adults with OCD.
RODRIGUEZ_OCD_2013 = Event(dt.date(2013, 11, 1), "OCD crossover RCT\n(n = 15)",
                           EVIDENCE, "rodriguez2013randomized")
# Newport et al., Am J Psychiatry, 2015 (month not used): meta-analysis, 7 RCTs, 147 on ketamine.
NEWPORT_META_2015 = Event(dt.date(2015, 7, 1), "Depression meta-analysis:\n7 RCTs, 147 on ketamine",
                          EVIDENCE, "newport2015ketamine", precision="year")
# WHO, December 2015: recommends against international control of ketamine.
WHO_CONTROL_2015 = Event(dt.date(2015, 12, 1), "WHO advises against\ninternational control",
                         REGULATORY, "who2015recommends")
# ASRA/AAPM/ASA consensus guidelines on IV ketamine for acute and chronic pain, July 2018.
PAIN_GUIDELINES_2018 = Event(dt.date(2018, 7, 1), "US consensus guidelines:\nacute & chronic pain",
                             EVIDENCE, "schwenk2018consensus")
# Spravato (esketamine) nasal spray approved for TRD with an oral antidepressant; first US
# marketing date of the product 5 March 2019 (openFDA NDC record); reported in JAMA, April 2019.
SPRAVATO_TRD_2019 = Event(dt.date(2019, 3, 5),
                          "Esketamine spray approved:\nTRD, with oral antidepressant",
                          REGULATORY, "jama2019new", precision="day")
# Janssen press release, 3 August 2020: MDD with acute suicidal ideation or behaviour.
SPRAVATO_MDSI_2020 = Event(dt.date(2020, 8, 3),
                           "Esketamine: MDD with acute\nsuicidal ideation/behaviour",
                           REGULATORY, "janssen2020announces", precision="day")
# FDA, 10 October 2023: warning on compounded ketamine products, including oral forms.
FDA_COMPOUNDED_2023 = Event(dt.date(2023, 10, 10), "FDA warns about\ncompounded ketamine",
                            REGULATORY, "fda2023warns", precision="day")
# Johnson & Johnson press release, 21 January 2025: Spravato approved as monotherapy for TRD.
SPRAVATO_MONO_2025 = Event(dt.date(2025, 1, 21), "Esketamine approved\nas monotherapy (TRD)",
                           REGULATORY, "johnsonjohnson2025spravato",
                           precision="day")

EVENTS: tuple[Event, ...] = (
    KETAMINE_US_1970,
    WHO_EML_1985,
    BLOCH_OCD_2012,
    RODRIGUEZ_OCD_2013,
    NEWPORT_META_2015,
    WHO_CONTROL_2015,
    PAIN_GUIDELINES_2018,
    SPRAVATO_TRD_2019,
    SPRAVATO_MDSI_2020,
    FDA_COMPOUNDED_2023,
    SPRAVATO_MONO_2025,
)

# Okabe-Ito colour-blind-safe palette; kind is also carried by marker shape, row and legend.
STYLE = {
    REGULATORY: {"color": "#0072B2", "marker": "s", "y": 1.0},  # blue squares, upper row
    EVIDENCE: {"color": "#D55E00", "marker": "o", "y": -1.0},  # vermillion circles, lower row
}
LABEL_WIDTH = 3.6  # years of axis a two-line label needs at font size 8
LEVEL_STEP = 1.6  # vertical distance between staggered label levels
BREAK_YEAR = 2010  # the axis jumps from the early events to 2010 (gap marked on the axis)
EARLY_ANCHOR = 1985  # the latest early event; it is drawn just left of the break


EARLY_SCALE = 0.2  # before the break, one year takes 0.2 of the width of a later year


def _position(date: dt.date) -> float:
    """Decimal year; events before BREAK_YEAR are compressed into the space left of the break."""
    year = date.year + (date.timetuple().tm_yday - 1) / 365.25
    if date.year >= BREAK_YEAR:
        return year
    return BREAK_YEAR - 1.2 - (EARLY_ANCHOR - year) * EARLY_SCALE


def approvals_timeline(events: tuple[Event, ...] = EVENTS) -> Figure:
    """Timeline of regulatory decisions (top row) and landmark studies/guidelines (bottom row)."""
    fig = Figure(figsize=(8, 6), layout="constrained")
    ax = fig.add_subplot()
    xs = np.array([_position(e.date) for e in events])
    ax.axhline(0, color="#555555", linewidth=1.2, zorder=1)
    # Stagger labels within each row so neighbouring labels do not overlap: each event goes
    # to the lowest level whose previous event is at least LABEL_WIDTH years to the left.
    last_x: dict[tuple[str, int], float] = {}
    for x, event in zip(xs, events, strict=True):
        style = STYLE[event.kind]
        level = 0
        while x - last_x.get((event.kind, level), -np.inf) < LABEL_WIDTH:
            level += 1
        last_x[(event.kind, level)] = x
        y = style["y"] * (1.0 + LEVEL_STEP * level)
        ax.vlines(x, 0, y, color=style["color"], linewidth=1, linestyle=":", zorder=1)
        ax.plot([x], [y], linestyle="none", marker=style["marker"], markersize=9,
                color=style["color"], markeredgecolor="black", zorder=3, label=event.kind)
        when = str(event.date.year) if event.precision == "year" else event.date.strftime("%b %Y")
        ax.annotate(f"{when}\n{event.label}", (x, y), xytext=(0, 9 if y > 0 else -9),
                    textcoords="offset points", ha="center", va="bottom" if y > 0 else "top",
                    fontsize=8)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="upper left", fontsize=9, frameon=False)
    early = sorted({e.date.year for e in events if e.date.year < BREAK_YEAR})
    late = list(range(2012, 2027, 2))
    ticks = [_position(dt.date(y, 1, 1)) for y in early] + late
    ax.set_xticks(ticks, [str(y) for y in early] + [str(y) for y in late], fontsize=9)
    ax.axvspan(BREAK_YEAR - 0.6, BREAK_YEAR - 0.2, color="#DDDDDD", zorder=0)
    ax.text(BREAK_YEAR - 0.4, 0.15, "gap", ha="center", va="bottom", fontsize=7, color="#555555")
    ax.set_xlim(min(ticks) - 1.8, 2026.5)
    ax.set_ylim(-6.2, 6.4)
    ax.set_yticks([])
    ax.set_xlabel("Year (axis compressed before 1985 and broken between 1985 and 2010)",
                  fontsize=10)
    ax.set_title("Ketamine and esketamine: regulatory decisions and landmark evidence",
                 fontsize=11)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return fig
