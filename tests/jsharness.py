"""Call the book's real scripts from pytest: node runs _static/*.js with a stub DOM
(tests/golden/harness.js), one node process per batch of calls.

    results = run_js([call("kapquiz.parseNumber", "35 mg", "mg")])
    results[0].value  /  results[0].error  /  results[0].storage
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kapcourse.quiz.grading import shared_data

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "golden" / "harness.js"
SCRIPTS = ("kapquiz.js", "kapprogress.js")
NODE = shutil.which("node") or "/usr/bin/node"


@dataclass
class Result:
    value: object = None
    error: str | None = None
    storage: dict = field(default_factory=dict)


def call(fn: str, *args, storage: dict | None = None, quota: int | None = None,
         times: int = 1, keep_storage: bool = False,
         from_previous: dict[int, str] | None = None) -> dict:
    """One call of ``window.<api>.<name>(*args)``; storage is localStorage before it.
    ``from_previous`` {argument index: key}: that argument is the previous call's value (key
    "") or that value's ``key``, for steps that each need the one before, in one process."""
    spec = {"fn": fn, "args": list(args), "storage": storage or {}, "times": times,
            "keepStorage": keep_storage}
    if quota is not None:
        spec["quota"] = quota
    if from_previous:
        spec["fromPrevious"] = {str(index): key for index, key in from_previous.items()}
    return spec


def require_node() -> None:
    """Skip with instructions on a developer machine without Node.js; fail in CI, where a
    skip would hide every disagreement between Python and the book's scripts."""
    if not Path(NODE).exists():
        message = "the golden cases for the book's scripts need Node.js (apt-get install nodejs)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def run_js(calls: list[dict], globals_: dict | None = None, timeout: float = 120,
           scripts: tuple[str, ...] = SCRIPTS, env: dict | None = None) -> list[Result]:
    """Run the calls in one node process with the shipped scripts and the course constants
    (``env``: extra environment variables for node, e.g. its time zone ``TZ``)."""
    require_node()
    scripts = [{"name": name, "code": (ROOT / "_static" / name).read_text("utf-8")}
               for name in scripts]
    request = {"scripts": scripts, "calls": calls,
               "globals": {"kapcourseShared": shared_data(), **(globals_ or {})}}
    done = subprocess.run([NODE, str(HARNESS)], input=json.dumps(request), capture_output=True,
                          env={**os.environ, **(env or {})},
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [Result(r.get("value"), r.get("error"), r.get("storage", {}))
            for r in json.loads(done.stdout)]
