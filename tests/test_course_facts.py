"""Course facts come from configuration, not from engine code (issue #18): the record's course
title from ``_config.yml``, the final assessment's lesson from the banks, the readiness
lesson from ``book/readiness.yml``."""

from __future__ import annotations

import yaml

from kapcourse.bank.course import config_problems, record_title
from kapcourse.checks import validate
from kapcourse.content.readiness import printable_html
from kapcourse.pages.progress import completion_html
from kapcourse.record.completion import make_record
from kapcourse.record.summary import final_json

from .conftest import ROOT
from .test_completion import course, everything_right  # noqa: F401 (a fixture)
from .test_completion import status as course_status

TITLE = "A Renamed Course: Facts From Configuration"


def config(tmp_path, text: str):
    (tmp_path / "_config.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_record_title_is_the_configured_one(tmp_path):
    root = config(tmp_path, f'title: Short\nkapcourse:\n  record_title: "{TITLE}"\n')
    assert record_title(root) == TITLE
    assert config_problems(root) == []


def test_the_book_title_stands_in_when_no_record_title_is_set(tmp_path):
    assert record_title(config(tmp_path, "title: Short book title\n")) == "Short book title"


def test_validate_names_the_file_line_and_key_of_a_bad_record_title(tmp_path):
    root = config(tmp_path, "title: T\nkapcourse:\n  record_title: 42\n")
    problems = [str(p) for p in config_problems(root)]
    assert problems and problems[0].startswith("_config.yml:3:")
    assert "kapcourse.record_title" in problems[0]


def test_the_real_course_states_its_record_title_and_validates():
    config_data = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert record_title(ROOT) == config_data["kapcourse"]["record_title"]
    assert not [p for p in validate(ROOT) if p.file == "_config.yml"]


def test_both_renderers_take_the_record_title_from_the_configuration(course, monkeypatch):  # noqa: F811
    import kapcourse.record.completion as completion
    import kapcourse.record.summary as summary

    monkeypatch.setattr(completion, "record_title", lambda: TITLE)
    monkeypatch.setattr(summary, "record_title", lambda: TITLE)
    lessons, final = course
    done = course_status(everything_right(lessons, final), lessons, final)
    record = make_record("A. Learner", done, "0.3.0")
    assert ("subtitle", TITLE) in record.lines()
    assert final_json(final)["record"]["title"] == TITLE  # what kapprogress.js writes


def test_the_completion_rules_name_the_host_lesson_from_the_banks(course):  # noqa: F811
    lessons, final = course
    done = course_status(everything_right(lessons, final), lessons, final)
    text = completion_html(done, final.pass_mark, final)
    assert f"final assessment in lesson {final.host[:2]} is submitted" in text
    assert final.host[:2] != "09"  # the fixture's host is not the real course's


def test_the_printable_readiness_guide_links_the_lesson_its_yaml_names(guide, references):
    import dataclasses

    html = printable_html(guide, references, TITLE)
    assert guide.lesson == "07_practice"
    assert f'<a href="notebooks/{guide.lesson}.html">lesson 7 of the online book</a>' in html
    assert f"<p>{TITLE}, lesson 7. Reviewed" in html
    elsewhere = printable_html(dataclasses.replace(guide, lesson="05_safety"), references, TITLE)
    assert 'href="notebooks/05_safety.html">lesson 5 of the online book' in elsewhere
