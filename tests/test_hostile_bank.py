"""Hostile author input (issue 11, security review M1, M2, m1, m2, m14; code review §3).

Every bank, glossary and agenda string is either refused by ``kapcourse validate`` with
``file:line:column: key.path: message`` or reaches the page as text; no input makes validate
hang, eat memory or print a traceback.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from kapcourse.bank.course import Reference
from kapcourse.bank.model import BankError, load_bank, load_yaml
from kapcourse.checks import validate

from .conftest import FIXTURE_COURSE

SAMPLE = FIXTURE_COURSE / "quizzes" / "01_sample.yml"
HOSTILE = [
    "<script>window.__x=1</script>",
    '<img src=x onerror="a=1">',
    "<!-- hidden -->",
    "*a* **b** `c` [d](javascript:alert(1)) <b>e</b>",
    "1. not a list",
    "2020) nor this",
    "- nor this",
    "# nor a heading",
    "> nor a quote",
    "{cite}`x` $x$ | a | ~~s~~ \\* &lt;b&gt; &amp;",
    "--- % : =",
]


def _live_html(markdown: str) -> str:
    """What a Markdown renderer that passes raw HTML on (as MyST and JupyterLab do) makes."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def _hostile_bank(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "01_sample.yml"
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    return [str(p) for p in validate(FIXTURE_COURSE, [path])]


# --- M1: bank text that went into pages as raw HTML --------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_markdown_renders_to_exactly_the_text(text):
    from kapcourse.bank.markdown import plain_markdown

    rendered = MarkdownIt("commonmark", {"html": True}).renderInline(plain_markdown(text))
    expected = MarkdownIt("commonmark").utils.escapeHtml(" ".join(text.split()))
    assert rendered == expected


def test_lesson_header_shows_an_objective_with_html_as_text():
    from kapcourse.lesson import LessonHeader

    header = LessonHeader(30, ["<script>window.__s_objective=1</script>Name it."], "2026-11-01")
    page = _live_html(header._repr_markdown_())
    assert "<script" not in page
    assert "&lt;script&gt;window.__s_objective=1&lt;/script&gt;Name it." in page


def test_agenda_shows_a_bank_title_with_html_as_text():
    import datetime as dt

    from kapcourse.workshop.facilitator import Plan, Slot, agenda_markdown

    title = "Lesson 01: <script>window.__s_title=1</script> | x"
    plan = Plan("p", "Plan", (Slot(dt.time(9), dt.time(10), title, 60, (), "01_x"),),
                (("02_y", "<img src=x onerror=alert(1)>", 30),))
    page = _live_html(agenda_markdown(plan))
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;window.__s_title=1&lt;/script&gt; | x</a>" in page


def test_loading_a_bank_refuses_html_in_its_title_and_objectives(tmp_path):
    path = _hostile_bank(tmp_path, "text: Recognise each", "text: <b>Recognise</b> each")
    with pytest.raises(BankError) as caught:
        load_bank(path, display_name="quizzes/01_sample.yml")
    assert "quizzes/01_sample.yml:6:11: objectives[0].text: raw HTML is not allowed (found " \
           "'<b')" in str(caught.value)
    path = _hostile_bank(tmp_path, "title: Sample lesson", "title: <script>x</script>")
    with pytest.raises(BankError, match=r"01_sample.yml:2:8: title: raw HTML"):
        load_bank(path)


def test_validate_refuses_html_in_any_bank_text(tmp_path):
    # The fixture bank keeps a <script> in a prompt to prove the renderers are inert; the
    # validator tells the author all the same.
    problems = _problems(SAMPLE)
    assert any(p.endswith("items[0].prompt: raw HTML is not allowed (found '<s'); use Markdown "
                          "(*emphasis*, **strong**, `code`, [link](https://...)) or put a space "
                          "after '<'") and ":13:13: " in p for p in problems), problems
    path = _hostile_bank(tmp_path, "feedback: Green is the grass", "feedback: Not &lt;!-- x")
    assert any(":20:19: items[0].options[1].feedback: raw HTML is not allowed (found '<!')"
               in p for p in _problems(path))


def test_validate_refuses_html_in_the_glossary(tmp_path):
    from kapcourse.book.sphinx_ext import glossary_markdown
    from kapcourse.checks import glossary_problems

    path = tmp_path / "book" / "glossary.yml"
    path.parent.mkdir()
    path.write_text("- term: alpha\n  definition: First <img src=x onerror=alert(1)>.\n")
    assert [str(p) for p in glossary_problems(tmp_path)] == [
        "book/glossary.yml:2:15: [0].definition: raw HTML is not allowed (found '<i'); use "
        "Markdown (*emphasis*, **strong**, `code`, [link](https://...)) or put a space after '<'"]
    with pytest.raises(BankError):  # the build stops rather than put it on the page
        glossary_markdown(path)


