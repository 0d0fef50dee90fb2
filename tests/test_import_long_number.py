"""A learner's import of a JSON file holding an integer of more than 4,300 digits (issue #19
follow-up): Python's json refuses such a number with a bare ValueError, which must reach the
learner as a friendly message, as ``results.read_export`` gives for a results export, never
as a traceback."""

from __future__ import annotations

import pytest

from kapcourse.record.summary import IMPORT_MESSAGES, ImportProblem, parse_import

HUGE = "9" * 5000  # Python's default limit on the digits of an int read from text: 4,300


@pytest.mark.parametrize("where", ["extra", "items"])
def test_an_integer_too_long_for_python_is_refused_with_a_message(where):
    record = f'{{"bank": "01_sample", "attempts": {HUGE}, "first_correct": true}}'
    text = ('{"format": "kapcourse-progress", "items": {"fx-single": ' + record + "}}"
            if where == "items" else
            '{"format": "kapcourse-progress", "items": {}, "n": ' + HUGE + "}")
    with pytest.raises(ImportProblem) as caught:
        parse_import(text, {"fx-single"})
    assert str(caught.value) == IMPORT_MESSAGES["too_long"]
    assert "too long" in str(caught.value)


def test_a_long_integer_python_reads_still_imports():
    """4,300 digits and fewer are read as before (here in a field the import drops)."""
    text = '{"format": "kapcourse-progress", "items": {}, "n": ' + "9" * 4300 + "}"
    assert parse_import(text, {"fx-single"}) == {}
