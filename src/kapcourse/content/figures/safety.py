"""Figures for lesson 05, "Is ketamine safe for continued use?".

Every number drawn here comes from one cited source, named by its BibTeX key in
``book/references.bib``. Nothing is pooled across studies and nothing is estimated.

- :func:`monitoring_timeline` shows when blood pressure was checked in one published IV
  ketamine protocol (``rivaposse2018blood``) next to the observation the US esketamine
  (Spravato) label requires (``janssen2026spravato``).
- :func:`urinary_symptoms` shows urinary symptoms reported by recreational ketamine users
  in one survey (``winstock2012prevalence``).
"""

from __future__ import annotations

from matplotlib.figure import Figure

from kapcourse.content.figures import READ_WIDTH_IN

# Okabe-Ito colour-blind-safe palette. Colour never carries meaning alone: every element is
# also labelled in text and drawn with its own marker shape or hatching.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

# ---------------------------------------------------------------------------------------------
# Session monitoring: IV racemic ketamine, Riva-Posse et al. 2018 (rivaposse2018blood)

RIVAPOSSE_SOURCE = "rivaposse2018blood"
#: Infusion of 0.5 mg/kg racemic ketamine ran over 40 minutes (abstract, Methods).
RIVAPOSSE_INFUSION_MINUTES = 40
#: Blood pressure was measured every 10 minutes during the infusion (abstract, Methods).
RIVAPOSSE_CHECK_EVERY_DURING = 10
#: ... and every 15 minutes after the infusion (abstract, Methods). The abstract does not give
#: how long post-infusion checks went on, so only the first three are drawn, then an arrow.
RIVAPOSSE_CHECK_EVERY_AFTER = 15
RIVAPOSSE_POST_CHECKS_DRAWN = 3
#: The largest mean rises were at 30 minutes: systolic 3.28 mmHg, diastolic 3.17 mmHg
#: (abstract, Results; 684 infusions in 66 patients).
RIVAPOSSE_PEAK_MINUTE = 30
RIVAPOSSE_PEAK_SYSTOLIC_MMHG = 3.28
RIVAPOSSE_PEAK_DIASTOLIC_MMHG = 3.17
RIVAPOSSE_INFUSIONS = 684  # number of infusions analysed (abstract)
RIVAPOSSE_PATIENTS = 66  # number of patients (abstract)

# Session monitoring: esketamine nasal spray, US label (janssen2026spravato)
SPRAVATO_SOURCE = "janssen2026spravato"
#: Label section 5.6: assess blood pressure before dosing.
SPRAVATO_PRE_DOSE_CHECK_MINUTE = 0
#: Label section 5.6: measure blood pressure around 40 minutes after the dose, then as
#: clinically warranted until values decline.
SPRAVATO_POST_DOSE_CHECK_MINUTE = 40
#: Boxed warning and sections 5.1-5.2: observe for at least 2 hours at each session, then
#: assess whether the patient is clinically stable and ready to leave.
SPRAVATO_MIN_OBSERVATION_MINUTES = 120


def _rivaposse_checks() -> tuple[list[int], list[int]]:
    """Minutes of the blood-pressure checks drawn for the IV protocol (during, after)."""
    during = list(range(RIVAPOSSE_CHECK_EVERY_DURING, RIVAPOSSE_INFUSION_MINUTES + 1,
                        RIVAPOSSE_CHECK_EVERY_DURING))
    after = [RIVAPOSSE_INFUSION_MINUTES + RIVAPOSSE_CHECK_EVERY_AFTER * k
             for k in range(1, RIVAPOSSE_POST_CHECKS_DRAWN + 1)]
    return during, after