@pytest.fixture
def course(real_course_copy):
    """A copy of the real course that a test may break (but for its quizzes: see conftest)."""
    return real_course_copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_validate_checks_the_agenda(course):
    from kapcourse.checks import agenda_problems

    agenda = course / "book" / "facilitator" / "agenda.yml"
    _edit(agenda, "title: One-day workshop", "title: <script>x</script>")
    _edit(agenda, "minutes: 45", "minutes: 45\n      minutes: 50")
    _edit(agenda, "lesson: 07_practice\n      live: [l07-case-sitter]\n    - activity: Break",
          "lesson: 07_practice\n      minutes: 5\n    - activity: Break")
    problems = [str(p) for p in agenda_problems(course)]
    assert "book/facilitator/agenda.yml:5:10: one-day.title: raw HTML is not allowed (found " \
           "'<s'); use Markdown (*emphasis*, **strong**, `code`, [link](https://...)) or put a " \
           "space after '<'" in problems
    assert "book/facilitator/agenda.yml:21:7: one-day.blocks[5].minutes: duplicate key " \
           "'minutes'" in problems
    assert any(p.startswith("book/facilitator/agenda.yml:27:7: one-day.blocks[8].minutes: "
                            "unknown key 'minutes'") for p in problems), problems
    assert any("agenda.yml" in str(p) for p in validate(course))


def test_agenda_start_time_is_text_not_a_base_60_number(course):
    from kapcourse.workshop.facilitator import load_plans

    agenda = course / "book" / "facilitator" / "agenda.yml"
    _edit(agenda, 'start: "09:00"', "start: 9:30")
    with pytest.raises(BankError) as caught:
        load_plans(course)
    assert str(caught.value) == ('book/facilitator/agenda.yml:6:10: one-day.start: give a '
                                 'start time as "HH:MM" (24-hour clock, in quotes)')


def test_glossary_schema_and_duplicate_keys(tmp_path):
    from kapcourse.checks import glossary_problems

    path = tmp_path / "book" / "glossary.yml"
    path.parent.mkdir()
    path.write_text("- term: alpha\n  definition: First.\n  definition: Again.\n"
                    "- term: beta\n  definition: Second.\n  see: alpha\n"
                    "- term: Alpha\n  definition: Third.\n")
    assert [str(p) for p in glossary_problems(tmp_path)] == [
        "book/glossary.yml:3:3: [0].definition: duplicate key 'definition'",
        "book/glossary.yml:6:3: [1].see: unknown key 'see' (allowed here: definition, term)"]
    path.write_text("- term: alpha\n  definition: First.\n- term: Alpha\n  definition: Again.\n")
    assert [str(p) for p in glossary_problems(tmp_path)] == [
        "book/glossary.yml:3:9: [1].term: term 'Alpha' is defined twice"]


# --- M2, m1, m2: inputs that hung validate or printed a traceback --------------------------


def _limit_memory():  # a regression must fail the test, not exhaust the shared machine
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _cli_validate(path: Path) -> tuple[int, str]:
    env = {**os.environ, "KAPCOURSE_ROOT": str(FIXTURE_COURSE)}
    # The timeout is for a busy shared machine, where importing kapcourse alone takes seconds.
    result = subprocess.run([sys.executable, "-m", "kapcourse", "validate", str(path)],
                            capture_output=True, text=True, timeout=120, env=env,
                            preexec_fn=_limit_memory)
    return result.returncode, result.stdout + result.stderr


BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))


def test_alias_bomb_is_refused_quickly(tmp_path):
    path = tmp_path / "bomb.yml"
    path.write_text(BOMB)
    assert len(BOMB.encode()) < 400  # like the review's 342 bytes: 9 levels x 9 aliases
    from kapcourse.bank.model import read_yaml  # never load_yaml here: the old code hung in it

    start = time.monotonic()
    with pytest.raises(BankError):
        read_yaml(path, "bomb.yml")
    assert time.monotonic() - start < 1  # milliseconds; the old code never finished
    code, output = _cli_validate(path)  # under a memory limit, so the old code fails fast
    assert code == 1 and "Traceback" not in output
    assert f"{path}:1:4: anchors and aliases (&name, *name) are not allowed in course files: " \
           "write the value out" in output


def test_one_alias_in_a_real_bank_is_refused(tmp_path):
    path = _hostile_bank(tmp_path, "    explanation: Rayleigh", "    explanation: *x\n    x: R")
    with pytest.raises(BankError, match=r"01_sample.yml:24:18: anchors and aliases"):
        load_bank(path)


@pytest.mark.parametrize("depth", [60, 1000, 5000])
def test_deep_nesting_is_refused(tmp_path, depth):
    path = tmp_path / "deep.yml"
    path.write_text("title: " + "[" * depth + "]" * depth + "\n")
    assert [str(p) for p in validate(FIXTURE_COURSE, [path])] == [
        f"{path}:1:57: nested more than 50 levels deep"]


