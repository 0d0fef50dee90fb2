"""kapcourse: the quiz model, renderers, progress and figures of the ketamine-assisted therapy
course. Notebooks use :class:`Lesson`; everything else is for tools and tests."""

from importlib.metadata import PackageNotFoundError, version

from kapcourse.bank.model import Bank, BankError, load_bank
from kapcourse.lesson import Lesson

try:  # one version number: pyproject.toml's, through the installed package's metadata
    __version__ = version("kapcourse")
except PackageNotFoundError:  # a source tree on PYTHONPATH without installing it
    __version__ = "0+unknown"
__all__ = ["Bank", "BankError", "Lesson", "__version__", "load_bank"]
