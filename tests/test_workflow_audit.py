"""The GitHub Actions workflows pass zizmor's offline security audit (issue 20).

zizmor (a test dependency, see requirements-test.txt) finds, among others, actions referenced
by a moving tag instead of a commit (`unpinned-uses`) and a checkout that leaves the token in
the workspace that is later uploaded (`artipacked`). Offline it needs no network and no token.
CONTRIBUTING.md ("Updating a pinned action") says how to move a pin to a newer release.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"

# zizmor's exit codes: 0 when it finds nothing, 10 to 14 when it does (by the highest
# severity); any other code means it could not audit (a bad flag, an unreadable workflow).
AUDITED = {0, 10, 11, 12, 13, 14}


def zizmor_path() -> str:
    """The zizmor installed next to this Python (the virtualenv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("zizmor")
    found = str(beside) if beside.exists() else shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is not installed: pip install -r requirements-test.txt")
    return found


def audit(target: str, stdin: str | None = None) -> list[dict]:
    """zizmor's findings (its JSON v1 format) for a file or folder, or for a workflow on stdin."""
    # --strict-collection: a workflow zizmor cannot parse fails the test instead of being
    # skipped with a warning (and so never audited).
    result = subprocess.run(
        [zizmor_path(), "--offline", "--strict-collection", "--persona=regular",
         "--format=json-v1", "--no-progress", target],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode in AUDITED, f"zizmor could not run:\n{result.stderr}"
    return [finding for finding in json.loads(result.stdout) if not finding["ignored"]]


def describe(finding: dict) -> str:
    """One line a developer can act on: audit, severity, where, and what."""
    primary = next(place for place in finding["locations"]
                   if place["symbolic"]["kind"] == "Primary")
    where = primary["symbolic"]["key"].get("Local", {}).get("verbatim_path", "<stdin>")
    line = primary["concrete"]["location"]["start_point"]["row"] + 1
    severity = finding["determinations"]["severity"]
    return (f"{where}:{line}: {finding['ident']} ({severity}): {finding['desc']}: "
            f"{primary['symbolic']['annotation']} [{finding['url']}]")


def test_the_workflows_pass_zizmors_offline_audit():
    assert sorted(WORKFLOWS.glob("*.yml")), f"no workflow to audit in {WORKFLOWS}"
    findings = audit(str(WORKFLOWS.relative_to(ROOT)) + "/")
    assert not findings, "zizmor --offline .github/workflows/ found:\n" + "\n".join(
        describe(finding) for finding in findings)


def test_the_audit_reports_a_moving_tag_and_a_persisted_token():
    """The audit above can fail: the step the workflow had before issue 20 is reported."""
    workflow = """\
on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
"""
    reported = {finding["ident"] for finding in audit("-", stdin=workflow)}
    assert {"unpinned-uses", "artipacked"} <= reported


# Offline, zizmor cannot compare a version comment with the commit it annotates (its
# ref-version-mismatch audit needs the network), so this checks the comment is there at all:
# without it the next person cannot tell which release a hash is, nor update it.
PINNED = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$")


@pytest.mark.parametrize("workflow", sorted(WORKFLOWS.glob("*.yml")), ids=lambda path: path.name)
def test_every_pinned_action_names_its_release_in_a_comment(workflow):
    lines = workflow.read_text(encoding="utf-8").splitlines()
    unnamed = [f"{workflow.name}:{number}: {line.strip()}"
               for number, line in enumerate(lines, start=1)
               if re.search(r"\buses:\s*[^.\s]", line) and not line.strip().startswith("#")
               and "docker://" not in line and not PINNED.search(line)]
    assert not unnamed, ("pin each action as `uses: owner/repo@<40-hex commit> # vX.Y.Z`:\n"
                         + "\n".join(unnamed))
