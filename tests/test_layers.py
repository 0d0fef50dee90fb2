"""Every test lands in its layer (tests/layers.py), so `make test-fast` runs only quick ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import ROOT
from .layers import COLLECTED, LAYERS

# Collects (never runs) the given paths in a fresh pytest and prints {node id: [layers]}; only
# for a run that did not collect the files itself (`pytest tests/test_layers.py`, say).
COLLECT = """
import json, sys
import pytest
LAYERS = {"unit", "widget", "book", "kernel", "browser", "lab", "hub"}
class Record:
    layers = {}
    def pytest_collection_finish(self, session):
        for item in session.items:
            self.layers[item.nodeid] = sorted(
                {m.name for m in item.iter_markers() if m.name in LAYERS})
record = Record()
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider",
                    "-p", "kapcourse.bank.jsonschema_import", *sys.argv[1:]],
                   plugins=[record])
print("LAYERS=" + json.dumps(record.layers))
sys.exit(int(code))
"""

KNOWN_FILES = ("tests/test_book.py", "tests/test_facilitator.py", "tests/test_lab.py",
               "tests/test_kernel_journey.py", "tests/test_widgets.py", "tests/test_hub.py",
               "tests/test_grading.py")


def collect(*args: str, cwd: Path = ROOT) -> dict[str, list[str]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run([sys.executable, "-c", COLLECT, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("LAYERS="))
    return json.loads(line.removeprefix("LAYERS="))


def collected_layers(config: pytest.Config, files: tuple[str, ...]) -> dict[str, list[str]]:
    """{node id: [layers]} of the tests in ``files``, as this session's collection marked them
    (conftest keeps them, deselected ones included, see tests/layers.py). Collected afresh in
    a subprocess when this session did not collect every one of the files whole (it was given
    other paths, or node ids: `-k` and `-m` deselect only after the layers are kept)."""
    seen = config.stash.get(COLLECTED, {})
    found = {node: layers for node, layers in seen.items() if node.split("::")[0] in files}
    whole = not any("::" in arg for arg in config.args)
    if whole and {node.split("::")[0] for node in found} == set(files):
        return found
    return collect(*files)


def test_known_tests_land_in_their_layer(pytestconfig):
    # (the browser layer's inference is checked below: every browser test file marks itself)
    layers = collected_layers(pytestconfig, KNOWN_FILES)
    assert all(len(found) == 1 for found in layers.values()), layers  # one layer each

    def layer(node: str) -> str:
        return layers[node][0]

    assert layer("tests/test_book.py::test_strict_build_renders_the_static_quiz_without_widget"
                 "_state") == "book"  # its module fixture builds the fixture book
    assert layer("tests/test_book.py::test_glossary_is_generated_sorted") == "unit"
    assert layer("tests/test_book.py::test_nbval_fails_on_a_wrong_stored_output") == "kernel"
    assert layer("tests/test_facilitator.py::test_report_notebook_runs_on_a_workshop_folder"
                 ) == "kernel"  # NotebookClient in the test's own code
    assert layer("tests/test_facilitator.py::test_agenda_times_come_from_lesson_metadata"
                 ) == "unit"
    assert layer("tests/test_kernel_journey.py::test_the_whole_journey_in_a_live_kernel"
                 ) == "kernel"
    assert layer("tests/test_widgets.py::test_multiple_select") == "widget"
    assert layer("tests/test_lab.py::test_run_all_and_answer_a_quiz_in_jupyterlab") == "lab"
    assert layer("tests/test_hub.py::test_two_learners_on_a_hub_keep_separate_progress_and_pool"
                 ) == "hub"
    assert {layer(n) for n in layers if n.startswith("tests/test_grading.py")} == {"unit"}


def test_a_new_test_file_lands_in_its_layer_without_a_mark(pytester):
    """Someone who never heard of layers writes tests: the fixtures and calls decide.
    (Collected in process by pytest's own pytester, which restores sys.modules and sys.path.)"""
    tmp_path = pytester.path
    (tmp_path / "conftest.py").write_text(textwrap.dedent("""
        import pytest
        from tests.layers import assign

        @pytest.fixture
        def browser():
            yield "a browser"

        @pytest.fixture
        def page(browser):
            yield "a page"

        @pytest.fixture
        def built_copy():
            return make_fixture_book  # a fixture whose code builds a book

        def pytest_collection_modifyitems(items):
            assign(items)
    """))
    (tmp_path / "test_new.py").write_text(textwrap.dedent("""
        import pytest

        def test_plain():
            assert 1 + 1 == 2

        def test_in_chromium(page):
            assert page

        def test_with_a_built_copy(built_copy):
            assert built_copy

        def test_in_a_kernel():
            NotebookClient  # noqa: B018 (a name the test refers to)

        @pytest.mark.lab
        def test_marked_by_hand():
            pass
    """))
    items, _ = pytester.inline_genitems("-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                                        str(tmp_path))
    layers = {item.nodeid: sorted({m.name for m in item.iter_markers() if m.name in LAYERS})
              for item in items}
    assert {node.split("::")[1]: found for node, found in layers.items()} == {
        "test_plain": ["unit"], "test_in_chromium": ["browser"],
        "test_with_a_built_copy": ["book"], "test_in_a_kernel": ["kernel"],
        "test_marked_by_hand": ["lab"]}


def test_the_slowest_layers_files_come_first_and_each_file_keeps_its_order(pytester):
    """layers.slowest_files_first, which `make test` relies on to hand the workers the long
    files first: a file ranks by its slowest test, and ties keep the order of collection."""
    (pytester.path / "conftest.py").write_text(textwrap.dedent("""
        import pytest
        from tests.layers import assign, slowest_files_first

        @pytest.fixture
        def page():
            yield "a page"

        def pytest_collection_modifyitems(items):
            assign(items)
            slowest_files_first(items)
    """))
    pytester.makepyfile(
        test_a_quick="def test_one(): pass\ndef test_two(): pass\ndef test_three(): pass\n",
        test_b_browser="def test_plain(): pass\ndef test_in_chromium(page): pass\n",
        test_c_lab="import pytest\n\n@pytest.mark.lab\ndef test_in_lab(): pass\n",
        test_d_quick="def test_four(): pass\n")
    run = pytester.inline_run("--collect-only", "-p", "no:cacheprovider")
    (finish,) = run.getcalls("pytest_collection_finish")
    assert [item.nodeid for item in finish.session.items] == [
        "test_c_lab.py::test_in_lab",
        "test_b_browser.py::test_plain", "test_b_browser.py::test_in_chromium",
        "test_a_quick.py::test_one", "test_a_quick.py::test_two", "test_a_quick.py::test_three",
        "test_d_quick.py::test_four"]
