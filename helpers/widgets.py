"""Interactive explorers for JupyterLab on plain, tested functions. A widget draws on a ``Figure`` of its own (not
``pyplot``: nothing shows twice or leaks), shown as PNG in an ``ipywidgets.Image``, which a saved page keeps."""

import functools
import html
import io
import re

import ipywidgets
import numpy as np
from matplotlib.figure import Figure, SubplotParams

from helpers import checks, playground, plotting
from helpers.activations import REGISTRY

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)  # the Playground's choice
ACTIVATIONS = [(REGISTRY[n].title if n in REGISTRY else n, n) for n in playground.known_activations()]  # (shown, name)
MAX_HIDDEN_LAYERS, MAX_NEURONS = 6, 8  # the Playground's limits
LEAKY_X, LEAKY_YLIM = np.linspace(-4.0, 4.0, 801), (-4.2, 4.2)  # fixed: alpha tilts the line, not the axes
LOSS_YLIM = (1e-3, 1.2)  # from a solved circle to above the largest loss of a tanh output
BOUNDARY = (-6.0, 6.0)  # the decision function is drawn on this square, as in the Playground
REDRAW = 10_000  # a new draw of weights: weight seed = seed + REDRAW * draw (see weight_seeds)


def figure_png(fig):
    """``fig`` as PNG bytes without the software version: the same figure gives the same bytes."""
    fig.savefig(buffer := io.BytesIO(), format="png", metadata=plotting.INLINE_FIGURE_OPTIONS["metadata"])
    return buffer.getvalue()


class _Explorer(ipywidgets.VBox):
    """``widgets`` above a figure that :meth:`redraw` draws with ``draw()``; ``text`` is what a page without a kernel shows."""

    def __init__(self, text, widgets, figure, draw):
        self._text, self._figure, self._draw_figure = text, figure, draw
        layout = {"width": f"{round(figure.get_figwidth() * figure.dpi)}px", "max_width": "100%", "height": "auto"}
        self._image = ipywidgets.Image(format="png", layout=layout)
        super().__init__([*widgets, self._image])
        self.redraw()

    def redraw(self, *_change):
        self._draw_figure()
        self._image.value = figure_png(self._figure)

    def __repr__(self):
        return self._text


def draw_leaky_relu(ax, alpha):
    """Leaky ReLU and its derivative on ``ax`` (cleared first) on fixed, equal axes: the slopes drawn are true."""
    alpha, entry = checks.real("alpha", alpha), REGISTRY["leaky_relu"]
    function, slope = (functools.partial(f, alpha=alpha) for f in (entry.function, entry.derivative))
    ax.clear()
    label, title = entry.label + r"_{\alpha}", rf"{entry.title}: slope $\alpha = {alpha:.3g}$ for $x \leq 0$"
    plotting.plot_activation(function, slope, label, x=LEAKY_X, ax=ax, color=entry.color, title=title, ylim=LEAKY_YLIM)
    ax.set_aspect("equal")
    return ax


def leaky_relu_explorer(alpha=0.01):
    """A slider for ``alpha`` in [0, 1] above a figure of Leaky ReLU and its derivative (:func:`draw_leaky_relu`)."""
    ax = Figure(figsize=(6.0, 6.0)).subplots(gridspec_kw={"left": 0.1, "right": 0.97, "bottom": 0.09, "top": 0.94})
    slider = ipywidgets.FloatSlider(checks.real("alpha", alpha, 0.0, 1.0), min=0.0, max=1.0, step=0.01)
    slider.description, slider.layout.width = "alpha", "32em"
    text = "Leaky ReLU explorer: a slider for alpha and the plot (move it in JupyterLab)"
    explorer = _Explorer(text, [slider], ax.figure, lambda: draw_leaky_relu(ax, slider.value))
    slider.observe(explorer.redraw, names="value")
    return explorer


