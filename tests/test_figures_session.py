"""Lesson 08's session timeline: plain HTML from data, escaped, one <details> per phase,
with no script (it must work in JupyterLab and in the static book without a kernel)."""

from html.parser import HTMLParser

from kapcourse.content.figures.session import (
    PHASES,
    ROLES,
    Phase,
    SessionTimeline,
    timeline_html,
    timeline_text,
)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_the_timeline_runs_from_arrival_to_integration_in_order():
    names = [phase.name for phase in PHASES]
    assert names == ["Arrival", "Consent check", "Baseline vital signs", "Dosing", "Observation",
                     "Discharge", "Integration"]


def test_every_phase_says_what_each_role_does():
    parsed = _parse(timeline_html())
    assert parsed.tags.count("details") == parsed.tags.count("summary") == len(PHASES)
    assert parsed.tags.count("dt") == len(PHASES) * len(ROLES)
    text = " ".join(parsed.text)
    for phase in PHASES:
        assert phase.name in text
    for role in ROLES:
        assert text.count(role) == len(PHASES)


def test_the_timeline_has_no_script_or_event_handler():
    parsed = _parse(timeline_html())
    assert "script" not in parsed.tags
    assert not [name for name in parsed.attributes if name.startswith("on")]


def test_every_string_is_escaped():
    hostile = Phase('<img src=x onerror="alert(1)">', "<b>now</b>",
                    ("<script>alert(1)</script>", "a & b", '"quoted"'), "</details><p>")
    html = timeline_html((hostile,))
    parsed = _parse(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
    assert parsed.tags.count("details") == 1 and parsed.tags.count("p") == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "a &amp; b" in html


def test_the_notebook_gets_html_and_a_plain_text_fallback():
    timeline = SessionTimeline()
    assert timeline._repr_html_() == timeline_html()
    text = repr(timeline)
    assert text == timeline_text()
    assert text.splitlines()[0] == "1. Arrival (before the dose)"
    assert "   Therapist: " in text
