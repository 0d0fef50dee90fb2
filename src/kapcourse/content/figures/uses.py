"""Figures for lesson 02, "What is ketamine used for?".

Every plotted event is a named constant below, with its date, a short label, its kind
(regulatory decision or landmark study/guideline) and the BibTeX key of the source in
``book/references.bib`` that confirms it. Only dates confirmed in those sources are used;
where a source gives only a month, the event is placed on the 1st of that month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matplotlib.figure import Figure

from kapcourse.content.figures import READ_WIDTH_IN

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

# Okabe-Ito colour-blind-safe palette; kind is also carried by marker shape, side and legend.
STYLE = {
    REGULATORY: {"color": "#0072B2", "marker": "s", "side": -1},  # blue squares, left
    EVIDENCE: {"color": "#D55E00", "marker": "o", "side": 1},  # vermillion circles, right
}
BREAK_YEAR = 2010  # the axis jumps from the early events to 2010 (gap marked on the axis)
EARLY_ANCHOR = 1985  # the latest early event; it is drawn just before the break
EARLY_SCALE = 0.2  # before the break, one year takes 0.2 of the height of a later year
#: Height of one label (date and two lines of 11 pt text), in axis years at this figure's size.
LABEL_HEIGHT = 1.95
LABEL_X = 0.35  # how far from the time line the labels start, in axis units


def _position(date: dt.date) -> float:
    """Decimal year; events before BREAK_YEAR are compressed into the space before the break."""
    year = date.year + (date.timetuple().tm_yday - 1) / 365.25
    if date.year >= BREAK_YEAR:
        return year
    return BREAK_YEAR - 2.2 - (EARLY_ANCHOR - year) * EARLY_SCALE


def _label_positions(positions: list[float]) -> list[float]:
    """Where each label of one side goes: at its event, or pushed later in time just far
    enough not to overlap the label before it (positions must be in date order)."""
    placed: list[float] = []
    for y in positions:
        placed.append(max(y, placed[-1] + LABEL_HEIGHT) if placed else y)
    return placed


def approvals_timeline(events: tuple[Event, ...] = EVENTS) -> Figure:
    """Timeline of regulatory decisions (left) and landmark studies and guidelines (right).

    Time runs down the page, so every label has the figure's half width and stays readable
    when the figure is narrow; a label pushed away from its date is joined to it by a line.
    """
    fig = Figure(figsize=(READ_WIDTH_IN, 8.6), layout="constrained")
    ax = fig.add_subplot()
    ax.axvline(0, color="#555555", linewidth=1.2, zorder=1)
    for kind, style in STYLE.items():
        own = [e for e in events if e.kind == kind]
        ys = [_position(e.date) for e in own]
        side = style["side"]
        for event, y, label_y in zip(own, ys, _label_positions(ys), strict=True):
            ax.plot([0, side * LABEL_X * 0.8], [y, label_y], color=style["color"],
                    linewidth=1, linestyle=":", zorder=1)
            ax.plot([0], [y], linestyle="none", marker=style["marker"], markersize=9,
                    color=style["color"], markeredgecolor="black", zorder=3, label=event.kind)
            when = (str(event.date.year) if event.precision == "year"
                    else event.date.strftime("%b %Y"))
            ax.text(side * LABEL_X, label_y, f"{when}\n{event.label}", fontsize=11,
                    ha="left" if side > 0 else "right", va="center",
                    fontweight="normal", linespacing=1.15)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    # Bottom right: after the last study, so no label is there.
    ax.legend(unique.values(), unique.keys(), loc="lower right", fontsize=11, frameon=False)
    early = sorted({e.date.year for e in events if e.date.year < BREAK_YEAR})
    late = list(range(2012, 2027, 2))
    ticks = [_position(dt.date(y, 1, 1)) for y in early] + late
    ax.set_yticks(ticks, [str(y) for y in early] + [str(y) for y in late], fontsize=11)
    ax.axhspan(BREAK_YEAR - 0.9, BREAK_YEAR - 0.3, xmin=0.3, xmax=0.7, color="#DDDDDD", zorder=0)
    ax.text(LABEL_X, BREAK_YEAR - 0.6, "gap: 1985 to 2010", ha="left", va="center",
            fontsize=11, color="#444444")
    ax.set_ylim(2027.5, min(ticks) - 1.5)  # time runs down the page
    ax.set_xlim(-3.6, 3.6)
    ax.set_xticks([])
    ax.set_title("Ketamine and esketamine:\nregulatory decisions and landmark evidence",
                 fontsize=12)
    ax.set_ylabel("Year (time runs down; compressed before 1985, broken 1985-2010)",
                  fontsize=11)
    for side in ("right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    return fig