def parse_hidden_layers(text):
    """Widths from text such as ``"3, 3"``, ``"(4 2)"`` or ``""`` (none), or a sequence, in the Playground's limits."""
    if isinstance(text, str):
        body = text.strip().strip("()[]").strip()
        tokens = re.split(r"\s*,\s*|\s+", body) if body else []  # split, then check: nothing to backtrack
        if len(body) > 100 or not all(re.fullmatch(r"[0-9]+", token) for token in tokens):
            raise ValueError(f"hidden layers {text!r}: write whole numbers separated by commas, e.g. '3, 3' or ''")
        widths = [int(token) for token in tokens]
    else:
        widths = checks.integers("hidden layers", text)
    if len(widths) > MAX_HIDDEN_LAYERS or not all(1 <= width <= MAX_NEURONS for width in widths):
        limits = f"at most {MAX_HIDDEN_LAYERS} layers of 1 to {MAX_NEURONS} neurons, as in the Playground"
        raise ValueError(f"hidden layers {text!r}: {limits}")
    return tuple(widths)


def weight_seeds(seeds, draw):
    """``weight_seeds`` of :func:`playground.train_networks` for the ``draw``-th new draw of initial weights:
    ``seed + REDRAW * draw`` (draw 1 is notebook 06's click runs); None for draw 0, each seed's own weights."""
    draw = checks.integer("draw", draw, 0)
    return None if draw == 0 else [int(seed) + REDRAW * draw for seed in seeds]


def run_playground(activation, learning_rate, hidden_layers, epochs, seeds, draw=0):
    """A ``TrainingResult`` of one Playground network per seed (a sequence, or a count n: seeds 0 .. n-1), the
    weights of :func:`weight_seeds` ``draw`` (the data stay those of the seeds)."""
    if isinstance(seeds, (int, np.integer)):
        seeds = range(checks.integer("the number of seeds", seeds, 1))
    layers, redrawn = parse_hidden_layers(hidden_layers), weight_seeds(seeds, draw)
    return playground.train_networks(activation, seeds, epochs, learning_rate=learning_rate, hidden_layers=layers,
                                     weight_seeds=redrawn)  # fmt: skip


def _finite_median(losses):
    """Median over the seeds (axis 0) that did not diverge; NaN where every seed did."""
    return np.ma.filled(np.ma.median(np.ma.masked_invalid(losses), axis=0), np.nan)


def _draw_losses(ax, result):
    """Train and test loss of every seed (thin) and their medians (thick) against the epoch, log scale."""
    curves = [("train", result.train_loss, "0.45"), ("test", result.test_loss, plotting.COLORS[result.activation])]
    curves = [curve for curve in curves if curve[1] is not None]  # record_train_loss=False
    for name, losses, colour in curves:
        epochs, label = np.arange(result.epochs + 1), f"{name} loss, median of {len(result.seeds)} seeds"
        ax.plot(epochs, np.ma.masked_invalid(losses).T, color=colour, linewidth=0.7, alpha=0.35)  # gaps: diverged
        ax.plot(epochs, _finite_median(losses), color=colour, linewidth=2.2, label=label)
    ax.set(yscale="log", xlim=(0, max(result.epochs, 1)), xlabel="epoch", ylabel="mean loss $\\frac{1}{2}(y - t)^2$")
    low, high = ax.get_ylim()  # the data's, widened to the same decades for every run: runs compare at a glance
    ax.set_ylim(min(low, LOSS_YLIM[0]), max(high, LOSS_YLIM[1]))
    layers = ", ".join(map(str, result.hidden_layers)) or "none"
    ax.set_title(f"{result.activation}, learning rate {result.learning_rate:g}, hidden layers {layers}")
    ax.legend(loc="lower left")  # the curves start high on the left and fall to the right


