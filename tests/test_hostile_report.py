"""`kapcourse report` on special and hostile files (security review 2026-12: m9, m10)."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import kapcourse
from kapcourse.bank.model import load_bank
from kapcourse.record import results
from kapcourse.record.results import ResultsError, make_export, read_export, write_export
from kapcourse.workshop.report import analyse, pool, write_report

from .conftest import FIXTURE_COURSE

# The folder holding the kapcourse under test (src/), for subprocesses: a module deeper in the
# package would give src/kapcourse/, and the subprocess would import the installed copy.
SOURCE = str(Path(kapcourse.__file__).parents[1])
BANK = load_bank(FIXTURE_COURSE / "quizzes" / "01_sample.yml")
KNOWN = {q.id for q in BANK.questions}
ONE = {"items": {"fx-single": {"bank": "01_sample", "attempts": 1, "first_correct": True,
                               "correct": True, "first_response": 0}}}


def report_cli(folder: Path, out: Path) -> subprocess.CompletedProcess:
    """`kapcourse report` in a child with 1 GB of memory and 60 s: a hang or an unbounded
    read fails the test instead of the machine."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "KAPCOURSE_ROOT": str(FIXTURE_COURSE), "PYTHONPATH": SOURCE,
           "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "kapcourse", "report", str(folder),
                           "--output", str(out)], capture_output=True, text=True, env=env,
                          timeout=60, preexec_fn=limit)


@pytest.fixture
def folder(tmp_path):
    results_folder = tmp_path / "results"
    results_folder.mkdir()
    write_export(make_export(ONE, "0.2.0"), results_folder)
    return results_folder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_m9_a_fifo_is_skipped_not_waited_for(folder, tmp_path):
    os.mkfifo(folder / "x.json")
    run = report_cli(folder, tmp_path / "out")  # the review: hangs for ever
    assert "Traceback" not in run.stderr
    assert "x.json: it is not a regular file" in run.stderr
    assert "Pooled 1 learner(s) from 2 file(s)" in run.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_m9_a_symlink_to_a_device_is_skipped_without_reading_it(folder, tmp_path):
    (folder / "zero.json").symlink_to("/dev/zero")
    run = report_cli(folder, tmp_path / "out")  # the review: 5.8 GB after 8 s
    assert "Traceback" not in run.stderr and run.returncode == 0
    assert "zero.json: it is not a regular file" in run.stderr


def test_m9_a_deeply_nested_file_is_skipped_and_the_rest_pooled(folder):
    nested = folder / "nested.json"
    nested.write_text("[" * 200_000 + "]" * 200_000)  # the review: RecursionError, no report
    pooled = pool(sorted(folder.glob("*.json")), "0.2.0", [BANK], progress=None)
    assert len(pooled.exports) == 1
    assert pooled.skipped == [(str(nested), "is nested too deeply to be a results export")]


def test_m9_the_size_limit_reads_no_more_than_it_needs(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "MAX_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"pad": "x" * 2000}))
    with pytest.raises(ResultsError) as caught:
        read_export(big)
    assert str(caught.value).startswith("is larger than")  # "it larger than" in the review


def test_a_file_is_read_to_its_end_whatever_size_it_reports(tmp_path, monkeypatch):
    """The read asks for the size fstat gives, and reads on when there is more: a /proc file
    says 0, and a file may grow between fstat and read (results._read_limited)."""
    monkeypatch.setattr(results, "MAX_BYTES", 1000)
    exact = tmp_path / "exact.json"
    exact.write_bytes(b"x" * 1000)  # the limit itself is allowed
    assert results._read_limited(exact) == b"x" * 1000
    real_fstat = os.fstat
    monkeypatch.setattr(results.os, "fstat", lambda fd: _said_empty(real_fstat(fd)))
    assert results._read_limited(exact) == b"x" * 1000  # said 0, read whole
    exact.write_bytes(b"x" * 1001)
    with pytest.raises(ResultsError, match="is larger than"):
        results._read_limited(exact)  # said 0, and over the limit: refused as before
    if Path("/proc/self/status").exists():  # a real file that says 0
        monkeypatch.undo()
        assert b"Name:" in results._read_limited(Path("/proc/self/status"))


def _said_empty(status: os.stat_result) -> os.stat_result:
    fields = list(status)
    fields[stat.ST_SIZE] = 0
    return os.stat_result(fields)


HOSTILE_VERSION = "<img src=x onerror=alert(1)><script>alert(2)</script>"
HOSTILE_ID = "zz-<img src=y onerror=alert(3)>"


def test_m10_report_md_shows_untrusted_text_inertly(folder, tmp_path):
    (folder / "version.json").write_text(json.dumps(make_export(ONE, HOSTILE_VERSION)))
    unknown = {"items": {HOSTILE_ID: ONE["items"]["fx-single"]}}
    (folder / "unknown.json").write_text(json.dumps(make_export(unknown, "0.2.0")))
    (folder / "a`<img src=z onerror=alert(4)>`.json").write_text("{}")
    (folder / "b|[link](javascript:alert(5)).json").write_text("{}")
    pooled = pool(sorted(folder.glob("*.json")), "0.2.0", [BANK], progress=None)
    assert len(pooled.skipped) == 4
    html_path, md_path = write_report(analyse(pooled, [BANK]), tmp_path / "out")
    page = html_path.read_text()
    assert "<script" not in page and "<img src=x" not in page and "<img src=y" not in page
    assert "&lt;script&gt;" in page and "zz-&lt;img src=y" in page
    section = md_path.read_text().split("## Files skipped", 1)[1]
    rendered = MarkdownIt("commonmark").render(section)  # CommonMark passes raw HTML through
    for tag in ("<img", "<script", "<a ", "<code"):
        assert tag not in rendered, (tag, rendered)
    skipped = section.strip().splitlines()
    assert len(skipped) == 4 and all(line.startswith("- ") for line in skipped)
    # the facilitator still reads the reason and the names, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered and "zz-" in rendered
