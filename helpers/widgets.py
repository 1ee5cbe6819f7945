"""Interactive explorations for JupyterLab, built on plain, tested functions.

Two explorers, each one call in a notebook cell:

* :func:`leaky_relu_explorer` - a slider for the slope ``alpha`` of Leaky ReLU,
  redrawing the function and its derivative;
* :func:`playground_explorer` - the TensorFlow Playground experiment of
  :mod:`helpers.playground`: pick the activation, learning rate, hidden layers
  and epochs, press *Train*, and see the loss curves of several seeds and the
  decision boundary of one of them.

Everything a widget does is a plain function here, unit-tested without a
browser: :func:`draw_leaky_relu`, :func:`parse_hidden_layers`,
:func:`run_playground`, :func:`draw_playground`. The widgets only wire
controls to them.

Figures are drawn on a :class:`matplotlib.figure.Figure` that belongs to the
widget (not to ``pyplot``: nothing is left for the inline backend to show
twice or to leak), rendered to PNG bytes with the collection's inline-figure
options and shown in an ``ipywidgets.Image``. So the widgets work under any
matplotlib backend, and their state (the current PNG included) is what a
notebook saved with widget state shows. The sliders need a running kernel:
where there is none (a static HTML page, GitHub), a widget shows the figure it
was saved with, or the short description of its ``text/plain`` form.
"""

import html
import io
import numbers
import re
import warnings

import ipywidgets
import numpy as np
from matplotlib.figure import Figure

from helpers import activations, checks, playground, plotting

__all__ = [
    "LEARNING_RATES",
    "draw_leaky_relu",
    "leaky_relu_explorer",
    "parse_hidden_layers",
    "run_playground",
    "draw_playground",
    "playground_explorer",
    "figure_png",
]

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
"""The learning rates the TensorFlow Playground offers in its drop-down."""

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 8
"""The Playground's limits: up to 6 hidden layers of up to 8 neurons each."""

LEAKY_X = np.linspace(-4.0, 4.0, 801)
LEAKY_YLIM = (-4.2, 4.2)
"""Fixed axes for the Leaky ReLU explorer: the slope changes, the axes do not,
so a student sees the negative branch tilt as alpha grows."""

LOSS_YLIM = (1e-3, 1.2)
"""Loss axis of the Playground figure: from 1e-3 (a solved circle) to above
the largest loss a tanh output can reach, widened only if the data need it."""

BOUNDARY_EXTENT = 6.0
"""The decision boundary is drawn on [-6, 6] x [-6, 6], as in the Playground."""


def _image_for(fig):
    """An ``ipywidgets.Image`` for ``fig``'s PNGs, at their pixel size (not
    stretched to the cell's width, which would blur it), shrinking on narrow screens."""
    width = round(fig.get_figwidth() * fig.dpi)
    return ipywidgets.Image(format="png", layout=ipywidgets.Layout(width=f"{width}px", max_width="100%", height="auto"))


def figure_png(fig):
    """The figure as PNG bytes, without the software version: the same figure
    gives the same bytes. (The widgets' figures have fixed margins: a tight
    bounding box would render every frame twice, and constrained layout
    shifts the axes by fractions of a pixel from one save to the next.)"""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata=plotting.INLINE_FIGURE_OPTIONS["metadata"])
    return buffer.getvalue()


class _Explorer(ipywidgets.VBox):
    """A VBox with a readable ``text/plain`` form (what a page without a kernel shows)."""

    def __init__(self, description, children, **kwargs):
        super().__init__(children, **kwargs)
        self._description = description

    def __repr__(self):
        return self._description


# ----------------------------------------------------------------------------
# Leaky ReLU: a slider for alpha
# ----------------------------------------------------------------------------


