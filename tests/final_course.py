"""Fixture courses with a final assessment written for it (``final_items``), shared by the
tests of the final, the completion record, the report and their golden cases.

- ``FORMS`` (tests/fixtures/final/quizzes): two lessons whose forms differ in kind, with safety
  questions (tests/test_final_forms.py, tests/golden/final.yml, the report's gain cohort).
- ``sample_banks(folder)``: the fixture course's lesson 01_sample (7 lesson questions, one of
  every type) with two forms of each of its objectives, and a host lesson 02_host (2 lesson
  questions, pass mark 80%) with two forms of its objective. Attempt 1 draws 4 questions, 3 of
  lesson 01 (``fx-f1-single``, the case ``fx-f1-case`` in two parts) and 1 of the host
  (``h-f1-numeric``, 35 mg); attempt 2 draws the other 4. No safety questions: the pass mark
  alone decides, as the completion tests expect.
"""

from __future__ import annotations

from pathlib import Path

from kapcourse.bank.model import Bank, load_bank

from .conftest import FIXTURE_COURSE, FIXTURES

FORMS = FIXTURES / "final" / "quizzes"

# Appended to a copy of tests/fixtures/course/quizzes/01_sample.yml (whose last key is items).
SAMPLE_FORMS = """\
final_items:
  - id: fx-f1-single
    type: single
    objective: fx-o1
    form: 1
    prompt: Which colour is the sky on a clear day?
    options:
      - text: Blue
        correct: true
        feedback: Right, scattering favours short wavelengths.
      - text: Green
        correct: false
        feedback: Green is the grass, not the sky.
      - text: Red
        correct: false
        feedback: Red skies appear at sunset, not on a clear day.
    explanation: Rayleigh scattering makes the sky look blue.
    cite: [sample2020]
  - id: fx-f1-case
    type: vignette
    objective: fx-o2
    form: 1
    cite: [sample2020]
    case: A sample client arrives for a first session.
    explanation: Cases unfold one decision at a time.
    parts:
      - id: fx-f1-case-a
        type: single
        prompt: What do you do first?
        options:
          - text: Screen
            correct: true
            feedback: Screening comes first.
          - text: Treat
            correct: false
            feedback: Treating before screening skips safety checks.
        explanation: Screen before treating.
      - id: fx-f1-case-b
        type: truefalse
        prompt: Two weeks later the client asks again. Is a review needed?
        answer: true
        feedback_true: Yes, review before any further session.
        feedback_false: A review is needed before any further session.
        explanation: Review at every step.
  - id: fx-f2-truefalse
    type: truefalse
    objective: fx-o1
    form: 2
    prompt: Water boils below 100 °C high on a mountain.
    answer: true
    feedback_true: Yes, the air pressure is lower.
    feedback_false: It does, because the air pressure is lower.
    explanation: Boiling point depends on pressure.
    cite: [sample2020]
  - id: fx-f2-case
    type: vignette
    objective: fx-o2
    form: 2
    cite: [sample2020]
    case: A 70 kg client is prescribed 0.5 mg/kg.
    explanation: Weigh, calculate, check.
    parts:
      - id: fx-f2-case-a
        type: numeric
        prompt: How many mg is that?
        answer: 35
        tolerance: 0.5
        unit: mg
        explanation: 0.5 mg/kg times 70 kg is 35 mg.
      - id: fx-f2-case-b
        type: single
        prompt: Who checks the sum before the dose?
        options:
          - text: A second person
            correct: true
            feedback: A second check catches errors.
          - text: Nobody
            correct: false
            feedback: An unchecked sum lets errors through.
        explanation: Check the sum before the dose.
"""

HOST = """\
title: Host lesson
reviewed: 2026-11-01
objectives:
  - id: h-o1
    text: Put it together.
items:
  - id: h-tf
    type: truefalse
    objective: h-o1
    prompt: Is this a host item?
    answer: true
    feedback_true: Yes.
    feedback_false: It is.
    explanation: It is the host's own item.
    cite: [sample2020]
  - id: h-order
    type: ordering
    objective: h-o1
    prompt: Order these.
    steps: [one, two, three]
    explanation: Counting.
    cite: [sample2020]
final_assessment:
  pass_mark: 80
final_items:
  - id: h-f1-numeric
    type: numeric
    objective: h-o1
    form: 1
    prompt: A 70 kg adult receives 0.5 mg/kg. How many mg is that?
    answer: 35
    tolerance: 0.5
    unit: mg
    explanation: 0.5 mg/kg times 70 kg is 35 mg.
    cite: [sample2020]
  - id: h-f2-single
    type: single
    objective: h-o1
    form: 2
    prompt: What comes first in a session?
    options:
      - text: Screening
        correct: true
        feedback: Right, screening comes first.
      - text: The dose
        correct: false
        feedback: Dosing before screening skips the safety checks.
    explanation: Screen before any dose.
    cite: [sample2020]
"""


def load_banks(folder: Path) -> dict[str, Bank]:
    """Every bank in a quizzes folder, by stem, named as ``kapcourse validate`` names them."""
    return {p.stem: load_bank(p, display_name=f"quizzes/{p.name}")
            for p in sorted(folder.glob("*.yml"))}


def sample_banks(folder: Path) -> dict[str, Bank]:
    """The sample course (see the module's text) written under ``folder/quizzes``, loaded."""
    quizzes = folder / "quizzes"
    quizzes.mkdir(exist_ok=True)
    sample = (FIXTURE_COURSE / "quizzes" / "01_sample.yml").read_text(encoding="utf-8")
    (quizzes / "01_sample.yml").write_text(sample + SAMPLE_FORMS, encoding="utf-8")
    (quizzes / "02_host.yml").write_text(HOST, encoding="utf-8")
    return load_banks(quizzes)