def test_a_bank_over_one_megabyte_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yml"
    path.write_text(SAMPLE.read_text() + "# padding\n" * 110_000)
    assert [str(p) for p in validate(FIXTURE_COURSE, [path])] == [
        f"{path}:1:1: the file is larger than 1 MB; a course file is far smaller (split it, "
        "or look for pasted data)"]


@pytest.mark.parametrize(("content", "expected"), [
    (b"title: caf\xe9\n", "1:11: byte 0xe9 is not UTF-8 text: save the file as UTF-8"),
    ("title: x\n".encode("utf-16"), "1:1: byte 0xff is not UTF-8 text: save the file as UTF-8"),
    (b"title: x\nreviewed: \x00\n", "2:11: character U+0000 is not allowed in a YAML file "
                                    "(control characters such as NUL or form feed)"),
    (b"title: x\n\x0c\n", "2:1: character U+000C is not allowed in a YAML file (control "
                          "characters such as NUL or form feed)"),
])
def test_unreadable_text_is_a_located_problem(tmp_path, content, expected):
    path = tmp_path / "bad.yml"
    path.write_bytes(content)
    assert [str(p) for p in validate(FIXTURE_COURSE, [path])] == [f"{path}:{expected}"]


def test_symlink_loop_is_a_problem_not_a_traceback(tmp_path):
    path = tmp_path / "loop.yml"
    path.symlink_to(path)
    code, output = _cli_validate(path)
    assert code == 1 and "Traceback" not in output
    assert f"{path}:1:1: cannot read file: Too many levels of symbolic links" in output


def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "pipe.yml"
    os.mkfifo(path)
    code, output = _cli_validate(path)  # in a subprocess: the old code blocked on the read
    assert code == 1 and f"{path}:1:1: cannot read file: not a regular file" in output


# --- YAML 1.2 scalars ----------------------------------------------------------------------


def test_yaml_1_1_booleans_and_base_60_numbers_are_text():
    data = load_yaml("a: 9:30\nb: no\nc: yes\nd: on\ne: true\nf: False\ng: 5\nh: -1.5\n"
                     "i: 1e3\nj: 1_000\nk: 0x1F\nl: 2026-01-01\nm: .inf\n", "x.yml").data
    assert data == {"a": "9:30", "b": "no", "c": "yes", "d": "on", "e": True, "f": False,
                    "g": 5, "h": -1.5, "i": 1000.0, "j": "1_000", "k": "0x1F",
                    "l": "2026-01-01", "m": float("inf")}


def test_a_yes_no_answer_is_refused_not_read_as_a_boolean(tmp_path):
    path = _hostile_bank(tmp_path, "correct: true", "correct: yes")
    assert any(p.endswith("items[0].options[0].correct: must be of type boolean, not string")
               for p in _problems(path))


# --- m14: bibliography URLs -----------------------------------------------------------------


def test_a_javascript_url_in_the_bibliography_is_not_a_link(tmp_path):
    from kapcourse.checks import bibliography_problems
    from kapcourse.quiz.static import sources_html

    bad = Reference("bad", "Someone (2020). Title.", "javascript:alert(1)")
    html = sources_html(("bad",), {"bad": bad})
    assert "href" not in html and "Someone (2020). Title." in html
    good = Reference("doi", "X (2020). Y.", "https://doi.org/10.1016/S0140-6736(20)30000-0")
    assert 'href="https://doi.org/10.1016/S0140-6736(20)30000-0"' in sources_html(
        ("doi",), {"doi": good})
    bib = tmp_path / "book" / "references.bib"
    bib.parent.mkdir()
    bib.write_text("@misc{ok,\n  url = {https://x.example}\n}\n\n"
                   "@misc{bad,\n  title = {T},\n  url = {javascript:alert(1)}\n}\n")
    assert [str(p) for p in bibliography_problems(tmp_path, {"bad": bad, "doi": good})] == [
        "book/references.bib:5:1: bad: url 'javascript:alert(1)' is not an http(s) address"]


def test_a_bank_that_is_one_string_is_a_schema_problem(tmp_path):
    path = tmp_path / "str.yml"
    path.write_text("just <b>text</b>\n")
    assert [str(p).split(";")[0] for p in validate(FIXTURE_COURSE, [path])] == [
        f"{path}:1:1: must be of type object, not string",
        f"{path}:1:1: raw HTML is not allowed (found '<b')"]


def test_validate_reports_links_the_pages_would_drop(tmp_path):
    path = _hostile_bank(tmp_path, "explanation: Rayleigh scattering",
                         "explanation: See [this](javascript:alert(1)). Rayleigh scattering")
    assert any(p.endswith("items[0].explanation: link to 'javascript:alert(1)' is not allowed: "
                          "links are http(s), mailto or relative (the page would show its text "
                          "only)") for p in _problems(path))
