"""Re-execute lesson notebooks in place, so stored outputs never lag the banks or the package.

The kernel gets a throwaway progress file, so a maintainer's own answers never leak into the
stored outputs, and no widget state is stored (the book does not use it).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def execute_notebooks(root: Path, paths: list[Path], timeout: int = 300) -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        previous = os.environ.get("KAPCOURSE_PROGRESS")
        os.environ["KAPCOURSE_PROGRESS"] = str(Path(scratch) / "progress.json")
        try:
            for path in paths:
                failures += not _execute_one(root, path, timeout)
        finally:
            if previous is None:
                os.environ.pop("KAPCOURSE_PROGRESS", None)
            else:
                os.environ["KAPCOURSE_PROGRESS"] = previous
    return 1 if failures else 0


def _execute_one(root: Path, path: Path, timeout: int) -> bool:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=False)
    try:
        client.execute()
    except CellExecutionError as exc:
        print(f"{path}: a cell failed:\n{exc}", file=sys.stderr)
        return False
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    print(f"executed {path.relative_to(root) if path.is_absolute() else path}")
    return True
