"""``bank_located`` hands out the parse that the bank cache keeps (``kapcourse validate``'s
item-writing checks read it): it must be read-only all the way down, or one caller's change
would reach every later load of the same file."""

from __future__ import annotations

import pytest

from kapcourse.bank.model import bank_located, load_bank

from .conftest import FIXTURE_COURSE

SAMPLE = FIXTURE_COURSE / "quizzes" / "01_sample.yml"


def test_the_cached_parse_cannot_be_changed():
    located = bank_located(SAMPLE, "quizzes/01_sample.yml")
    item = located.data["items"][0]
    with pytest.raises(TypeError):
        located.data["title"] = "Changed"
    with pytest.raises(TypeError):
        item["prompt"] = "Changed"
    with pytest.raises(TypeError):
        item["options"][0]["correct"] = False
    with pytest.raises(AttributeError):
        located.data["items"].append({})
    with pytest.raises(TypeError):
        located.marks[("items",)] = (1, 1)
    with pytest.raises(AttributeError):  # a frozen dataclass
        located.data = {}


def test_it_reads_as_the_parse_and_the_bank_still_loads():
    located = bank_located(SAMPLE, "quizzes/01_sample.yml")
    bank = load_bank(SAMPLE)
    assert located.data["title"] == bank.title == "Sample lesson"
    assert [item["id"] for item in located.data["items"]] == [item.id for item in bank.items]
    line = SAMPLE.read_text().splitlines().index("  - id: fx-multiple") + 1
    assert located.where(("items", 1, "id"))[0] == line
    assert bank_located(SAMPLE, "quizzes/01_sample.yml").data == located.data
