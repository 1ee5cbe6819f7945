"""One consistent look for every figure: :func:`use_house_style`, :func:`plot_activation` (a function solid, its
derivative dashed, broken where it jumps) and :func:`plot_gallery` (panels side by side); each returns its Figure.
:func:`show` displays a figure with its alternative text."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from helpers import checks
from helpers.activations import REGISTRY

COLORS = {name: entry.color for name, entry in REGISTRY.items()} | {"linear": "#666666"}
"""Each activation's colour from the registry (grey for the identity): ReLU is green in every notebook."""

PLAYGROUND_COLORS = {"negative": "#f59322", "zero": "#e8eaeb", "positive": "#0877bd"}
"""The TensorFlow Playground's colours (``playground.ts``) for -1, 0 and +1, in every figure of its data."""

PLAYGROUND_CMAP = LinearSegmentedColormap.from_list("playground", list(PLAYGROUND_COLORS.values()))
"""A diverging colour map from -1 (orange) through 0 (grey) to +1 (blue)."""

HOUSE_STYLE = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.grid": True,
    "grid.alpha": 0.35,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": plt.cycler(color=list(COLORS.values())),
    "lines.linewidth": 2.0,
    "legend.frameon": False,
}

GALLERY_WIDTH = 9.0
"""Inches a gallery may be wide: an A4 handout prints it at 17 cm, its 11-point text then at 8 points or more."""

INLINE_FIGURE_OPTIONS = {"bbox_inches": "tight", "metadata": {"Software": None}}
"""Jupyter's inline figures: tight, and no matplotlib version in the PNG (re-executing gives the same bytes)."""


def use_house_style():
    """Apply the collection's matplotlib style (``helpers.notebook.setup()`` also sets the inline options)."""
    plt.rcParams.update(HOUSE_STYLE)


def padded_limits(*arrays, pad=0.08, include_zero=True):
    """``(low, high)`` spanning the finite values of ``arrays``, plus a margin."""
    values = np.concatenate([np.ravel(a) for a in arrays] + ([np.zeros(1)] if include_zero else []))
    values = values[np.isfinite(values)]
    low, high = float(values.min()), float(values.max())
    margin = pad * (high - low or 1.0)
    return low - margin, high + margin


def jumps(slopes):
    """Indices ``i`` where sampled ``slopes`` jump between points ``i`` and ``i + 1``: a step over 8 times both
    steps beside it and above float noise (1e-3 of the largest slope). On a fine grid, that is a kink."""
    with np.errstate(invalid="ignore"):  # inf - inf is no step
        step = np.abs(np.diff(slopes.astype(float)))
        beside = np.fmax(np.r_[0.0, step[:-1]], np.r_[step[1:], 0.0])
        noise = 1e-3 * np.max(np.abs(slopes), where=np.isfinite(slopes), initial=0.0)
        return np.flatnonzero((step > 8 * beside) & (step > noise))


def plot_activation(function, derivative=None, label=None, *, x=None, ax=None, color=None, title=None, ylim=None):
    """Plot ``function`` (solid) and ``derivative`` (dashed, broken where it jumps) on ``ax`` (or a new figure).

    ``function`` is a registry name (its entry gives the derivative, and the label, colour and title
    unless given), or a callable with its ``derivative`` and ``label`` in mathtext (``r"\\sigma"``: the
    legend reads ``label(x)`` and ``label'(x)``). ``x`` defaults to 1201 points on [-6, 6], ``ylim`` to
    the data with a margin. Returns the figure."""
    if isinstance(function, str):
        entry = REGISTRY[checks.choice("activation", function, REGISTRY)]
        function, derivative = entry.function, entry.derivative
        label, color, title = label or entry.label, color or entry.color, title or entry.title
    elif derivative is None or label is None:
        raise TypeError("plot_activation needs a derivative and a label with a function (or a registry name)")
    x = np.linspace(-6.0, 6.0, 1201) if x is None else checks.real_array("x", x)
    if x.ndim != 1 or x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError("x must be a 1-d array of at least 2 finite numbers (NaN and inf have no place on an axis)")
    ax = plt.subplots()[1] if ax is None else ax
    values, slopes = np.asarray(function(x)), np.asarray(derivative(x))
    (line,) = ax.plot(x, values, color=color, label=f"${label}(x)$")
    at, color = jumps(slopes), line.get_color()  # at a jump the pen lifts (that point masked): a gap, no riser
    ax.plot(x, np.ma.array(slopes, mask=np.isin(np.arange(x.size), at)), "--", color=color, label=f"${label}'(x)$")
    if at.size:  # a filled dot at the value taken at the kink, an open dot at the other side's limit
        for y, face in ((slopes[at], color), (slopes[at + 1], "white")):
            ax.plot(x[at], y, "o", color=color, markerfacecolor=face, zorder=3)
    ax.axhline(0.0, color="0.25", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.25", linewidth=0.8, zorder=0)
    ylim = padded_limits(values, slopes) if ylim is None else ylim
    ax.set(xlim=(x.min(), x.max()), ylim=ylim, xlabel="$x$", title=title or "")
    ax.grid(True, alpha=HOUSE_STYLE["grid.alpha"])
    ax.legend(loc="upper left")
    return ax.figure


def plot_gallery(panels, *, columns=4, x=None, ylim=None):
    """Activations side by side, one :func:`plot_activation` panel each with a shared ``ylim``; a panel is
    a registry name or a tuple ``(title, function, derivative, label, color)``. Returns the figure."""
    columns = checks.integer("columns", columns, 1)
    if not panels:
        raise ValueError("panels is empty: give at least one name or (title, function, derivative, label, color)")
    rows, width = -(-len(panels) // columns), min(3.4, GALLERY_WIDTH / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(width * columns, 3.2 * rows * width / 3.4), squeeze=False)
    for ax, panel in zip(axes.flat, panels):
        if isinstance(panel, str):
            plot_activation(panel, x=x, ax=ax, ylim=ylim)
        else:
            title, function, derivative, label, color = panel
            plot_activation(function, derivative, label, x=x, ax=ax, color=color, title=title, ylim=ylim)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def show(fig, *, alt):
    """Display ``fig`` in the notebook with ``alt``, one or two sentences saying what it shows, then close it.

    The text is kept with the image in the notebook (the output's ``image/png`` metadata): screen readers
    and the HTML handouts and slides read it where the figure cannot be seen."""
    from IPython.display import display

    if not isinstance(alt, str) or len(alt.split()) < 5 or not alt.rstrip().endswith("."):
        raise ValueError(f"alt must be a sentence of at least five words, ending with a full stop; got {alt!r}")
    display(fig, metadata={"image/png": {"alt": " ".join(alt.split())}})
    plt.close(fig)
