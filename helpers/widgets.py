"""Interactive explorers for JupyterLab, each one call in a notebook cell, on plain tested functions:

* :func:`leaky_relu_explorer`: a slider for Leaky ReLU's slope ``alpha`` (drawn by :func:`draw_leaky_relu`);
* :func:`playground_explorer`: the TensorFlow Playground experiment of :mod:`helpers.playground`
  (:func:`run_playground` trains several seeds, :func:`draw_playground` shows their loss curves and the
  decision boundary of one of them).

A widget draws on a ``Figure`` of its own (not ``pyplot``, so nothing is shown twice or leaks) and shows
it as PNG bytes in an ``ipywidgets.Image``: it works under any backend, and without a kernel the saved
page shows the last figure, or the widget's short ``text/plain`` description.
"""

import functools
import html
import io
import numbers
import re

import ipywidgets
import numpy as np
from matplotlib.figure import Figure

from helpers import checks, playground, plotting
from helpers.activations import REGISTRY

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
"""The learning rates the TensorFlow Playground offers."""

ACTIVATIONS = [(entry.title, name) for name, entry in REGISTRY.items()] + [("linear", "linear")]
"""The explorer's choice of hidden-layer activation: every registry entry, and the identity."""

MAX_HIDDEN_LAYERS, MAX_NEURONS = 6, 8  # the Playground's limits
LEAKY_X, LEAKY_YLIM = np.linspace(-4.0, 4.0, 801), (-4.2, 4.2)  # fixed: alpha tilts the line, not the axes
LOSS_YLIM = (1e-3, 1.2)  # from a solved circle to above the largest loss of a tanh output
BOUNDARY_EXTENT = 6.0  # the decision function is drawn on [-6, 6]^2, as in the Playground


def figure_png(fig):
    """``fig`` as PNG bytes without the software version: the same figure gives the same bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata=plotting.INLINE_FIGURE_OPTIONS["metadata"])
    return buffer.getvalue()


def _figure_image(fig, draw):
    """An ``Image`` of ``fig`` at its pixel size (not blurred to the cell's width), and a function
    that calls ``draw()`` and shows the new figure in it."""
    layout = ipywidgets.Layout(width=f"{round(fig.get_figwidth() * fig.dpi)}px", max_width="100%", height="auto")
    image = ipywidgets.Image(format="png", layout=layout)

    def redraw(*_change):
        draw()
        image.value = figure_png(fig)

    return image, redraw


class _Explorer(ipywidgets.VBox):
    """A VBox with a readable ``text/plain`` form (what a page without a kernel shows)."""

    def __init__(self, description, children):
        super().__init__(children)
        self._description = description

    def __repr__(self):
        return self._description


def draw_leaky_relu(ax, alpha):
    """Leaky ReLU and its derivative for slope ``alpha`` on ``ax`` (cleared first), on fixed and equal
    axes, so the drawn slope of the negative branch is the true one. Returns ``ax``."""
    alpha, entry = checks.real("alpha", alpha), REGISTRY["leaky_relu"]
    function, derivative = (functools.partial(f, alpha=alpha) for f in (entry.function, entry.derivative))
    ax.clear()
    label, title = entry.label + r"_{\alpha}", rf"{entry.title} with $\alpha = {alpha:.3g}$"
    options = {"x": LEAKY_X, "ylim": LEAKY_YLIM, "color": entry.color, "title": title}
    plotting.plot_activation(function, derivative, label, ax=ax, **options)
    ax.set_aspect("equal")
    slope = rf"slope for $x \leq 0$: $\alpha = {alpha:.3g}$"
    ax.text(0.97, 0.04, slope, transform=ax.transAxes, ha="right", va="bottom")
    return ax


def leaky_relu_explorer(alpha=0.01):
    """A slider for ``alpha`` in [0, 1] above a figure of Leaky ReLU and its derivative; display the
    returned widget by making it the last expression of a cell."""
    fig = Figure(figsize=(6.0, 6.0))
    ax = fig.subplots(gridspec_kw={"left": 0.1, "right": 0.97, "bottom": 0.09, "top": 0.94})
    value = checks.real("alpha", alpha, 0.0, 1.0)
    slider = ipywidgets.FloatSlider(value, min=0.0, max=1.0, step=0.01, description="alpha", readout_format=".2f")
    slider.layout.width = "32em"
    image, redraw = _figure_image(fig, lambda: draw_leaky_relu(ax, slider.value))
    slider.observe(redraw, names="value")
    redraw()
    return _Explorer("Leaky ReLU explorer: a slider for alpha and the plot (move it in JupyterLab)", [slider, image])


def parse_hidden_layers(text):
    """Hidden-layer widths from text such as ``"3, 3"``, ``"4 2"`` or ``"(3, 3)"`` (``""``: none), or
    from a sequence of integers, within the Playground's limits: at most 6 layers of 1 to 8 neurons."""
    if isinstance(text, str):
        body = text.strip().strip("()[]").strip()
        tokens = re.split(r"\s*,\s*|\s+", body) if body else []  # split, then check: nothing to backtrack
        if len(body) > 100 or not all(re.fullmatch(r"[0-9]+", token) for token in tokens):
            raise ValueError(
                f"hidden layers {text!r}: write whole numbers separated by commas, "
                "e.g. '3, 3' (two layers of 3 neurons) or '' (no hidden layer)"
            )
        widths = [int(token) for token in tokens]
    else:
        widths = checks.integers("hidden layers", text)
    if len(widths) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"hidden layers {text!r}: at most {MAX_HIDDEN_LAYERS} layers, as in the Playground")
    if any(not 1 <= width <= MAX_NEURONS for width in widths):
        raise ValueError(f"hidden layers {text!r}: each layer has 1 to {MAX_NEURONS} neurons, as in the Playground")
    return tuple(widths)


