"""The book's simulator script (_static/kapsim.js, run in node) and kapcourse.content.pk give the
same curve, the same summary and the same input messages (issue 13: the book does what JupyterLab
does)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from kapcourse.content import pk
from kapcourse.content.figures.pk import simulator_data, summary_numbers

from .jsharness import HARNESS, NODE, ROOT, Result, call, require_node

GOLDEN = Path(__file__).parent / "golden" / "pk_validation.yml"
TIMES_H = (0.01, 1 / 60, 0.1, 0.25, 0.5, 2 / 3, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0)
CASES = [(route, dose, weight) for route in pk.ROUTES
         for dose, weight in ((0.5, 70.0), (0.2, 45.5), (2.0, 120.0), (10.0, 250.0))]


def run_kapsim(calls: list[dict]) -> list[Result]:
    """Run calls against the shipped kapsim.js with the model data the book writes."""
    require_node()
    request = {"scripts": [{"name": "kapsim.js",
                            "code": (ROOT / "_static" / "kapsim.js").read_text("utf-8")}],
               "calls": calls, "globals": {"kapsimData": simulator_data()}}
    done = subprocess.run([NODE, str(HARNESS)], input=json.dumps(request), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [Result(r.get("value"), r.get("error"), r.get("storage", {}))
            for r in json.loads(done.stdout)]


def test_the_same_curve_for_every_route_dose_and_weight():
    calls = [call("kapsim.concentration", route, dose, weight, t)
             for route, dose, weight in CASES for t in TIMES_H]
    results = iter(run_kapsim(calls))
    for route, dose, weight in CASES:
        expected = pk.concentration(route, dose, weight, list(TIMES_H))
        for t, want in zip(TIMES_H, expected, strict=True):
            got = next(results)
            assert got.error is None, (route, dose, weight, t, got.error)
            assert got.value == pytest.approx(float(want), rel=1e-6), (route, dose, weight, t)


def test_the_same_summary_as_the_widget():
    cases = [("iv_infusion", 0.5, 70.0), ("iv_bolus", 2.0, 80.0),
             ("intranasal_esketamine", 1.5, 60.0), ("sublingual", 3.0, 90.0)]
    results = run_kapsim([call("kapsim.summary", *case) for case in cases])
    for case, got in zip(cases, results, strict=True):
        assert got.error is None, got.error
        want = summary_numbers(*case)
        assert got.value.keys() == want.keys()
        for key, value in want.items():
            assert got.value[key] == pytest.approx(value, rel=1e-6), (case, key)
    assert results[0].value["minutes_at_or_above_dissociative"] > 0  # the research infusion


def _python_message(row: dict) -> str:
    def typed(text: str):  # what a number field gives Python: a float, or the text itself
        try:
            return float(text)
        except ValueError:
            return text

    try:
        pk.validate_inputs(row["route"], typed(row["dose"]), typed(row["weight"]))
    except ValueError as exc:
        return str(exc)
    return ""


def test_the_same_validation_messages():
    rows = yaml.safe_load(GOLDEN.read_text("utf-8"))
    results = run_kapsim([call("kapsim.validate", r["route"], r["dose"], r["weight"])
                          for r in rows])
    for row, got in zip(rows, results, strict=True):
        assert _python_message(row) == row["message"], row
        assert (got.error or "") == row["message"], (row, got.error)


def test_typed_numbers_are_read_as_numbers_and_no_text_becomes_html():
    done = run_kapsim([call("kapsim.validate", "iv_infusion", " 0.5 ", "70")])
    assert done[0].value == {"route": "iv_infusion", "dose": 0.5, "weight": 70}
    assert "innerHTML" not in (ROOT / "_static" / "kapsim.js").read_text("utf-8")