def draw_leaky_relu(ax, alpha):
    """Draw Leaky ReLU and its derivative for slope ``alpha`` on ``ax`` (cleared first).

    The axes are fixed (x and y in [-4, 4], equal scales), so the drawn slope
    of the negative branch is the true slope. Returns ``ax``.
    """
    alpha = activations.check_slope(alpha)
    ax.clear()
    plotting.plot_activation(
        lambda x: activations.leaky_relu(x, alpha),
        lambda x: activations.leaky_relu_derivative(x, alpha),
        r"\mathrm{LeakyReLU}_{\alpha}",
        x=LEAKY_X,
        ax=ax,
        color=plotting.COLORS["leaky_relu"],
        title=rf"Leaky ReLU with $\alpha = {alpha:.3g}$",
        ylim=LEAKY_YLIM,
    )
    ax.set_aspect("equal")
    ax.text(
        0.97, 0.04, rf"slope for $x \leq 0$: $\alpha = {alpha:.3g}$",
        transform=ax.transAxes, ha="right", va="bottom",
    )
    return ax


def leaky_relu_explorer(alpha=0.01):
    """A slider for ``alpha`` (0 to 1) above a figure of Leaky ReLU and its derivative.

    Moving the slider calls :func:`draw_leaky_relu` and shows the new figure.
    Returns the widget (an ``ipywidgets.VBox``: slider, image); display it by
    making it the last expression of a cell.
    """
    alpha = activations.check_slope(alpha)
    if not 0 <= alpha <= 1:
        raise ValueError(f"the slider covers alpha in [0, 1], got {alpha!r}")
    fig = Figure(figsize=(6.0, 6.0))
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.09, top=0.94)
    ax = fig.add_subplot()
    slider = ipywidgets.FloatSlider(
        value=alpha, min=0.0, max=1.0, step=0.01, description="alpha",
        readout=True, readout_format=".2f", continuous_update=True,
        layout=ipywidgets.Layout(width="32em"),
    )
    image = _image_for(fig)

    def redraw(alpha):
        draw_leaky_relu(ax, alpha)
        image.value = figure_png(fig)

    slider.observe(lambda change: redraw(change["new"]), names="value")
    redraw(slider.value)
    return _Explorer(
        "Leaky ReLU explorer: a slider for alpha and the plot (move it in JupyterLab)",
        [slider, image],
    )


# ----------------------------------------------------------------------------
# The Playground experiment: train, then look
# ----------------------------------------------------------------------------


def parse_hidden_layers(text):
    """Hidden-layer widths from text such as ``"3, 3"`` (or ``"4 2"``, ``"(3, 3)"``).

    An empty text means no hidden layer (the inputs feed the output node
    directly). Within the Playground's limits: at most 6 layers of 1 to 8
    neurons. Raises ``ValueError`` with a message a student can act on.
    Sequences of integers are accepted as they are, with the same limits.
    """
    if isinstance(text, str):
        body = text.strip().strip("()[]").strip()
        # Split first, then check each token: no pattern that could backtrack on long input.
        tokens = re.split(r"\s*,\s*|\s+", body) if body else []
        if len(body) > 100 or not all(re.fullmatch(r"[0-9]+", token) for token in tokens):
            raise ValueError(
                f"hidden layers {text!r}: write whole numbers separated by commas, "
                "e.g. '3, 3' (two layers of 3 neurons) or '' (no hidden layer)"
            )
        widths = tuple(int(token) for token in tokens)
    else:
        try:
            widths = tuple(text)
        except TypeError:
            raise TypeError(f"hidden layers must be text like '3, 3' or a sequence of integers, got {text!r}") from None
        widths = tuple(checks.integer("a hidden layer width", width) for width in widths)
    if len(widths) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"hidden layers {text!r}: at most {MAX_HIDDEN_LAYERS} layers, as in the Playground")
    if any(not 1 <= width <= MAX_NEURONS for width in widths):
        raise ValueError(f"hidden layers {text!r}: each layer has 1 to {MAX_NEURONS} neurons, as in the Playground")
    return widths


def run_playground(activation, learning_rate, hidden_layers, epochs, seeds):
    """Train one Playground network per seed; returns a ``playground.TrainingResult``.

    ``activation`` is a name of :func:`helpers.playground.known_activations`;
    ``learning_rate`` a positive number (the Playground offers
    :data:`LEARNING_RATES`); ``hidden_layers`` text for
    :func:`parse_hidden_layers` or a sequence of widths; ``epochs`` a
    non-negative integer; ``seeds`` a sequence of seeds or a count ``n``
    (seeds ``0 .. n-1``). Batch size 10, no noise, half the points for
    training: the Playground's defaults.
    """
    if activation not in playground.known_activations():
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(playground.known_activations())}")
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, (bool, np.bool_)):
        if seeds < 1:
            raise ValueError(f"the number of seeds must be at least 1, got {seeds}")
        seeds = range(int(seeds))
    return playground.train_networks(
        activation, seeds, epochs, learning_rate=learning_rate, hidden_layers=parse_hidden_layers(hidden_layers)
    )