def run_playground(activation, learning_rate, hidden_layers, epochs, seeds):
    """Train one Playground network per seed (``seeds``: a sequence, or a count ``n`` for 0 .. n-1) with
    the Playground's defaults (batch 10, no noise, half the points for training): a ``TrainingResult``.
    ``hidden_layers`` is text for :func:`parse_hidden_layers` or a sequence of widths."""
    checks.choice("activation", activation, playground.known_activations())
    if isinstance(seeds, numbers.Integral):
        seeds = range(checks.integer("the number of seeds", seeds, 1))
    layers = parse_hidden_layers(hidden_layers)
    return playground.train_networks(activation, seeds, epochs, learning_rate=learning_rate, hidden_layers=layers)


def _finite_median(losses):
    """Median over the seeds (axis 0) that did not diverge; NaN where every seed did."""
    return np.ma.filled(np.ma.median(np.ma.masked_invalid(losses), axis=0), np.nan)


def _draw_losses(ax, result):
    """Train and test loss of every seed (thin) and their medians (thick) against the epoch, log scale."""
    epochs, n_seeds = np.arange(result.epochs + 1), len(result.seeds)
    colours = {"train": "0.45", "test": plotting.COLORS[result.activation]}
    curves = {"train": result.train_loss, "test": result.test_loss}
    curves = {name: losses for name, losses in curves.items() if losses is not None}  # record_train_loss=False
    ax.set_yscale("log")
    for name, losses in curves.items():
        finite = np.where(np.isfinite(losses), losses, np.nan)  # a diverged run leaves a gap
        ax.plot(epochs, finite.T, color=colours[name], linewidth=0.7, alpha=0.35)
        label = f"{name} loss, median of {n_seeds} seeds"
        ax.plot(epochs, _finite_median(finite), color=colours[name], linewidth=2.2, label=label)
    shown = np.concatenate([losses.ravel() for losses in curves.values()])
    shown = shown[np.isfinite(shown) & (shown > 0)]
    if shown.size:  # the same decades for every run (unless the data leave them), so runs compare at a glance
        ax.set_ylim(min(LOSS_YLIM[0], 0.8 * shown.min()), max(LOSS_YLIM[1], 1.2 * shown.max()))
    layers = ", ".join(map(str, result.hidden_layers)) or "none"
    ax.set_title(f"{result.activation}, learning rate {result.learning_rate:g}, hidden layers {layers}")
    ax.set(xlim=(0, max(result.epochs, 1)), xlabel="epoch", ylabel="mean loss $\\frac{1}{2}(y - t)^2$")
    ax.legend(loc="lower left")  # the curves start high on the left and fall to the right


