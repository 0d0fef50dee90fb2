"""Release metadata a publisher relies on: one version number everywhere it is written."""

from __future__ import annotations

import re
import tomllib

import yaml

from kapcourse import __version__

from .conftest import ROOT


def test_the_version_is_the_same_in_every_file_that_states_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())["version"]
    assert project == citation == __version__
    assert f"(version {__version__})" in (ROOT / "book" / "intro.md").read_text()


def test_the_changelog_has_a_dated_section_and_a_link_for_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d\d-\d\d$", changelog, re.M)
    assert re.search(rf"^\[{re.escape(__version__)}\]: https://", changelog, re.M)