def monitoring_timeline() -> Figure:
    """When blood pressure is checked in one IV ketamine protocol and under the Spravato label.

    Returns a Figure with one axis: minutes from the start of dosing on x, two rows on y.
    Blood-pressure checks are drawn as circles (IV protocol) or diamonds (label), the dosing
    period as a hatched bar and the minimum observation period as an open bar.
    """
    fig = Figure(figsize=(READ_WIDTH_IN, 6.6), layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    iv_y, label_y = 1.5, 0.0

    # Row 1: IV racemic ketamine, one published protocol.
    ax.barh(iv_y, RIVAPOSSE_INFUSION_MINUTES, left=0, height=0.32, color=OKABE_ITO["sky_blue"],
            hatch="///", edgecolor=OKABE_ITO["black"], label="Ketamine infusion (40 min)")
    during, after = _rivaposse_checks()
    ax.plot(during + after, [iv_y + 0.3] * (len(during) + len(after)), linestyle="none",
            marker="o", markersize=8, color=OKABE_ITO["blue"],
            label="Blood pressure check (IV protocol)")
    last = after[-1]
    ax.annotate("", xy=(last + 14, iv_y + 0.3), xytext=(last + 2, iv_y + 0.3),
                arrowprops={"arrowstyle": "->", "linestyle": "--", "color": OKABE_ITO["blue"]})
    ax.text(last + 15, iv_y + 0.3, "every 15 min\nthereafter", va="center", fontsize=11)
    ax.annotate(f"largest mean rise at {RIVAPOSSE_PEAK_MINUTE} min:\n"
                f"+{RIVAPOSSE_PEAK_SYSTOLIC_MMHG} / +{RIVAPOSSE_PEAK_DIASTOLIC_MMHG} mmHg",
                xy=(RIVAPOSSE_PEAK_MINUTE, iv_y + 0.3), xytext=(48, iv_y - 0.55), fontsize=11,
                arrowprops={"arrowstyle": "->", "color": OKABE_ITO["black"]})

    # Row 2: esketamine nasal spray, US label.
    ax.barh(label_y, SPRAVATO_MIN_OBSERVATION_MINUTES, left=0, height=0.32, color="white",
            edgecolor=OKABE_ITO["bluish_green"], linewidth=2,
            label="Observation: at least 2 hours (label)")
    ax.plot([0], [label_y], linestyle="none", marker="v", markersize=11,
            color=OKABE_ITO["orange"], markeredgecolor=OKABE_ITO["black"],
            label="Nasal spray dose (time 0)")
    ax.plot([SPRAVATO_PRE_DOSE_CHECK_MINUTE - 4, SPRAVATO_POST_DOSE_CHECK_MINUTE],
            [label_y + 0.3, label_y + 0.3], linestyle="none", marker="D", markersize=8,
            color=OKABE_ITO["vermillion"], label="Blood pressure check (label)")
    ax.text(SPRAVATO_PRE_DOSE_CHECK_MINUTE - 4, label_y - 0.25, "before\ndose", ha="center",
            va="top", fontsize=11)
    ax.text(SPRAVATO_POST_DOSE_CHECK_MINUTE, label_y - 0.25, "~40 min, then\nas warranted",
            ha="center", va="top", fontsize=11)
    ax.plot([SPRAVATO_MIN_OBSERVATION_MINUTES], [label_y], linestyle="none", marker="s",
            markersize=9, color=OKABE_ITO["reddish_purple"], markeredgecolor=OKABE_ITO["black"],
            label="Assess stability before leaving")

    # Row names above their rows, not beside them, so the time axis keeps the whole width.
    iv_label = f"IV racemic ketamine ({RIVAPOSSE_INFUSIONS} infusions, one published protocol)"
    for y, name in ((iv_y, iv_label), (label_y, "Esketamine nasal spray (US label)")):
        ax.text(-8, y + 0.5, name, ha="left", va="bottom", fontsize=11, fontweight="bold")
    ax.set_yticks([])
    ax.set_ylim(-0.85, 2.35)
    ax.set_xlim(-10, 140)
    ax.set_xlabel("Minutes from start of dosing", fontsize=12)
    ax.set_title("Blood pressure checks and observation\nduring one treatment session",
                 fontsize=13)
    ax.tick_params(axis="x", labelsize=11)
    ax.grid(axis="x", linestyle=":", linewidth=0.6)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=1,
               fontsize=11, frameon=False)
    return fig


# ---------------------------------------------------------------------------------------------
# Urinary symptoms in recreational users, Winstock et al. 2012 (winstock2012prevalence)

