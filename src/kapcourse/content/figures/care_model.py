"""Lesson 06 figure: the phases of psychedelic-assisted therapy and who is with the client.

`phases_and_roles()` draws the five phases as boxes joined by arrows, and below them a grid
of three staffing models showing which role leads each phase. Every cell carries its role as
text; colour and hatching only repeat that label, so the figure reads in greyscale.

Sources (BibTeX keys in book/references.bib) are given per constant. Where a cell is the
course's own recommendation rather than a published description, the comment says so.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from kapcourse.content.figures import READ_WIDTH_IN

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

#: On two lines: one would not fit the figure's width at a readable size.
TITLE = "Phases of psychedelic-assisted therapy and who leads\neach, in three staffing models"


def _one_line(text: str) -> str:
    return text.replace("\n", " ")


def phases_and_roles() -> Figure:
    """Return the phases (one row each, in order, top to bottom) with a staffing-model grid
    beside them: one column per staffing model, one cell per phase.

    Phases run down the page rather than across it, so the text keeps a readable size when
    the figure is shown at the book's width: five columns of boxes did not fit 11 pt text.
    """
    fig = Figure(figsize=(READ_WIDTH_IN, 8.2), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_axis_off()
    fig.suptitle(TITLE, fontsize=12, fontweight="bold")

    phase_w = 38.0  # left column: the phases
    left, right = 41.0, 100.0  # the staffing-model columns
    col_w = (right - left) / len(STAFFING_MODELS)
    cell_w = col_w * 0.94
    row_h, gap = 13.0, 4.0
    grid_top = 82.0

    # Column headings: each staffing model and where it comes from.
    ax.text(1, grid_top + 2, "Phase", ha="left", va="bottom", fontsize=11, fontweight="bold")
    for c, (label, _, note) in enumerate(STAFFING_MODELS):
        x = left + c * col_w + col_w / 2
        ax.text(x, grid_top + 9, textwrap.fill(label, 12), ha="center", va="bottom",
                fontsize=11, fontweight="bold")
        ax.text(x, grid_top + 8.5, textwrap.fill(note, 14), ha="center", va="top",
                fontsize=11, style="italic")

    for i, (name, what) in enumerate(PHASES):
        y0 = grid_top - (i + 1) * row_h - i * gap
        ax.add_patch(FancyBboxPatch((1, y0), phase_w - 2, row_h, gid=f"phase-{i}",
                                    boxstyle="round,pad=0.4,rounding_size=1.5",
                                    facecolor="white", edgecolor="black", linewidth=1.2))
        ax.text(3, y0 + row_h - 1.5, f"{i + 1}. {_one_line(name)}", ha="left", va="top",
                fontsize=11, fontweight="bold")
        ax.text(3, y0 + 1.5, textwrap.fill(_one_line(what), 26), ha="left", va="bottom",
                fontsize=11)
        if i < len(PHASES) - 1:
            ax.add_patch(FancyArrowPatch((phase_w / 2, y0 - 0.6), (phase_w / 2, y0 - gap + 0.6),
                                         arrowstyle="-|>", mutation_scale=12, color="black",
                                         linewidth=1.2, gid=f"arrow-{i}"))
        for c, (_, roles, _) in enumerate(STAFFING_MODELS):
            role = roles[i]
            colour, hatch = ROLES[role]
            x0 = left + c * col_w + (col_w - cell_w) / 2
            ax.add_patch(FancyBboxPatch((x0, y0), cell_w, row_h, boxstyle="square,pad=0.2",
                                        facecolor=colour, edgecolor="black", hatch=hatch,
                                        linewidth=0.8, alpha=0.85, gid=f"cell-{i}-{c}"))
            ax.text(x0 + cell_w / 2, y0 + row_h / 2, role.replace(" + ", " +\n"), ha="center",
                    va="center", fontsize=11, fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                          "edgecolor": "none", "alpha": 0.9})

    handles = [Patch(facecolor=colour, edgecolor="black", hatch=hatch, label=role)
               for role, (colour, hatch) in ROLES.items()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=3,
              fontsize=11, frameon=False, title="Role (also written in each cell)",
              title_fontsize=11)
    return fig