def _finite_median(losses, axis=0):
    """Median over the seeds that did not diverge (NaN where every seed did)."""
    finite = np.where(np.isfinite(losses), losses, np.nan)
    with warnings.catch_warnings():  # an all-NaN column is reported as NaN, not warned about
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(finite, axis=axis)


def _loss_summary(result):
    final = result.test_loss[:, -1]
    return float(_finite_median(final)), int(np.sum(~np.isfinite(final)))


def draw_playground(axes_pair, result, seed_index=0):
    """Draw a training result on two axes (both cleared first) and return them.

    Left: train and test loss of every seed against the epoch (thin lines)
    and their medians (thick), on a log scale. Right: the decision function of
    the network of ``result.seeds[seed_index]`` after the last epoch on
    [-6, 6]^2 in the Playground's colours (orange -1, blue +1), with that
    seed's test points and the decision boundary (output 0).
    """
    ax_loss, ax_map = axes_pair
    ax_loss.clear()
    ax_map.clear()
    n_seeds = len(result.seeds)
    seed_index = checks.integer("seed_index", seed_index)
    if not -n_seeds <= seed_index < n_seeds:
        raise IndexError(f"seed_index {seed_index} out of range for {n_seeds} seeds")
    epochs = np.arange(result.epochs + 1)
    colours = {"train": "0.45", "test": plotting.COLORS.get(result.activation, "C0")}
    curves = {"train": result.train_loss, "test": result.test_loss}
    curves = {name: losses for name, losses in curves.items() if losses is not None}  # record_train_loss=False
    for name, losses in curves.items():
        finite = np.where(np.isfinite(losses), losses, np.nan)  # a diverged run leaves a gap
        ax_loss.plot(epochs, finite.T, color=colours[name], linewidth=0.7, alpha=0.35)
        ax_loss.plot(epochs, _finite_median(finite), color=colours[name], linewidth=2.2,
                     label=f"{name} loss, median of {n_seeds} seeds")
    ax_loss.set_yscale("log")
    # The same decades for every run (unless the data leave them), so runs compare at a glance.
    losses = np.concatenate([losses.ravel() for losses in curves.values()])
    losses = losses[np.isfinite(losses) & (losses > 0)]
    if losses.size:
        ax_loss.set_ylim(min(LOSS_YLIM[0], 0.8 * losses.min()), max(LOSS_YLIM[1], 1.2 * losses.max()))
    ax_loss.set_xlim(0, max(result.epochs, 1))
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("mean loss $\\frac{1}{2}(y - t)^2$")
    layers = ", ".join(map(str, result.hidden_layers)) or "none"
    ax_loss.set_title(f"{result.activation}, learning rate {result.learning_rate:g}, hidden layers {layers}")
    ax_loss.legend(loc="lower left")  # the curves start high on the left and fall to the right

    grid = np.linspace(-BOUNDARY_EXTENT, BOUNDARY_EXTENT, 121)
    gx, gy = np.meshgrid(grid, grid)
    with np.errstate(all="ignore"):  # a diverged network may give NaN: drawn blank
        values = result.decision_function(np.stack([gx, gy], axis=-1), seed_index=seed_index)
    extent = (-BOUNDARY_EXTENT, BOUNDARY_EXTENT, -BOUNDARY_EXTENT, BOUNDARY_EXTENT)
    # A paler background than the points, as in the Playground, so the points stand out.
    ax_map.imshow(values, origin="lower", extent=extent, cmap=plotting.PLAYGROUND_CMAP, vmin=-1, vmax=1,
                  interpolation="bilinear", alpha=0.6)
    if np.nanmin(values) < 0 < np.nanmax(values):
        ax_map.contour(gx, gy, values, levels=[0.0], colors="0.2", linewidths=1.0)
    points, labels = result.runs.test_points[seed_index], result.runs.test_labels[seed_index]
    for label, key in ((1.0, "positive"), (-1.0, "negative")):
        chosen = labels == label
        ax_map.scatter(points[chosen, 0], points[chosen, 1], s=16, color=plotting.PLAYGROUND_COLORS[key],
                       edgecolors="black", linewidths=0.6)
    ax_map.set_xlim(-BOUNDARY_EXTENT, BOUNDARY_EXTENT)
    ax_map.set_ylim(-BOUNDARY_EXTENT, BOUNDARY_EXTENT)
    ax_map.set_aspect("equal")
    ax_map.grid(False)
    ax_map.set_xlabel("$x_1$")
    ax_map.set_ylabel("$x_2$")
    test_loss = result.test_loss[seed_index, -1]
    ax_map.set_title(f"seed {int(result.seeds[seed_index])} after {result.epochs} epochs: test loss {test_loss:.3f}")
    return ax_loss, ax_map


