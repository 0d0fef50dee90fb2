"""Release 0.3.0 removed the final assessment's list of reused lesson items
(``final_assessment.items``): a bank that still has it is refused at that key's line, with
what to write instead, rather than loading with the list ignored."""

from __future__ import annotations

import pytest

from kapcourse.bank.model import BankError, load_bank

from .final_course import HOST, sample_banks

OLD_LIST = "final_assessment:\n  pass_mark: 80\n  items:\n    - fx-single\n    - fx-case\n"


def test_a_bank_with_the_old_list_is_refused_at_its_line(tmp_path):
    assert "final_assessment:\n  pass_mark: 80\n" in HOST
    path = tmp_path / "02_host.yml"
    path.write_text(HOST.replace("final_assessment:\n  pass_mark: 80\n", OLD_LIST))
    line = path.read_text().splitlines().index("  items:") + 1
    with pytest.raises(BankError) as caught:
        load_bank(path, display_name="quizzes/02_host.yml")
    assert [str(p) for p in caught.value.problems] == [
        f"quizzes/02_host.yml:{line}:3: final_assessment.items: removed in release 0.3.0; "
        "write the final's own questions under final_items in each lesson's bank and delete "
        "this list (see AUTHORING.md)"]


def test_a_bank_without_it_loads(tmp_path):
    banks = sample_banks(tmp_path)
    assert banks["02_host"].final is not None and banks["02_host"].final.pass_mark == 80
