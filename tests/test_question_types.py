"""One registry of question types (issue #18): every type the bank schema allows has one module
in kapcourse.quiz.types with the whole of its behaviour, and the schema is the one place its
fields are written."""

from __future__ import annotations

import re

from kapcourse.bank.model import schema, type_fields
from kapcourse.quiz.types import REGISTRY, type_of

from .conftest import ROOT

PARTS = ("name", "hint", "grade", "markup", "data", "widget", "response", "set_response")


def test_the_registry_holds_exactly_the_schema_types():
    allowed = schema("bank")["$defs"]["question"]["properties"]["type"]["enum"]
    assert sorted(REGISTRY) == sorted(allowed) == sorted(type_fields())


def test_every_type_defines_its_whole_behaviour_in_its_module():
    for name, kind in REGISTRY.items():
        missing = [part for part in PARTS if not hasattr(kind, part)]
        assert not missing, f"{name}: {missing}"
        assert kind.name == name
        assert kind.__module__ == f"kapcourse.quiz.types.{kind.__module__.rsplit('.', 1)[-1]}"


def test_each_type_has_its_fields_from_the_schema():
    assert type_fields()["numeric"] == ("answer", "tolerance", "unit", "common_errors")
    assert type_fields()["ordering"] == ("steps",)


def test_no_view_or_grader_branches_on_a_type_name_outside_the_registry():
    """The views ask the registry; a chain of `question.type == "..."` elsewhere would be a
    second place to change when a type is added."""
    branch = re.compile(r"""\.type\s*(==|!=|in)\s*[("']""")
    offenders = []
    for module in ("quiz/static.py", "quiz/widget.py", "quiz/grading.py"):
        text = (ROOT / "src" / "kapcourse" / module).read_text(encoding="utf-8")
        offenders += [f"{module}: {line.strip()}" for line in text.splitlines()
                      if branch.search(line)]
    assert offenders == []


def test_the_branch_check_sees_a_branch():
    branch = re.compile(r"""\.type\s*(==|!=|in)\s*[("']""")
    assert branch.search('if question.type == "ordering":')
    assert branch.search("elif self.question.type in ('single', 'multiple'):")
    assert not branch.search("type_of(question).positional")


def test_type_of_finds_a_question_s_type(sample_lesson):
    question = sample_lesson.bank.questions[0]
    assert type_of(question).name == question.type
