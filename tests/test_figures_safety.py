"""Tests for the lesson 05 figures (kapcourse.content.figures.safety)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from kapcourse.content.figures import safety


def _line_by_label(ax, label):
    for line in ax.get_lines():
        if line.get_label() == label:
            return line
    raise AssertionError(f"no plotted line labelled {label!r}")


def test_monitoring_timeline_returns_labelled_figure():
    fig = safety.monitoring_timeline()
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_xlabel() == "Minutes from start of dosing"
    assert ax.get_title()
    rows = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert rows == ["IV racemic ketamine (684 infusions, one published protocol)",
                    "Esketamine nasal spray (US label)"]  # each row named above it


def test_monitoring_timeline_draws_every_iv_check_from_the_protocol():
    during, after = safety._rivaposse_checks()
    # 40-minute infusion checked every 10 minutes -> 10, 20, 30, 40
    assert during == [10, 20, 30, 40]
    assert after == [55, 70, 85]
    ax = safety.monitoring_timeline().axes[0]
    xs = list(_line_by_label(ax, "Blood pressure check (IV protocol)").get_xdata())
    assert xs == during + after
    assert safety.RIVAPOSSE_PEAK_MINUTE in xs


def test_monitoring_timeline_observation_bar_matches_label_minimum():
    ax = safety.monitoring_timeline().axes[0]
    widths = sorted(round(patch.get_width()) for patch in ax.patches)
    assert safety.SPRAVATO_MIN_OBSERVATION_MINUTES in widths
    assert safety.RIVAPOSSE_INFUSION_MINUTES in widths
    label_checks = _line_by_label(ax, "Blood pressure check (label)").get_xdata()
    assert safety.SPRAVATO_POST_DOSE_CHECK_MINUTE in list(label_checks)


def test_monitoring_timeline_is_deterministic():
    first = safety.monitoring_timeline().axes[0]
    second = safety.monitoring_timeline().axes[0]
    assert [list(line.get_xdata()) for line in first.get_lines()] == \
        [list(line.get_xdata()) for line in second.get_lines()]


def test_urinary_symptoms_percent_matches_counts():
    # The published percentage (26.6%) and counts (340 of 1285 = 26.5%) differ slightly in
    # the abstract; guard against a typo larger than that rounding difference.
    computed = 100 * safety.WINSTOCK_WITH_SYMPTOMS / safety.WINSTOCK_RECENT_USERS
    assert abs(computed - safety.WINSTOCK_WITH_SYMPTOMS_PERCENT) < 0.2
    assert safety.WINSTOCK_RECENT_USERS < safety.WINSTOCK_SURVEYS


def test_urinary_symptoms_bars_match_data():
    fig = safety.urinary_symptoms()
    assert isinstance(fig, Figure)
    left, right = fig.axes
    assert [round(p.get_height(), 1) for p in left.patches] == \
        [safety.WINSTOCK_WITH_SYMPTOMS_PERCENT]
    assert [round(p.get_height(), 1) for p in right.patches] == \
        [safety.WINSTOCK_IMPROVED_PERCENT, safety.WINSTOCK_WORSE_PERCENT]
    assert left.get_ylabel() == "Percent of respondents"
    assert all(p.get_hatch() for p in left.patches + right.patches)