def _draw_decision(ax, result, seed_index):
    """One seed's decision function after the last epoch (paler), its test points and the boundary (output 0)."""
    grid = np.linspace(*BOUNDARY, 121)
    gx, gy = np.meshgrid(grid, grid)
    with np.errstate(all="ignore"):  # a diverged network may give NaN: drawn blank
        values = result.decision_function(np.stack([gx, gy], axis=-1), seed_index=seed_index)
    scale = {"cmap": plotting.PLAYGROUND_CMAP, "vmin": -1, "vmax": 1}
    ax.imshow(values, origin="lower", extent=BOUNDARY * 2, interpolation="bilinear", alpha=0.6, **scale)
    if np.any(values < 0) and np.any(values > 0):
        ax.contour(gx, gy, values, levels=[0.0], colors="0.2", linewidths=1.0)
    points, labels = result.runs.test_points[seed_index], result.runs.test_labels[seed_index]
    ax.scatter(*points.T, c=labels, s=16, edgecolors="black", linewidths=0.6, **scale)
    ax.set(xlim=BOUNDARY, ylim=BOUNDARY, aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
    ax.grid(False)
    loss = result.test_loss[seed_index, -1]
    ax.set_title(f"seed {int(result.seeds[seed_index])} after {result.epochs} epochs: test loss {loss:.3f}")


def draw_playground(axes_pair, result, seed_index=0):
    """Draw a result on two axes (cleared first): the losses, and the network of ``result.seeds[seed_index]``."""
    for ax in axes_pair:
        ax.clear()
    _draw_decision(axes_pair[1], result, checks.integer("seed_index", seed_index))
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


def playground_explorer(activation="tanh", learning_rate=0.03, hidden_layers="3, 3", epochs=200, seeds=8,
                        new_weights=True):  # fmt: skip
    """Settings, *Train* (``seeds`` networks; once when built) and the figure of :func:`draw_playground`. As on the
    page, a change of activation or hidden layers keeps the data and draws new weights (the next draw of
    :func:`weight_seeds`; the first training uses draw 0); unticking *new weights* (``new_weights=False``) trains
    from each seed's own weights instead, the same for every activation (paired runs)."""
    if not isinstance(new_weights, bool):
        raise TypeError(f"new_weights must be True or False, got {new_weights!r}")
    state = {"result": run_playground(activation, learning_rate, hidden_layers, epochs, seeds), "draw": 0, "draws": 0}
    state["trained"] = (activation, state["result"].hidden_layers)  # what the weights of state["draw"] were drawn for
    controls = _controls(state["result"])
    redraw = ipywidgets.Checkbox(new_weights, description="new weights when the activation or the layers change",
                                 indent=False)  # fmt: skip
    button, status = ipywidgets.Button(description="Train", button_style="primary", icon="play"), ipywidgets.HTML()
    margins = SubplotParams(left=0.08, right=0.99, bottom=0.11, top=0.93, wspace=0.2)
    axes_pair = Figure(figsize=(11.5, 4.6), subplotpars=margins).subplots(1, 2, width_ratios=[1.35, 1.0])

    def draw():
        draw_playground(axes_pair, state["result"], controls["seed shown"].value)
        final = state["result"].test_loss[:, -1]
        diverged = f", {np.sum(~np.isfinite(final))} diverged" if not np.all(np.isfinite(final)) else ""
        weights = f"new draw {state['draw']}" if state["draw"] else "each seed's own"
        status.value = (f"{len(final)} networks trained: median final test loss {_finite_median(final):.4f}{diverged}; "
                        f"initial weights: {weights}")  # fmt: skip

    def train(_button):
        button.disabled, status.value = True, f"training {len(state['result'].seeds)} networks..."
        settings = [controls[name].value for name in ("activation", "learning rate", "hidden layers", "epochs")]
        try:
            network = (settings[0], parse_hidden_layers(settings[2]))
            changed = redraw.value and network != state["trained"]
            weights = state["draws"] + 1 if changed else state["draw"] if redraw.value else 0
            state["result"] = run_playground(*settings, seeds, draw=weights)
        except (TypeError, ValueError) as error:
            status.value = f"<b>Cannot train:</b> {html.escape(str(error))}"
        else:
            state.update(draw=weights, draws=max(state["draws"], weights), trained=network)
            explorer.redraw()
        finally:
            button.disabled = False

    left = ipywidgets.VBox([controls[name] for name in ("activation", "learning rate", "hidden layers")])
    right = ipywidgets.VBox([controls["epochs"], controls["seed shown"], button])
    text = "Playground explorer: choose, press Train, compare (interactive in JupyterLab)"
    explorer = _Explorer(text, [ipywidgets.HBox([left, right]), redraw, status], axes_pair[0].figure, draw)
    button.on_click(train)
    controls["seed shown"].observe(explorer.redraw, names="value")
    return explorer
