"""A real JupyterHub on 127.0.0.1: two learners, separate progress, pooled in one report.

The hub uses the DummyAuthenticator and JupyterHub's SimpleLocalProcessSpawner (no system
users: each learner's home is a folder under the test's tmp folder, and HOME points there),
with the proxy pinned in package.json. Each learner logs in through the hub in Chromium,
runs lesson 01 in JupyterLab and answers its first quiz; then each runs `kapcourse export`
and a facilitator pools the two exports with `kapcourse report`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kapcourse.bank.model import load_bank

from .browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PageWatch,
    check_lab_radio,
    require_chromium,
    widget_feedback_with_the_key,
)
from .conftest import ROOT
from .test_lab import LESSON, course_copy, free_port

pytestmark = pytest.mark.hub
USERS = ("ada", "ben")  # ada chooses the quiz's first option, ben its second
BANK = load_bank(ROOT / "quizzes" / f"{LESSON}.yml")
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"


class Hub:
    """The running hub: its URL, the learners' homes and a log to show on failure."""

    def __init__(self, folder: Path, url: str, process: subprocess.Popen):
        self.folder, self.url, self.process = folder, url, process
        self.log = folder / "hub.log"

    def home(self, user: str) -> Path:
        return self.folder / "home" / user

    def tail(self, chars: int = 6000) -> str:
        return f"--- hub log ({self.log}), last {chars} characters ---\n" + \
            self.log.read_text(errors="replace")[-chars:]

    def server_pids(self) -> list[int]:
        """Single-user server pids from the hub's database (they run in their own sessions)."""
        with contextlib.suppress(sqlite3.Error), \
                contextlib.closing(sqlite3.connect(self.folder / "jupyterhub.sqlite")) as db:
            rows = db.execute("SELECT state FROM spawners").fetchall()
            return [pid for (state,) in rows if state
                    and (pid := json.loads(state).get("pid"))]
        return []


