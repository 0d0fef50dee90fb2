"""Figures for lesson 01 ("What is ketamine?"): a timeline of ketamine's history.

Every event's year is a named constant with the BibTeX key (in ``book/references.bib``) of
the source it was checked against. Events whose date could not be confirmed in a source are
left out rather than guessed.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kapcourse.content.figures import READ_WIDTH_IN


@dataclass(frozen=True)
class Event:
    """One dated event on the timeline."""

    year: int
    label: str
    category: str
    source: str  # BibTeX key in book/references.bib


# Categories: each has its own marker shape *and* colour, so colour is never the only cue.
DEVELOPMENT = "Development and first human use"
APPROVAL = "Approval and access"
CONTROL = "Drug control"

# ---------------------------------------------------------------------------------------------
# The dated events (year = when it happened; source = where the year was checked)

# Ketamine first synthesised by Calvin Stevens at Parke-Davis (Gao et al. 2016, introduction).
YEAR_SYNTHESIS = 1962
# First given to human volunteers by Domino and Corssen (Domino 2010; the study was
# published in 1965, which is why some reviews give 1965).
YEAR_FIRST_HUMAN = 1964
# "Initial U.S. Approval: 1970 (ketamine)" (Spravato US label highlights; Gao et al. 2016:
# "introduced into clinical practice by 1970").
YEAR_FDA_APPROVAL = 1970
# Placed on the WHO Model List of Essential Medicines (WHO 2015 statement on ketamine).
YEAR_WHO_EML = 1985
# DEA final rule placing ketamine in Schedule III: 64 FR 37673, published 13 July 1999,
# effective 12 August 1999 (DEA 1999).
YEAR_SCHEDULE_III = 1999
# WHO recommends, for the fourth time since 2006, against international control
# (WHO 2015 statement, December 2015).
YEAR_WHO_NO_CONTROL = 2015
# Esketamine nasal spray (Spravato) on the US market: openFDA NDC record for 50458-028 lists a
# marketing start date of 5 March 2019 (FDA 2026 openFDA record).
YEAR_ESKETAMINE = 2019

EVENTS: tuple[Event, ...] = (
    Event(YEAR_SYNTHESIS, "Synthesised at Parke-Davis (Calvin Stevens)", DEVELOPMENT,
          "gao2016ketamine"),
    Event(YEAR_FIRST_HUMAN, "First given to volunteers (Domino, Corssen)", DEVELOPMENT,
          "domino2010taming"),
    Event(YEAR_FDA_APPROVAL, "US FDA approval as an anaesthetic", APPROVAL,
          "janssen2026spravato"),
    Event(YEAR_WHO_EML, "On the WHO Model List of Essential Medicines", APPROVAL,
          "who2015recommends"),
    Event(YEAR_SCHEDULE_III, "Placed in US Schedule III", CONTROL, "dea1999schedules"),
    Event(YEAR_WHO_NO_CONTROL, "WHO advises against international control", CONTROL,
          "who2015recommends"),
    Event(YEAR_ESKETAMINE, "Esketamine nasal spray on the US market", APPROVAL,
          "fda2026spravato"),
)

# Okabe-Ito colour-blind-safe palette, paired with distinct marker shapes.
STYLE = {
    DEVELOPMENT: {"color": "#0072B2", "marker": "o"},  # blue, circle
    APPROVAL: {"color": "#009E73", "marker": "s"},  # bluish green, square
    CONTROL: {"color": "#D55E00", "marker": "^"},  # vermillion, triangle
}

# Label heights (in axis units) and alignment, chosen so that no two labels overlap.
_LAYOUT = {
    YEAR_SYNTHESIS: (3.2, "left"),
    YEAR_FIRST_HUMAN: (-3.2, "left"),
    YEAR_FDA_APPROVAL: (1.2, "left"),
    YEAR_WHO_EML: (-1.2, "left"),
    YEAR_SCHEDULE_III: (3.2, "left"),
    YEAR_WHO_NO_CONTROL: (-3.2, "right"),
    YEAR_ESKETAMINE: (1.2, "right"),
}

TITLE = "Ketamine: dated milestones, 1962 to 2019"
XLABEL = "Year"


def timeline() -> Figure:
    """Timeline of ketamine's development, approval, access and control.

    Each event is drawn as a marker on the time axis (``gid`` ``"event-<year>"``) with a
    stem and a text label giving the year and what happened.
    """
    fig = Figure(figsize=(READ_WIDTH_IN, 5.8), layout="constrained")
    ax = fig.add_subplot()
    first, last = EVENTS[0].year, EVENTS[-1].year
    ax.axhline(0, color="#4d4d4d", linewidth=1.5, zorder=1)
    for event in EVENTS:
        style = STYLE[event.category]
        height, align = _LAYOUT.get(event.year, (1.5, "left"))
        ax.plot([event.year, event.year], [0, height * 0.82], color="#7f7f7f", linewidth=0.8,
                zorder=1)
        ax.plot([event.year], [0], linestyle="none", markersize=10, markeredgecolor="black",
                markerfacecolor=style["color"], marker=style["marker"], zorder=3,
                gid=f"event-{event.year}")
        text = f"{event.year}\n" + "\n".join(
            textwrap.wrap(event.label, 26, break_on_hyphens=False))
        ax.text(event.year, height, text, ha=align, va="center", fontsize=11,
                gid=f"label-{event.year}",
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "white",
                      "edgecolor": style["color"], "linewidth": 1.2})
    ax.set_xlim(first - 4, last + 4)
    ax.set_ylim(-4.4, 4.4)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_xticks(range(1960, last + 5, 10))
    ax.tick_params(axis="x", labelsize=11)
    ax.set_xlabel(XLABEL, fontsize=12)
    ax.set_title(TITLE, fontsize=13)
    handles = [
        Line2D([], [], linestyle="none", marker=STYLE[name]["marker"], markersize=9,
               markerfacecolor=STYLE[name]["color"], markeredgecolor="black", label=name)
        for name in (DEVELOPMENT, APPROVAL, CONTROL)
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=11,
               frameon=False)
    return fig
