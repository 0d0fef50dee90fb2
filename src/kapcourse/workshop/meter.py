"""Progress of a long run (``kapcourse report`` over many exports), on stderr.

On a terminal: a ``tqdm`` bar, redrawn in place. Anywhere else (a pipe, a log file, a CI
job): plain lines, at most one per ``STEP`` of the work or per ``EVERY`` seconds, never one
per file, because a redrawn bar written to a file is one endless line of carriage returns
(tqdm has no mode for this, so these few lines are written here).
"""

from __future__ import annotations

import time

from tqdm import tqdm

STEP = 0.1  # a plain line every 10% of the files ...
EVERY = 30.0  # ... or every 30 seconds, whichever comes first
LABEL = "Pooling results"


class Lines:
    """Plain progress lines: ``Pooling results [#########.....] 3000/10000 (30%)``."""

    def __init__(self, total: int, stream, clock=time.monotonic) -> None:
        self.total, self.stream, self.clock = total, stream, clock
        self.done = 0
        self._shown_done, self._shown_at = 0, clock()

    def update(self, count: int = 1) -> None:
        self.done += count
        if (self.done == self.total or self.done - self._shown_done >= STEP * self.total
                or self.clock() - self._shown_at >= EVERY):
            self._show()

    def _show(self) -> None:
        filled = int(30 * self.done / self.total)
        self.stream.write(f"{LABEL} [{'#' * filled}{'.' * (30 - filled)}] "
                          f"{self.done}/{self.total} ({self.done / self.total:.0%})\n")
        self.stream.flush()
        self._shown_done, self._shown_at = self.done, self.clock()

    def close(self) -> None:
        if self.done != self._shown_done:
            self._show()


class Silent:
    def update(self, count: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def meter(total: int, stream, least: int = 20):
    """A progress display for ``total`` steps on ``stream`` (None or fewer than ``least``
    steps: none): a bar on a terminal, plain lines elsewhere."""
    if stream is None or total < least:
        return Silent()
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return tqdm(total=total, file=stream, desc=LABEL, unit="file", dynamic_ncols=True)
    return Lines(total, stream)
