"""Lesson 06 figure: the phases of psychedelic-assisted therapy and who is with the client.

`phases_and_roles()` draws the five phases as boxes joined by arrows, and below them a grid
of three staffing models showing which role leads each phase. Every cell carries its role as
text; colour and hatching only repeat that label, so the figure reads in greyscale.

Sources (BibTeX keys in book/references.bib) are given per constant. Where a cell is the
course's own recommendation rather than a published description, the comment says so.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

# The five phases, in order, with a short description of what happens in each.
PHASES: tuple[tuple[str, str], ...] = (
    # Medical and psychological eligibility; exclusion of personal or family history of
    # psychotic disorders (johnson2008human); eligibility checked medically and
    # psychologically (maps2021code).
    ("Screening", "medical and\npsychological\neligibility"),
    # Consent is given in an ordinary state, before any dose; written consent (including to
    # touch) completed before the session (oregon2025psilocybin; mcherron2025ethical).
    ("Informed\nconsent", "risks, options,\ntouch agreed\nbefore any dose"),
    # Rapport, intentions, what to expect (johnson2008human; krupitsky2002ketamine).
    ("Preparation", "rapport, set,\nintentions,\nwhat to expect"),
    # The dose is given; the client is supported and monitored (johnson2008human;
    # krupitsky2002ketamine).
    ("Medicine\nsession", "dose given;\nsupport and\nmonitoring"),
    # Post-session psychotherapy to carry insights into everyday life
    # (krupitsky2002ketamine).
    ("Integration", "make sense of\nthe experience;\napply it"),
)

# Roles: label -> (Okabe-Ito colour, hatch). The text label in each cell carries the meaning.
ROLES: dict[str, tuple[str, str]] = {
    "Prescriber + therapist": ("#E69F00", "//"),  # Okabe-Ito orange
    "Therapist": ("#56B4E9", ""),  # Okabe-Ito sky blue, no hatch
    "Guide": ("#009E73", "xx"),  # Okabe-Ito bluish green
    "Two monitors": ("#CC79A7", ".."),  # Okabe-Ito reddish purple
    "Study team": ("#F0E442", "\\\\"),  # Okabe-Ito yellow, back-slash hatch
}

# Staffing models: (row label, one role per phase, source note shown under the row label).
STAFFING_MODELS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "Therapist present",
        # Screening and consent by prescriber + therapist: course recommendation (not taken
        # from the cited trial). Preparation, session support and post-session integration by
        # the psychotherapist: krupitsky2002ketamine.
        ("Prescriber + therapist", "Prescriber + therapist", "Therapist", "Therapist", "Therapist"),
        "e.g. Krupitsky 2002",
    ),
    (
        "Research setting",
        # Screening and consent: course recommendation. Trust and rapport between the session
        # monitors and the volunteer before the session, careful preparation, at least two
        # monitors during the session, investigators' follow-up contact: johnson2008human.
        (
            "Prescriber + therapist",
            "Prescriber + therapist",
            "Two monitors",
            "Two monitors",
            "Study team",
        ),
        "Johnson 2008 guidelines",
    ),
    (
        "Split model",
        # The seed marketing page: therapist leads preparation and integration, a guide sits
        # with the client during the session. Screening and consent: course recommendation.
        ("Prescriber + therapist", "Prescriber + therapist", "Therapist", "Guide", "Therapist"),
        "the course's source page",
    ),
)

TITLE = "Phases of psychedelic-assisted therapy and who leads each, in three staffing models"


def phases_and_roles() -> Figure:
    """Return the phases diagram with a staffing-model grid underneath."""
    fig = Figure(figsize=(8, 5.6))
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.93))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_axis_off()
    fig.suptitle(TITLE, fontsize=11, fontweight="bold")

    n = len(PHASES)
    left, right = 19.0, 99.0  # leave the left margin for row labels
    col_w = (right - left) / n
    box_w = col_w * 0.84

    # Top band: phase boxes joined by arrows.
    top_y, top_h = 71.0, 24.0
    for i, (name, what) in enumerate(PHASES):
        x0 = left + i * col_w + (col_w - box_w) / 2
        ax.add_patch(
            FancyBboxPatch(
                (x0, top_y),
                box_w,
                top_h,
                boxstyle="round,pad=0.4,rounding_size=1.5",
                facecolor="white",
                edgecolor="black",
                linewidth=1.2,
                gid=f"phase-{i}",
            )
        )
        ax.text(
            x0 + box_w / 2,
            top_y + top_h - 3,
            f"{i + 1}. {name}",
            ha="center",
            va="top",
            fontsize=9,
            fontweight="bold",
        )
        ax.text(x0 + box_w / 2, top_y + 3, what, ha="center", va="bottom", fontsize=8)
        if i < n - 1:
            ax.add_patch(
                FancyArrowPatch(
                    (x0 + box_w + 0.4, top_y + top_h / 2),
                    (x0 + col_w - 0.4, top_y + top_h / 2),
                    arrowstyle="-|>",
                    mutation_scale=12,
                    color="black",
                    linewidth=1.2,
                    gid=f"arrow-{i}",
                )
            )
    ax.text(1, top_y + top_h / 2, "Phase", ha="left", va="center", fontsize=9, fontweight="bold")

    # Lower band: one row per staffing model, one cell per phase.
    row_h, gap = 15.0, 2.5
    grid_top = 65.0
    ax.text(
        1,
        grid_top + 3,
        "Who leads, by staffing model",
        ha="left",
        va="bottom",
        fontsize=9,
        fontweight="bold",
    )
    for r, (label, roles, note) in enumerate(STAFFING_MODELS):
        y0 = grid_top - (r + 1) * row_h - r * gap + gap
        ax.text(
            1, y0 + row_h / 2 + 1.5, label, ha="left", va="center", fontsize=9, fontweight="bold"
        )
        ax.text(1, y0 + row_h / 2 - 3.0, note, ha="left", va="center", fontsize=7.5, style="italic")
        for c, role in enumerate(roles):
            colour, hatch = ROLES[role]
            x0 = left + c * col_w + (col_w - box_w) / 2
            ax.add_patch(
                FancyBboxPatch(
                    (x0, y0),
                    box_w,
                    row_h - 1,
                    boxstyle="square,pad=0.2",
                    facecolor=colour,
                    edgecolor="black",
                    hatch=hatch,
                    linewidth=0.8,
                    alpha=0.85,
                    gid=f"cell-{r}-{c}",
                )
            )
            ax.text(
                x0 + box_w / 2,
                y0 + (row_h - 1) / 2,
                role.replace(" + ", " +\n"),
                ha="center",
                va="center",
                fontsize=8,
                fontweight="bold",
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.9,
                },
            )

    handles = [
        Patch(facecolor=colour, edgecolor="black", hatch=hatch, label=role)
        for role, (colour, hatch) in ROLES.items()
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=len(ROLES),
        fontsize=8,
        frameon=False,
        title="Role (also written in each cell)",
        title_fontsize=8,
    )
    return fig