def _config(folder: Path, port: int) -> Path:
    args = ["--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # the single-user server refuses root without it
    settings = {
        "JupyterHub.bind_url": f"http://127.0.0.1:{port}",
        "JupyterHub.hub_bind_url": f"http://127.0.0.1:{free_port()}",
        "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{free_port()}",
        "ConfigurableHTTPProxy.command": [str(PROXY)],
        "JupyterHub.db_url": f"sqlite:///{folder / 'jupyterhub.sqlite'}",
        "JupyterHub.cookie_secret_file": str(folder / "jupyterhub_cookie_secret"),
        "ConfigurableHTTPProxy.pid_file": str(folder / "proxy.pid"),
        "JupyterHub.authenticator_class": "dummy",
        "Authenticator.allowed_users": set(USERS),
        "JupyterHub.spawner_class": "simple",
        "SimpleLocalProcessSpawner.home_dir_template": str(folder / "home" / "{username}"),
        "Spawner.ip": "127.0.0.1",
        "Spawner.cmd": [sys.executable, "-m", "jupyterhub.singleuser"],
        "Spawner.args": args,
        "Spawner.default_url": f"/lab/tree/notebooks/{LESSON}.ipynb",
        "Spawner.start_timeout": 120,
        "Spawner.http_timeout": 120,
    }
    path = folder / "jupyterhub_config.py"
    path.write_text("".join(f"c.{key} = {value!r}\n" for key, value in settings.items()))
    return path


def _wait_for(hub: Hub, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            pytest.fail(f"JupyterHub exited with {hub.process.returncode}:\n{hub.tail()}")
        try:  # through the proxy, so both the proxy and the hub are up
            with urllib.request.urlopen(hub.url + "/hub/api", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterHub did not answer in {seconds} s:\n{hub.tail()}")


LOOPBACK = {"0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F"}


def _tree(root: int) -> set[int]:
    """``root`` and every process descended from it (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(") ", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(parents.get(pid, []))
    return found


def listening(root: int) -> list[str]:
    """``address:port`` of every TCP socket that ``root``'s process tree listens on."""
    inodes = set()
    for pid in _tree(root):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    address, port = fields[1].split(":")
                    found.append(f"{address}:{int(port, 16)}")
    return found


def _stop(pid: int, sig: int) -> None:
    """Signal ``pid``'s process group (servers run in their own), else ``pid`` alone."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(ChildProcessError):  # reap it if it is our zombie
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return True


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    require_chromium()
    if not PROXY.exists():
        message = f"the hub test needs {PROXY}: run `npm ci` (make test does)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    folder = tmp_path_factory.mktemp("hub")
    for user in USERS:  # the course is in each home before the learner's server starts
        course_copy(folder / "home" / user)
    port = free_port()
    config = _config(folder, port)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAPCOURSE_", "JUPYTER"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    log = open(folder / "hub.log", "w")  # noqa: SIM115 - closed in the finaliser
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                               cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    running = Hub(folder, f"http://127.0.0.1:{port}", process)
    try:
        _wait_for(running)
        yield running
    finally:
        servers = running.server_pids()
        proxy = folder / "proxy.pid"
        with contextlib.suppress(OSError, ValueError):
            servers.append(int(proxy.read_text()))
        process.terminate()  # the hub stops the learners' servers and the proxy it started
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # anything left in the hub's process group
        for pid in servers:  # and anything the hub failed to stop
            if _alive(pid):
                _stop(pid, signal.SIGTERM)
                time.sleep(2)
                _stop(pid, signal.SIGKILL)
        log.close()


def _learner_session(browser, hub: Hub, user: str, choice: int) -> str:
    """Log in through the hub, Run All Cells in lesson 01, answer its first quiz."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    watch = PageWatch(page, hub.url)
    page.goto(f"{hub.url}/hub/login", timeout=60_000)
    page.fill("#username_input", user)
    page.fill("#password_input", "any password")
    page.click("#login_submit")
    # The hub spawns the server and redirects to Spawner.default_url, the lesson. The
    # notebook's own indicator says idle before the kernel connects: wait for the status bar.
    page.wait_for_url(f"**/user/{user}/lab/**", timeout=150_000)
    page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for(timeout=120_000)

    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

    first = page.locator(".jp-OutputArea .widget-radio-box input[type=radio]").first
    first.wait_for(timeout=120_000)
    quiz = first.locator("xpath=ancestor::div[contains(@class, 'kq-widget')][1]")
    check_lab_radio(quiz.locator(".widget-radio-box input[type=radio]").nth(choice))
    quiz.locator("button", has_text="Check").click()
    text = widget_feedback_with_the_key(quiz)
    context.close()
    assert watch.external == [], watch.external
    return text


def _kapcourse(*args: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kapcourse", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


def _run_checked(hub: Hub, user: str, step):
    """Run a browser step; on failure, fail with the error and the hub's log (no traceback)."""
    try:
        return step()
    except Exception as exc:
        error = f"{user}'s session in the browser failed: {type(exc).__name__}: {exc}"
    pytest.fail(f"{error}\n{hub.tail()}", pytrace=False)


def test_two_learners_on_a_hub_keep_separate_progress_and_pool(hub, tmp_path):
    from playwright.sync_api import sync_playwright

    feedback = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for choice, user in enumerate(USERS):
                feedback[user] = _run_checked(
                    hub, user, lambda u=user, c=choice: _learner_session(browser, hub, u, c))
        finally:
            browser.close()

    # Everything the hub started (proxy, hub, both servers and their kernels) is still running:
    # it must listen on the loopback interface only.
    if Path("/proc/net/tcp").exists():
        sockets = listening(hub.process.pid) + [
            s for pid in hub.server_pids() for s in listening(pid)]
        assert len(sockets) >= 4, sockets  # at least the proxy, the hub and two servers
        exposed = [s for s in sockets if s.split(":")[0] not in LOOPBACK]
        assert exposed == [], f"listening beyond 127.0.0.1: {exposed}"

    answered = {}
    for choice, user in enumerate(USERS):
        text = feedback[user]
        assert text.startswith(("✓ Correct", "✗ Not quite")), text
        assert "Source" in text and "Lesson score:" in text
        folder = hub.home(user) / ".kapcourse"
        files = sorted(p.name for p in folder.glob("progress*.json"))
        assert files == [f"progress-{user}.json"], (user, files)  # only their own file
        items = json.loads((folder / files[0]).read_text())["items"]
        assert len(items) == 1, items
        (item_id, entry), = items.items()
        question = next(q for q in BANK.questions if q.id == item_id)
        expected = question.option_order[choice]  # the option shown at that position
        assert entry["bank"] == LESSON and entry["first_response"] == expected, entry
        answered[user] = item_id
    assert answered[USERS[0]] == answered[USERS[1]]  # the same first question, two records
    item_id = answered[USERS[0]]

    exports = tmp_path / "exports"
    exports.mkdir()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KAPCOURSE_", "JUPYTER"))}
    base["MPLBACKEND"] = "Agg"
    for user, name in zip(USERS, (None, "Ben"), strict=True):
        env = {**base, "HOME": str(hub.home(user)), "JUPYTERHUB_USER": user}
        extra = ["--name", name] if name else []
        result = _kapcourse("export", "--output", str(exports), *extra, env=env,
                            cwd=hub.home(user))
        assert result.returncode == 0, result.stderr
        who = f"named {name!r}" if name else "anonymous"
        assert f"({who}, 1 answered questions)" in result.stdout, result.stdout

    report = tmp_path / "report"
    result = _kapcourse("report", str(exports), "--output", str(report),
                        env={**base, "KAPCOURSE_ROOT": str(ROOT)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Pooled 2 learner(s) from 2 file(s)" in result.stdout, result.stdout
    markdown = (report / "report.md").read_text()
    assert markdown.startswith("# Workshop results: 2 learners"), markdown[:200]
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in markdown.splitlines() if line.startswith(f"| {item_id} |")]
    assert len(rows) == 1 and rows[0][1] == LESSON and rows[0][3] == "2", rows
