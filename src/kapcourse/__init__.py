"""kapcourse: the quiz model, renderers, progress and figures of the ketamine-assisted therapy
course. Notebooks use :class:`Lesson`; everything else is for tools and tests."""

from .lesson import Lesson
from .model import Bank, BankError, load_bank

__version__ = "0.2.0"
__all__ = ["Bank", "BankError", "Lesson", "__version__", "load_bank"]
