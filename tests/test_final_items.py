"""Final-assessment items (``final_items``): loaded apart from the lesson's items, with their
form and safety flag, and checked so that every objective gets parallel forms."""

import re
from pathlib import Path

import pytest

from kapcourse.bank.model import BankError, Vignette, load_bank

ROOT = Path(__file__).resolve().parents[1]
# The fixture builds its own final_items from the lesson items, so the bank's real ones (if any)
# are cut off: a second top-level final_items key would be a duplicate-key error.
LESSON = (ROOT / "quizzes" / "01_what_is_ketamine.yml").read_text(encoding="utf-8").split(
    "\nfinal_items:\n", 1)[0]


def _first_item(objective: str) -> str:
    """The bank's first item (not a case) for an objective, as a YAML block."""
    blocks = re.split(r"\n(?=  - id: )", LESSON.split("\nitems:\n", 1)[1])
    for block in blocks:
        if f"\n    objective: {objective}\n" in block and "type: vignette" not in block:
            return block.rstrip() + "\n"
    raise LookupError(objective)


def _final(objective: str, form: int, extra: str = "") -> str:
    block = _first_item(objective)
    first, rest = block.split("\n", 1)
    return f"{first}-f{form}\n    form: {form}\n{extra}{rest}"


def _bank(tmp_path: Path, final_items: str) -> Path:
    path = tmp_path / "01_fixture.yml"
    path.write_text(LESSON.rstrip() + "\n\nfinal_items:\n" + final_items, encoding="utf-8")
    return path


def _all_forms(extra_first: str = "") -> str:
    objectives = re.findall(r"  - id: (l01-o\d)\n", LESSON)
    return "".join(_final(o, 1, extra_first) + _final(o, 2) for o in objectives)


def test_final_items_load_apart_with_form_and_safety(tmp_path):
    bank = load_bank(_bank(tmp_path, _all_forms("    safety: true\n")))
    lesson_ids = {item.id for item in bank.items}
    assert len(bank.final_items) == 2 * len(bank.objectives)
    assert not lesson_ids & {item.id for item in bank.final_items}
    assert {item.form for item in bank.final_items} == {1, 2}
    assert all(item.safety == (item.form == 1) for item in bank.final_items)
    assert all(item.form == 0 and not item.safety for item in bank.items)


def test_an_objective_with_one_form_is_named(tmp_path):
    one_form = _final("l01-o1", 1) + _final("l01-o1", 2) + _final("l01-o2", 1)
    with pytest.raises(BankError) as raised:
        load_bank(_bank(tmp_path, one_form))
    message = str(raised.value)
    assert re.search(r"01_fixture\.yml:\d+:\d+: objectives\[1\]\.id: objective 'l01-o2' has 1 "
                     "final-assessment form", message)
    assert "'l01-o1'" not in message


def test_form_is_required_in_final_items_and_refused_on_lesson_items(tmp_path):
    missing = _all_forms().replace("    form: 1\n", "", 1)
    with pytest.raises(BankError, match=r"final_items\[0\]: a final-assessment item needs 'form'"):
        load_bank(_bank(tmp_path, missing))
    path = tmp_path / "01_lesson.yml"
    path.write_text(LESSON.replace("    type: single\n", "    type: single\n    safety: true\n", 1),
                    encoding="utf-8")
    with pytest.raises(BankError, match=r"items\[0\]\.safety: 'safety' belongs to items under "
                                        "'final_items'"):
        load_bank(path)


def test_course_banks_still_load_and_cases_pass_their_flags_to_parts():
    bank = load_bank(ROOT / "quizzes" / "09_case_studies.yml")
    cases = [item for item in bank.final_items if isinstance(item, Vignette)]
    for case in cases:
        assert all((p.form, p.safety) == (case.form, case.safety) for p in case.parts)
    assert bank.items
