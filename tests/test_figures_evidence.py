"""Tests for the lesson 04 figure (kapcourse.content.figures.evidence)."""

from __future__ import annotations

import re
from pathlib import Path

from matplotlib.figure import Figure

from kapcourse.content.figures import evidence

BIB = Path(__file__).resolve().parents[1] / "book" / "references.bib"


def test_key_trials_returns_a_figure_with_one_row_per_trial():
    fig = evidence.key_trials()
    assert isinstance(fig, Figure)
    ax_n, ax_t = fig.axes[:2]
    # One bar per trial in the left panel, one marker per trial in the right panel.
    assert len(ax_n.patches) == len(evidence.KEY_TRIALS)
    markers = [line for line in ax_t.lines if len(line.get_xdata()) == 1]
    assert len(markers) == len(evidence.KEY_TRIALS)
    # Bar lengths are the sample sizes, in the plotted order.
    widths = sorted(int(p.get_width()) for p in ax_n.patches)
    assert widths == sorted(t.n for t in evidence.KEY_TRIALS)


def test_axes_are_labelled_and_every_trial_is_named():
    fig = evidence.key_trials()
    ax_n, ax_t = fig.axes[:2]
    assert ax_n.get_xlabel()
    assert ax_t.get_xlabel()
    names = [t.get_text() for t in ax_n.texts]  # above each row, not in the tick labels
    for trial in evidence.KEY_TRIALS:
        assert f"{trial.label}: {trial.indication}" in names


def test_is_deterministic():
    a = evidence.key_trials()
    b = evidence.key_trials()
    wa = [p.get_width() for p in a.axes[0].patches]
    wb = [p.get_width() for p in b.axes[0].patches]
    assert wa == wb


def test_every_indication_and_direction_has_a_non_colour_cue():
    hatches = [hatch for _, hatch in evidence.INDICATION_STYLE.values()]
    # At most one indication may rely on the plain (unhatched) bar.
    assert sum(1 for h in hatches if not h) <= 1
    assert len(set(hatches)) == len(hatches)
    markers = [marker for marker, _ in evidence.DIRECTION_MARKER.values()]
    assert len(set(markers)) == len(markers)
    for trial in evidence.KEY_TRIALS:
        assert trial.indication in evidence.INDICATION_STYLE
        assert trial.direction in evidence.DIRECTION_MARKER


def test_data_are_plausible_and_cited():
    for trial in evidence.KEY_TRIALS:
        assert trial.n > 0
        assert trial.followup_days > 0
        assert trial.followup_label
    if BIB.exists():
        keys = set(re.findall(r"@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8")))
        missing = [t.source for t in evidence.KEY_TRIALS if t.source not in keys]
        assert not missing, f"figure sources missing from references.bib: {missing}"
