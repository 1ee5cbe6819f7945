"""The one call at the top of every notebook: ``from helpers.notebook import setup; setup()``."""

from sympy.printing.printer import Printer

from helpers import plotting


def setup():
    """Show figures inline (only in a running kernel; harmless elsewhere), then apply the
    house style and print SymPy terms in the order written."""
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python without IPython
        get_ipython = type(None)
    shell = get_ipython()
    if getattr(shell, "kernel", None) is not None:
        shell.run_line_magic("matplotlib", "inline")  # first: it resets the figure options
        shell.run_line_magic("config", f"InlineBackend.print_figure_kwargs = {plotting.INLINE_FIGURE_OPTIONS!r}")
    plotting.use_house_style()
    Printer.set_global_settings(order="none")