def playground_explorer(activation="tanh", learning_rate=0.03, hidden_layers="3, 3", epochs=200, seeds=8):
    """Controls for the Playground experiment, a *Train* button and its figure.

    Choose the activation, learning rate, hidden layers (text such as
    ``"3, 3"``) and epochs, press *Train*: :func:`run_playground` trains
    ``seeds`` networks (8 by default: a few seconds) and
    :func:`draw_playground` shows their loss curves and the decision boundary
    of the seed picked with the *seed* slider (which redraws at once, without
    retraining). Trains once when built, so the figure is there from the
    start. Returns the widget (an ``ipywidgets.VBox``).
    """
    result = run_playground(activation, learning_rate, hidden_layers, epochs, seeds)
    fig = Figure(figsize=(11.5, 4.6))
    axes_pair = fig.subplots(1, 2, gridspec_kw={
        "width_ratios": [1.35, 1.0], "left": 0.08, "right": 0.99, "bottom": 0.11, "top": 0.93, "wspace": 0.2,
    })

    style = {"description_width": "8em"}
    activation_box = ipywidgets.Dropdown(
        options=list(playground.known_activations()), value=result.activation, description="activation", style=style
    )
    rate_box = ipywidgets.Dropdown(
        options=[(f"{rate:g}", rate) for rate in LEARNING_RATES]
        + ([] if learning_rate in LEARNING_RATES else [(f"{learning_rate:g}", learning_rate)]),
        value=learning_rate, description="learning rate", style=style,
    )
    layers_box = ipywidgets.Text(
        value=", ".join(map(str, result.hidden_layers)), description="hidden layers",
        placeholder="e.g. 3, 3", style=style,
    )
    epochs_box = ipywidgets.IntSlider(
        value=result.epochs, min=min(10, result.epochs), max=max(1000, result.epochs), step=10, description="epochs",
        continuous_update=False, style=style,
    )
    seed_box = ipywidgets.IntSlider(
        value=0, min=0, max=len(result.seeds) - 1, description="seed shown", continuous_update=True, style=style,
    )
    button = ipywidgets.Button(description="Train", button_style="primary", icon="play")
    status = ipywidgets.HTML()
    image = _image_for(fig)
    state = {"result": result}

    def show():
        current = state["result"]
        draw_playground(axes_pair, current, seed_box.value)
        image.value = figure_png(fig)
        median, diverged = _loss_summary(current)
        status.value = (
            f"{len(current.seeds)} networks trained: median final test loss {median:.4f}"
            + (f", {diverged} diverged" if diverged else "")
        )

    def train(_button=None):
        button.disabled = True
        status.value = f"training {len(state['result'].seeds)} networks..."
        try:
            state["result"] = run_playground(
                activation_box.value, rate_box.value, layers_box.value, epochs_box.value, seeds
            )
        except (TypeError, ValueError) as error:
            status.value = f"<b>Cannot train:</b> {html.escape(str(error))}"
            return
        finally:
            button.disabled = False
        show()

    button.on_click(train)
    seed_box.observe(lambda change: show(), names="value")
    show()
    controls = ipywidgets.HBox(
        [ipywidgets.VBox([activation_box, rate_box, layers_box]), ipywidgets.VBox([epochs_box, seed_box, button])]
    )
    return _Explorer(
        "Playground explorer: choose, press Train, compare (interactive in JupyterLab)",
        [controls, status, image],
    )
