"""One consistent look for every figure in the collection.

Call :func:`use_house_style` once in a notebook's setup cell; then
:func:`plot_activation` draws a function (solid) and its derivative (dashed,
same colour) on shared, labelled, gridded axes, and :func:`plot_gallery`
puts several such panels side by side. Every plotting function returns its
``Figure`` so tests (and curious students) can inspect the data drawn.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from helpers import checks

COLORS = {
    "sigmoid": "#0072B2",
    "tanh": "#D55E00",
    "relu": "#009E73",
    "leaky_relu": "#CC79A7",
    "linear": "#666666",
}
"""A colour per activation (Okabe-Ito, readable with colour-blindness), the
same in every notebook, so a student recognises ReLU by its green."""

PLAYGROUND_COLORS = {"negative": "#f59322", "zero": "#e8eaeb", "positive": "#0877bd"}
"""The TensorFlow Playground's colour scale (``playground.ts``): orange for
-1, light grey for 0, blue for +1. Every figure of the circle data uses it."""

PLAYGROUND_CMAP = LinearSegmentedColormap.from_list(
    "playground", [PLAYGROUND_COLORS["negative"], PLAYGROUND_COLORS["zero"], PLAYGROUND_COLORS["positive"]]
)
"""A diverging colour map from -1 (orange) through 0 (grey) to +1 (blue)."""

HOUSE_STYLE = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.grid": True,
    "grid.alpha": 0.35,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": plt.cycler(color=list(COLORS.values()) + ["#E69F00", "#56B4E9"]),
    "lines.linewidth": 2.0,
    "legend.frameon": False,
}

INLINE_FIGURE_OPTIONS = {"bbox_inches": "tight", "metadata": {"Software": None}}
"""How Jupyter's inline backend saves figures: tight, and without the
matplotlib version in the PNG, so re-executing gives the same bytes."""


def use_house_style():
    """Apply the collection's matplotlib style (and inline-figure options in Jupyter)."""
    plt.rcParams.update(HOUSE_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python without IPython: only the style applies
        return
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("config", f"InlineBackend.print_figure_kwargs = {INLINE_FIGURE_OPTIONS!r}")


def padded_limits(*arrays, pad=0.08, include_zero=True):
    """``(low, high)`` spanning the finite values of ``arrays``, plus a margin."""
    values = np.concatenate([np.ravel(a) for a in arrays] + ([np.zeros(1)] if include_zero else []))
    values = values[np.isfinite(values)]
    low, high = float(values.min()), float(values.max())
    margin = pad * (high - low or 1.0)
    return low - margin, high + margin


def plot_activation(function, derivative, label, *, x=None, ax=None, color=None, title=None, ylim=None):
    """Plot ``function`` (solid) and ``derivative`` (dashed) against ``x``.

    ``label`` is the function's name in matplotlib mathtext, e.g. ``r"\\sigma"``
    or ``r"\\mathrm{ReLU}"``; the legend reads ``label(x)`` and ``label'(x)``.
    ``x`` defaults to 1201 points on [-6, 6]; ``ylim`` defaults to the data
    with a margin. Draws on ``ax`` if given, else on a new figure, and returns
    the figure.
    """
    x = np.linspace(-6.0, 6.0, 1201) if x is None else checks.real_array("x", x)
    if x.ndim != 1 or x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError("x must be a 1-d array of at least 2 finite numbers (NaN and inf have no place on an axis)")
    if ax is None:
        _, ax = plt.subplots()
    values, slopes = np.asarray(function(x)), np.asarray(derivative(x))
    (line,) = ax.plot(x, values, color=color, label=f"${label}(x)$")
    ax.plot(x, slopes, color=line.get_color(), linestyle="--", label=f"${label}'(x)$")
    ax.axhline(0.0, color="0.25", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.25", linewidth=0.8, zorder=0)
    ax.set_xlim(x.min(), x.max())
    ax.set_ylim(ylim if ylim is not None else padded_limits(values, slopes))
    ax.set_xlabel("$x$")
    ax.grid(True, alpha=HOUSE_STYLE["grid.alpha"])
    if title is not None:
        ax.set_title(title)
    ax.legend(loc="upper left")
    return ax.figure


def plot_gallery(panels, *, columns=4, x=None, ylim=None):
    """Several activations side by side, one panel each.

    ``panels`` is a sequence of ``(title, function, derivative, label, color)``
    tuples; each is drawn by :func:`plot_activation` with a shared ``ylim`` so
    the panels compare at a glance. Returns the figure.
    """
    columns = checks.integer("columns", columns, 1)
    if not panels:
        raise ValueError("panels is empty: give at least one (title, function, derivative, label, color)")
    rows = -(-len(panels) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.4 * columns, 3.2 * rows), squeeze=False)
    for ax, (title, function, derivative, label, color) in zip(axes.flat, panels):
        plot_activation(function, derivative, label, x=x, ax=ax, color=color, title=title, ylim=ylim)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
