"""Files only the learner can read: exports, completion records and backups hold a name and
answers. A leaf module (the progress store, exports and pages all write such files)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new or existing file that only its owner can read (0600): exports,
    completion records and backups hold a name and answers. Written in place, so nothing is
    left behind if it fails; a symlink at ``path`` is refused where the OS allows it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags, PRIVATE_FILE)
    with os.fdopen(handle, "wb") as out:
        with contextlib.suppress(AttributeError, NotImplementedError, OSError):
            os.fchmod(out.fileno(), PRIVATE_FILE)  # an existing file keeps its mode otherwise
        out.write(data)