WINSTOCK_SOURCE = "winstock2012prevalence"
#: Online survey, November 2009 to January 2010: 3806 completed surveys (abstract).
WINSTOCK_SURVEYS = 3806
#: 1285 respondents reported ketamine use in the last year (abstract).
WINSTOCK_RECENT_USERS = 1285
#: 340 of them (26.6%) reported urinary symptoms (abstract).
WINSTOCK_WITH_SYMPTOMS = 340
WINSTOCK_WITH_SYMPTOMS_PERCENT = 26.6
#: 17% of the recent users met the survey's criteria for dependence (abstract).
WINSTOCK_DEPENDENT_PERCENT = 17.0
#: 251 users reported how their symptoms changed over time in relation to their use (abstract).
WINSTOCK_COURSE_REPORTED = 251
#: 51% of those reported improvement when they stopped using ketamine (abstract).
WINSTOCK_IMPROVED_PERCENT = 51.0
#: Eight users (reported as 3.8%) reported deterioration after stopping (abstract, as published).
WINSTOCK_WORSE_AFTER_STOPPING = 8
WINSTOCK_WORSE_PERCENT = 3.8


def urinary_symptoms() -> Figure:
    """Urinary symptoms among recreational ketamine users in one survey (Winstock 2012).

    Left panel: share of recent users reporting urinary symptoms. Right panel: what the users
    who reported the course of their symptoms said happened after stopping ketamine. Only the
    categories the abstract reports are drawn; the rest are not estimated.
    """
    fig = Figure(figsize=(READ_WIDTH_IN, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.25]})

    left.bar([0], [WINSTOCK_WITH_SYMPTOMS_PERCENT], width=0.6, color=OKABE_ITO["vermillion"],
             hatch="xx", edgecolor=OKABE_ITO["black"])
    left.text(0, WINSTOCK_WITH_SYMPTOMS_PERCENT + 3,
              f"{WINSTOCK_WITH_SYMPTOMS_PERCENT}%\n({WINSTOCK_WITH_SYMPTOMS} of "
              f"{WINSTOCK_RECENT_USERS:,})", ha="center", fontsize=11)
    left.set_xticks([0])
    left.set_xticklabels(["Urinary symptoms"], fontsize=11)
    left.set_xlim(-0.8, 0.8)
    left.set_ylim(0, 100)
    left.set_ylabel("Percent of respondents", fontsize=12)
    left.set_title(f"Users in the past year\n(n = {WINSTOCK_RECENT_USERS:,})", fontsize=12)

    labels = ["Improved after\nstopping", "Worse after\nstopping"]
    values = [WINSTOCK_IMPROVED_PERCENT, WINSTOCK_WORSE_PERCENT]
    hatches = ["..", "\\\\"]
    colours = [OKABE_ITO["bluish_green"], OKABE_ITO["orange"]]
    for x, (value, hatch, colour) in enumerate(zip(values, hatches, colours, strict=True)):
        right.bar([x], [value], width=0.6, color=colour, hatch=hatch,
                  edgecolor=OKABE_ITO["black"])
    right.text(0, WINSTOCK_IMPROVED_PERCENT + 3, f"{WINSTOCK_IMPROVED_PERCENT:.0f}%",
               ha="center", fontsize=11)
    right.text(1, WINSTOCK_WORSE_PERCENT + 3,
               f"{WINSTOCK_WORSE_PERCENT}%\n({WINSTOCK_WORSE_AFTER_STOPPING} people)",
               ha="center", fontsize=11)
    right.set_xticks([0, 1])
    right.set_xticklabels(labels, fontsize=11)
    right.set_xlim(-0.7, 1.7)
    right.set_ylim(0, 100)
    right.set_title(f"Users who described the course\n(n = {WINSTOCK_COURSE_REPORTED})",
                    fontsize=12)

    for ax in (left, right):
        ax.tick_params(labelsize=11)
    fig.suptitle("Urinary symptoms in recreational ketamine users\n(one online survey, 2009-10)",
                 fontsize=13)
    fig.supxlabel("Other outcomes were not reported as one category and are not drawn.",
                  fontsize=11)
    return fig
