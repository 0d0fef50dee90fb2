"""Figures for lesson 04: the key randomised trials of ketamine and esketamine, by indication.

The figure shows design facts that *are* comparable across trials (how many people were
randomised, how long the main outcome was followed, and whether the main result favoured
ketamine). It never pools or averages results across trials: the trials differ in
population, dose, route, control condition and outcome measure.

Every value below is taken from the abstract of the source named by its BibTeX key in
``book/references.bib``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from kapcourse.content.figures import READ_WIDTH_IN

# Okabe-Ito colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

# Direction of the main (primary) result compared with the trial's own control condition.
BETTER = "better than control"
MIXED = "mixed (one primary outcome better, one not)"
NO_DIFFERENCE = "no difference from control"
# ELEKT-D compared ketamine with an active, effective treatment (ECT) and was designed to test
# non-inferiority, so "better than control" would misstate what it was built to show.
NON_INFERIOR = "not worse than an active treatment (ECT)"


@dataclass(frozen=True)
class Trial:
    """One randomised trial as plotted: design facts only, no effect sizes."""

    label: str  # short name shown on the axis
    indication: str  # the condition studied
    n: int  # participants randomised (or analysed, see comment)
    followup_days: float  # how long the main outcome was followed, in days
    followup_label: str  # the same time as the source states it
    direction: str  # BETTER, MIXED or NO_DIFFERENCE
    source: str  # BibTeX key in book/references.bib


KEY_TRIALS: tuple[Trial, ...] = (
    # 73 randomised 2:1 to one IV ketamine or one midazolam infusion; primary outcome at 24 h.
    Trial("Murrough 2013", "Treatment-resistant depression",
          73, 1, "24 hours", BETTER, "murrough2013antidepressant"),
    # 403 randomised (200 ketamine, 203 ECT); primary outcome: response at the end of the
    # 3-week treatment phase; open-label non-inferiority trial.
    Trial("ELEKT-D 2023", "Treatment-resistant depression",
          403, 3 * 7, "3 weeks", NON_INFERIOR, "anand2023ketamine"),
    # 676 randomised (336 esketamine, 340 quetiapine XR); primary outcome: remission at week 8
    # (no relapse through week 32 was a key secondary outcome).
    Trial("ESCAPE-TRD 2023 (esketamine)", "Treatment-resistant depression",
          676, 8 * 7, "week 8", BETTER, "reif2023esketamine"),
    # 40 adults with major depressive disorder having routine surgery (treatment resistance was
    # not an entry criterion), ketamine or saline during anaesthesia; MADRS on days 1-3.
    Trial("Lii 2023", "Major depression (surgical patients)",
          40, 3, "days 1-3", NO_DIFFERENCE, "lii2023randomized"),
    # 18 in a crossover, on lithium or valproate; MADRS rated to day 14; better to day 3.
    Trial("Diazgranados 2010", "Bipolar depression",
          18, 14, "day 14", BETTER, "diazgranados2010randomized"),
    # 15 in a crossover replication, same design; MADRS rated to day 14; better to day 3.
    Trial("Zarate 2012", "Bipolar depression",
          15, 14, "day 14", BETTER, "zarate2012replication"),
    # 41 in a crossover, ketamine vs midazolam; primary outcome (IES-R) at 24 hours.
    Trial("Feder 2014", "PTSD",
          41, 1, "24 hours", BETTER, "feder2014efficacy"),
    # 30 randomised 1:1, six infusions over 2 weeks vs midazolam; primary outcome at 2 weeks.
    Trial("Feder 2021", "PTSD",
          30, 14, "2 weeks", BETTER, "feder2021randomized"),
    # 158 randomised, 8 twice-weekly infusions (4 weeks) then 4 weeks of follow-up.
    Trial("Abdallah 2022", "PTSD",
          158, 8 * 7, "8 weeks", NO_DIFFERENCE, "abdallah2022dose"),
    # 96 randomised to 4 arms; days abstinent better, relapse not different, at 6 months.
    Trial("KARE (Grabski 2022)", "Alcohol use disorder",
          96, 6 * 30, "6 months", MIXED, "grabski2022adjunctive"),
    # 40 randomised (17 ketamine, 23 midazolam) within motivational enhancement therapy;
    # abstinence modelled over the 21 days after the infusion.
    Trial("Dakwar 2020", "Alcohol use disorder",
          40, 21, "21 days", BETTER, "dakwar2020single"),
    # 55 randomised; one infusion within a 5-week course of mindfulness-based relapse prevention.
    Trial("Dakwar 2019", "Cocaine use disorder",
          55, 5 * 7, "5 weeks", BETTER, "dakwar2019single"),
    # 70 randomised, 2.0 vs 0.2 mg/kg IM, both with psychotherapy; abstinence over 2 years.
    Trial("Krupitsky 2002", "Opioid (heroin) use disorder",
          70, 2 * 365, "2 years", BETTER, "krupitsky2002ketamine"),
    # 59 all given one ketamine session, then randomised to two more sessions or none (no
    # non-ketamine control); abstinence at 1 year, 50% vs 22.2%.
    Trial("Krupitsky 2007", "Opioid (heroin) use disorder",
          59, 365, "1 year", BETTER, "krupitsky2007single"),
    # 15 in a crossover, ketamine vs saline; response at 1 week (first phase only).
    Trial("Rodriguez 2013", "Obsessive-compulsive disorder",
          15, 7, "1 week", BETTER, "rodriguez2013randomized"),
    # 18 in a crossover, ketamine vs saline; clinician-rated LSAS better, self-rated VAS not.
    Trial("Taylor 2018", "Social anxiety disorder",
          18, 14, "2 weeks", MIXED, "taylor2018ketamine"),
)

# One colour *and* one hatch per indication, so colour is never the only cue; the indication
# is also written in every axis label.
INDICATION_STYLE: dict[str, tuple[str, str]] = {
    "Treatment-resistant depression": (OKABE_ITO["blue"], ""),
    "Major depression (surgical patients)": (OKABE_ITO["blue"], "oo"),
    "Bipolar depression": (OKABE_ITO["sky_blue"], "//"),
    "PTSD": (OKABE_ITO["orange"], "\\\\"),
    "Alcohol use disorder": (OKABE_ITO["green"], "xx"),
    "Cocaine use disorder": (OKABE_ITO["vermillion"], ".."),
    "Opioid (heroin) use disorder": (OKABE_ITO["purple"], "--"),
    "Obsessive-compulsive disorder": (OKABE_ITO["yellow"], "++"),
    # A neutral grey: black bars would hide their black hatch.
    "Social anxiety disorder": ("#BBBBBB", "**"),
}

DIRECTION_MARKER: dict[str, tuple[str, str]] = {
    BETTER: ("o", "filled circle"),
    MIXED: ("D", "diamond"),
    NO_DIFFERENCE: ("X", "cross"),
    NON_INFERIOR: ("s", "square"),
}


def key_trials(trials: tuple[Trial, ...] = KEY_TRIALS) -> Figure:
    """Two panels, one row per trial: participants randomised, and follow-up of the main outcome.

    The marker in the right panel shows the direction of the main result against the
    trial's own control. No result is pooled across trials.
    """
    fig = Figure(figsize=(READ_WIDTH_IN, 11.5), layout="constrained")
    ax_n, ax_t = fig.subplots(1, 2, sharey=True, width_ratios=(1, 1))

    y = np.arange(len(trials))[::-1]

    for yi, trial in zip(y, trials, strict=True):
        colour, hatch = INDICATION_STYLE[trial.indication]
        # Each trial's name sits above its row across both panels, not in a column of tick
        # labels, so the bars keep the figure's width on a narrow screen.
        ax_n.text(0, yi + 0.22, f"{trial.label}: {trial.indication}", va="bottom", ha="left",
                  fontsize=11, clip_on=False, in_layout=False)
        ax_n.barh(yi, trial.n, color=colour, hatch=hatch, edgecolor="black", linewidth=0.6,
                  height=0.4)
        ax_n.text(trial.n + 12, yi, str(trial.n), va="center", fontsize=11)

        marker, _ = DIRECTION_MARKER[trial.direction]
        ax_t.hlines(yi, 0.8, trial.followup_days, color="0.6", linewidth=1)
        ax_t.plot(trial.followup_days, yi, marker=marker, markersize=9, color=colour,
                  markeredgecolor="black", linestyle="none")
        ax_t.annotate(trial.followup_label, (trial.followup_days, yi), xytext=(8, 0),
                      textcoords="offset points", va="center", fontsize=11)

    ax_n.set_yticks([])
    ax_n.set_ylim(-0.5, len(trials) - 0.1)
    ax_n.set_xlabel("Participants randomised", fontsize=11)
    ax_n.set_xlim(0, max(t.n for t in trials) * 1.15)
    ax_n.set_title("Trial size", fontsize=12)

    ax_t.patch.set_visible(False)  # its white background would hide the long trial names
    ax_t.set_xscale("log")
    ax_t.set_xlim(0.8, 4000)
    ax_t.set_xticks([1, 7, 30, 365], ["1 day", "1 wk", "1 mo", "1 yr"])
    ax_t.minorticks_off()
    ax_t.set_xlabel("Time (log scale)", fontsize=11)
    ax_t.set_title("Follow-up of the main outcome", fontsize=12)

    handles = [
        ax_t.plot([], [], marker=marker, linestyle="none", color="white",
                  markeredgecolor="black", markersize=8, label=direction)[0]
        for direction, (marker, _) in DIRECTION_MARKER.items()
    ]
    fig.legend(handles=handles, title="Marker: main result compared with the trial's own control",
               fontsize=11, title_fontsize=11, loc="outside lower center", ncols=1, frameon=False)

    for ax in (ax_n, ax_t):
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=11)

    fig.suptitle("Key randomised trials: size, follow-up and direction\nof the main result "
                 "(no numbers are pooled; each trial had its own control)", fontsize=12)
    return fig