def _draw_decision(ax, result, seed_index):
    """The decision function of one seed's network after the last epoch in the Playground's colours,
    paler than that seed's test points, and the decision boundary (output 0)."""
    grid = np.linspace(-BOUNDARY_EXTENT, BOUNDARY_EXTENT, 121)
    gx, gy = np.meshgrid(grid, grid)
    with np.errstate(all="ignore"):  # a diverged network may give NaN: drawn blank
        values = result.decision_function(np.stack([gx, gy], axis=-1), seed_index=seed_index)
    extent = (-BOUNDARY_EXTENT, BOUNDARY_EXTENT)
    colours = {"cmap": plotting.PLAYGROUND_CMAP, "vmin": -1, "vmax": 1, "alpha": 0.6}
    ax.imshow(values, origin="lower", extent=extent * 2, interpolation="bilinear", **colours)
    if np.any(values < 0) and np.any(values > 0):
        ax.contour(gx, gy, values, levels=[0.0], colors="0.2", linewidths=1.0)
    points, labels = result.runs.test_points[seed_index], result.runs.test_labels[seed_index]
    for label, key in ((1.0, "positive"), (-1.0, "negative")):
        colour = plotting.PLAYGROUND_COLORS[key]
        ax.scatter(*points[labels == label].T, s=16, color=colour, edgecolors="black", linewidths=0.6)
    ax.set(xlim=extent, ylim=extent, aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
    ax.grid(False)
    loss = result.test_loss[seed_index, -1]
    ax.set_title(f"seed {int(result.seeds[seed_index])} after {result.epochs} epochs: test loss {loss:.3f}")


def draw_playground(axes_pair, result, seed_index=0):
    """Draw a training result on two axes (both cleared first) and return them: left, the loss curves
    of every seed; right, the decision function of the network of ``result.seeds[seed_index]``."""
    seed_index = checks.integer("seed_index", seed_index)
    for ax in axes_pair:
        ax.clear()
    _draw_decision(axes_pair[1], result, seed_index)
    _draw_losses(axes_pair[0], result)
    return tuple(axes_pair)


def _controls(result):
    """The explorer's settings by description, showing those of ``result``."""
    rates = [(f"{rate:g}", rate) for rate in sorted(set(LEARNING_RATES) | {result.learning_rate})]
    epochs = {"min": min(10, result.epochs), "max": max(1000, result.epochs), "step": 10}
    controls = {
        "activation": ipywidgets.Dropdown(options=ACTIVATIONS, value=result.activation),
        "learning rate": ipywidgets.Dropdown(options=rates, value=result.learning_rate),
        "hidden layers": ipywidgets.Text(", ".join(map(str, result.hidden_layers)), placeholder="e.g. 3, 3"),
        "epochs": ipywidgets.IntSlider(result.epochs, continuous_update=False, **epochs),
        "seed shown": ipywidgets.IntSlider(0, min=0, max=len(result.seeds) - 1),
    }
    for description, widget in controls.items():
        widget.description, widget.style.description_width = description, "8em"
    return controls


def playground_explorer(activation="tanh", learning_rate=0.03, hidden_layers="3, 3", epochs=200, seeds=8):
    """Controls for the Playground experiment, a *Train* button and its figure (see the module docstring).

    *Train* retrains ``seeds`` networks (8 by default: a few seconds) with the settings chosen; the *seed
    shown* slider redraws at once, without retraining. Trains once when built, so the figure is there
    from the start. Returns the widget."""
    state = {"result": run_playground(activation, learning_rate, hidden_layers, epochs, seeds)}
    controls = _controls(state["result"])
    button, status = ipywidgets.Button(description="Train", button_style="primary", icon="play"), ipywidgets.HTML()
    fig = Figure(figsize=(11.5, 4.6))
    margins = {"left": 0.08, "right": 0.99, "bottom": 0.11, "top": 0.93, "wspace": 0.2}
    axes_pair = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1.0], **margins})

    def draw():
        result = state["result"]
        draw_playground(axes_pair, result, controls["seed shown"].value)
        final = result.test_loss[:, -1]
        diverged = f", {np.sum(~np.isfinite(final))} diverged" if not np.all(np.isfinite(final)) else ""
        status.value = (
            f"{len(result.seeds)} networks trained: median final test loss {_finite_median(final):.4f}{diverged}"
        )

    image, redraw = _figure_image(fig, draw)

    def train(_button):
        button.disabled, status.value = True, f"training {len(state['result'].seeds)} networks..."
        settings = [controls[name].value for name in ("activation", "learning rate", "hidden layers", "epochs")]
        try:
            state["result"] = run_playground(*settings, seeds)
        except (TypeError, ValueError) as error:
            status.value = f"<b>Cannot train:</b> {html.escape(str(error))}"
        else:
            redraw()
        finally:
            button.disabled = False

    button.on_click(train)
    controls["seed shown"].observe(redraw, names="value")
    redraw()
    left = ipywidgets.VBox([controls[name] for name in ("activation", "learning rate", "hidden layers")])
    right = ipywidgets.VBox([controls["epochs"], controls["seed shown"], button])
    description = "Playground explorer: choose, press Train, compare (interactive in JupyterLab)"
    return _Explorer(description, [ipywidgets.HBox([left, right]), status, image])
