"""The course's figures: one module per lesson topic, each function returns a matplotlib Figure.

Figure code lives here, not in notebooks, so every figure is reproducible and tested.
"""


def _show_figures_as_png() -> None:
    """Let a returned matplotlib Figure display as a PNG in a notebook without pyplot."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        select_figure_formats(shell, {"png"}, bbox_inches="tight")


_show_figures_as_png()
