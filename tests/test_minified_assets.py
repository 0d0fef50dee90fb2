"""The book ships the course's scripts and style sheets minified (book.sphinx_ext.minified,
rjsmin and rcssmin): only comments and layout may go. Every script must parse to the same
syntax tree as its readable source in _static/ (so every name, string and message is kept
and no line break that ended a statement was lost); every style sheet keeps its tokens."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import tinycss2

from kapcourse.book.sphinx_ext import COURSE_ASSETS, minified

from .jsharness import NODE, require_node

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = [name for name in COURSE_ASSETS if name.endswith(".js")]
STYLES = [name for name in COURSE_ASSETS if name.endswith(".css")]

# acorn (package.json) parses both texts of each pair; positions and raw spellings are layout,
# not meaning. One node process compares many pairs (starting node is much of the cost).
SAME_TREE = """
const acorn = require(process.argv[1] + "/node_modules/acorn");
const pairs = JSON.parse(require("fs").readFileSync(0, "utf8"));
const tree = (code) => JSON.stringify(acorn.parse(code, {ecmaVersion: "latest"}),
  (key, value) => (["start", "end", "loc", "range", "raw"].includes(key) ? undefined : value));
process.stdout.write(JSON.stringify(pairs.map((texts) => {
  const [a, b] = texts.map(tree);
  return {same: a === b, size: a.length};
})));
"""


def same_trees(pairs: list[tuple[str, str]]) -> list[dict]:
    """For each (source, shipped) pair: do both parse to the same tree, and its size."""
    require_node()
    done = subprocess.run([NODE, "-e", SAME_TREE, str(ROOT)], input=json.dumps(pairs),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def same_tree(source: str, shipped: str) -> dict:
    (result,) = same_trees([(source, shipped)])
    return result


def _source_and_shipped(name: str) -> tuple[str, str]:
    source = (ROOT / "_static" / name).read_text(encoding="utf-8")
    return source, minified(name, source)


@pytest.fixture(scope="module")
def script_trees() -> dict[str, dict]:
    """Every shipped script against its source, in one node process."""
    return dict(zip(SCRIPTS, same_trees([_source_and_shipped(n) for n in SCRIPTS]), strict=True))


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_shipped_script_means_what_its_source_says(name, script_trees):
    source, shipped = _source_and_shipped(name)
    assert len(shipped) < len(source)
    result = script_trees[name]
    assert result["same"] and result["size"] > 100


def test_the_tree_comparison_sees_a_lost_line_break():
    """Without its line break, `return` followed by a value returns that value: a minifier
    that dropped it would change the script, and the comparison says so."""
    assert not same_tree("function f(){return\n1}", "function f(){return 1}")["same"]


def _tokens(css: str) -> list[str]:
    """Every token but comments, whitespace and a block's closing semicolon, nested blocks
    flattened (a space that is a descendant combinator is not compared: rcssmin keeps it)."""
    out = []

    def walk(nodes):
        for node in nodes:
            if node.type in ("whitespace", "comment"):
                continue
            content = getattr(node, "content", None)
            if node.type in ("() block", "[] block", "{} block", "function"):
                out.append(node.type + getattr(node, "name", ""))
                walk(node.arguments if node.type == "function" else content)
                if out[-1] == ";":  # the last declaration's semicolon is optional
                    out.pop()
                out.append("end")
            else:
                out.append(node.serialize())

    walk(tinycss2.parse_component_value_list(css, skip_comments=True))
    return out


@pytest.mark.parametrize("name", STYLES)
def test_a_shipped_style_sheet_keeps_every_token(name):
    source = (ROOT / "_static" / name).read_text(encoding="utf-8")
    shipped = minified(name, source)
    assert len(shipped) < len(source)
    assert _tokens(shipped) == _tokens(source) and len(_tokens(source)) > 20
