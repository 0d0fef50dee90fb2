"""Tests for the lesson 06 figure (kapcourse.content.figures.care_model)."""

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from kapcourse.content.figures import READ_WIDTH_IN, care_model
from kapcourse.content.figures.care_model import PHASES, ROLES, STAFFING_MODELS, phases_and_roles


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_returns_a_figure_as_wide_as_the_book_shows_it():
    fig = phases_and_roles()
    assert isinstance(fig, Figure)
    width, _ = fig.get_size_inches()
    assert width == READ_WIDTH_IN


def test_one_box_per_phase_and_arrows_between_them():
    fig = phases_and_roles()
    patches = [p for ax in fig.axes for p in ax.patches]
    phase_boxes = [p for p in patches if (p.get_gid() or "").startswith("phase-")]
    arrows = [p for p in patches if isinstance(p, FancyArrowPatch)]
    assert len(phase_boxes) == len(PHASES) == 5
    assert len(arrows) == len(PHASES) - 1


def test_phases_are_in_clinical_order_and_labelled():
    names = [name.replace("\n", " ") for name, _ in PHASES]
    assert names == [
        "Screening",
        "Informed consent",
        "Preparation",
        "Medicine session",
        "Integration",
    ]
    texts = " ".join(_texts(phases_and_roles())).replace("\n", " ")
    for i, name in enumerate(names, start=1):
        assert f"{i}. {name}" in texts


def test_grid_has_one_labelled_cell_per_model_and_phase():
    fig = phases_and_roles()
    cells = [
        p
        for ax in fig.axes
        for p in ax.patches
        if isinstance(p, FancyBboxPatch) and (p.get_gid() or "").startswith("cell-")
    ]
    assert len(cells) == len(STAFFING_MODELS) * len(PHASES)
    texts = [t.replace("\n", " ") for t in _texts(fig)]
    for label, roles, _ in STAFFING_MODELS:
        assert len(roles) == len(PHASES)
        assert label in texts
        for role in roles:
            assert role in ROLES
            assert role in texts


def test_split_model_matches_source_page_description():
    split = {label: roles for label, roles, _ in STAFFING_MODELS}["Split model"]
    # Therapist leads preparation and integration; a guide sits in the medicine session.
    assert split[2] == "Therapist"
    assert split[3] == "Guide"
    assert split[4] == "Therapist"


def test_colour_is_not_the_only_carrier_of_meaning():
    # Every role has a distinct hatch (or none for exactly one role) and a distinct colour,
    # and the legend lists every role by name.
    hatches = [h for _, h in ROLES.values()]
    colours = [c for c, _ in ROLES.values()]
    assert len(set(hatches)) == len(hatches)
    assert len(set(colours)) == len(colours)
    fig = phases_and_roles()
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == list(ROLES)


def test_deterministic():
    a = _texts(phases_and_roles())
    b = _texts(phases_and_roles())
    assert a == b
    assert phases_and_roles().get_suptitle() == care_model.TITLE
