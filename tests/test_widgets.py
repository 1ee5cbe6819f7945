"""Unit tests of helpers.widgets: the plain callbacks, and the widgets built on them.

No browser or kernel is needed: ipywidgets builds widgets without a frontend,
and setting a control's value (or clicking a button) runs the same callbacks
a student's slider move runs.
"""

import dataclasses
import time

import ipywidgets
import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import activations, playground, plotting, widgets
from helpers.activations import REGISTRY

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SMALL = {"epochs": 20, "seeds": 3}  # fast training runs


@pytest.fixture(autouse=True)
def close_widgets():
    yield
    ipywidgets.Widget.close_all()


def descendants(widget):
    """Every widget inside ``widget`` (itself included), depth first."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found.extend(descendants(child))
    return found


def control(widget, kind, description=None):
    matches = [
        w
        for w in descendants(widget)
        if isinstance(w, kind) and (description is None or getattr(w, "description", None) == description)
    ]
    assert len(matches) == 1, f"expected one {kind.__name__} {description!r}, found {len(matches)}"
    return matches[0]


# ----------------------------------------------------------------------------
# Leaky ReLU
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.3, 1.0])
def test_draw_leaky_relu_draws_function_and_derivative_for_alpha(alpha):
    fig, ax = plt.subplots()
    assert widgets.draw_leaky_relu(ax, alpha) is ax
    function_line, derivative_line = ax.get_lines()[:2]
    x = function_line.get_xdata()
    np.testing.assert_array_equal(function_line.get_ydata(), activations.leaky_relu(x, alpha))
    np.testing.assert_array_equal(derivative_line.get_ydata(), activations.leaky_relu_derivative(x, alpha))
    assert derivative_line.get_linestyle() == "--"
    assert function_line.get_color() == plotting.COLORS["leaky_relu"]
    assert ax.get_ylim() == widgets.LEAKY_YLIM and (x[0], x[-1]) == (-4, 4) and ax.get_aspect() == 1.0
    assert ax.get_title() == rf"Leaky ReLU: slope $\alpha = {alpha:.3g}$ for $x \leq 0$"


def test_draw_leaky_relu_redraws_instead_of_piling_up():
    fig, ax = plt.subplots()
    widgets.draw_leaky_relu(ax, 0.1)
    count = len(ax.get_lines())
    widgets.draw_leaky_relu(ax, 0.5)
    assert len(ax.get_lines()) == count and len(ax.get_legend().get_texts()) == 2
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata()[0], -4 * 0.5)


@pytest.mark.parametrize("alpha, error", [("0.1", TypeError), (float("nan"), ValueError), (None, TypeError)])
def test_draw_leaky_relu_rejects_a_bad_alpha(alpha, error):
    fig, ax = plt.subplots()
    with pytest.raises(error, match="alpha"):
        widgets.draw_leaky_relu(ax, alpha)


def test_leaky_relu_explorer_has_a_slider_and_a_figure():
    explorer = widgets.leaky_relu_explorer()
    assert isinstance(explorer, ipywidgets.VBox)
    slider = control(explorer, ipywidgets.FloatSlider, "alpha")
    assert (slider.value, slider.min, slider.max, slider.step) == (0.01, 0.0, 1.0, 0.01)
    assert slider.readout
    image = control(explorer, ipywidgets.Image)
    assert image.format == "png" and bytes(image.value).startswith(PNG_SIGNATURE)


def test_moving_the_slider_redraws_the_figure_and_the_same_alpha_gives_the_same_bytes():
    explorer = widgets.leaky_relu_explorer(alpha=0.2)
    slider, image = control(explorer, ipywidgets.FloatSlider), control(explorer, ipywidgets.Image)
    first = image.value
    slider.value = 0.6
    assert bytes(image.value).startswith(PNG_SIGNATURE) and image.value != first
    slider.value = 0.2
    assert image.value == first  # deterministic: no date or version in the PNG


def test_leaky_relu_explorer_rejects_alpha_outside_the_slider():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        widgets.leaky_relu_explorer(alpha=1.5)


def test_explorers_have_a_short_readable_text_form():
    text = widgets.leaky_relu_explorer()._repr_mimebundle_()["text/plain"]
    assert text.startswith("Leaky ReLU explorer") and len(text) <= 110 and "0x" not in text


# ----------------------------------------------------------------------------
# Playground: parsing, training, drawing
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, widths",
    [
        ("3, 3", (3, 3)),
        ("4 2", (4, 2)),
        ("(3, 3)", (3, 3)),
        ("[8,1, 2]", (8, 1, 2)),
        (" 5 ", (5,)),
        ("", ()),
        ((2, 2), (2, 2)),
        ([np.int64(4)], (4,)),
    ],
)
def test_parse_hidden_layers_accepts_text_and_sequences(text, widths):
    assert widgets.parse_hidden_layers(text) == widths


@pytest.mark.parametrize(
    "text, message",
    [
        ("3, x", "whole numbers"),
        ("3,,3", "whole numbers"),
        ("3.5", "whole numbers"),
        ("-1", "whole numbers"),
        ("0", "1 to 8 neurons"),
        ("9", "1 to 8 neurons"),
        ("1, 1, 1, 1, 1, 1, 1", "at most 6 layers"),
    ],
)
def test_parse_hidden_layers_explains_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        widgets.parse_hidden_layers(text)


@pytest.mark.parametrize("text", ["3" + "    3" * 13 + ";", "3 " * 5000 + "x", "1," * 30000, "9" * 5000])
def test_parse_hidden_layers_answers_long_bad_input_at_once(text):
    started = time.perf_counter()
    with pytest.raises(ValueError, match="hidden layers"):
        widgets.parse_hidden_layers(text)
    assert time.perf_counter() - started < 0.05


@pytest.mark.parametrize("value", [[3.0], [True], 3])
def test_parse_hidden_layers_rejects_non_integer_widths(value):
    with pytest.raises(TypeError):
        widgets.parse_hidden_layers(value)


def test_run_playground_trains_what_train_networks_trains():
    result = widgets.run_playground("tanh", 0.03, "3, 3", 20, 3)
    direct = playground.train_networks("tanh", range(3), 20, learning_rate=0.03, hidden_layers=(3, 3))
    assert result.train_loss.shape == result.test_loss.shape == (3, 21)
    np.testing.assert_array_equal(result.test_loss, direct.test_loss)
    assert list(result.seeds) == [0, 1, 2] and result.hidden_layers == (3, 3)


def test_weight_seeds_of_a_new_draw_are_fresh_and_draw_0_is_each_seeds_own():
    assert widgets.weight_seeds(range(3), 0) is None
    assert widgets.weight_seeds([0, 1, 7], 1) == [10_000, 10_001, 10_007]  # notebook 06's click runs
    assert widgets.weight_seeds(range(3), 2) == [20_000, 20_001, 20_002]
    with pytest.raises(ValueError, match="draw must be >= 0"):
        widgets.weight_seeds(range(3), -1)
    with pytest.raises(TypeError, match="draw must be an integer"):
        widgets.weight_seeds(range(3), 1.0)


def test_run_playground_with_a_new_draw_keeps_the_data_and_draws_other_weights():
    own, redrawn = (widgets.run_playground("tanh", 0.03, "3, 3", 5, 3, draw=draw) for draw in (0, 1))
    direct = playground.train_networks("tanh", range(3), 5, weight_seeds=[10_000, 10_001, 10_002])
    np.testing.assert_array_equal(redrawn.test_loss, direct.test_loss)
    for name in ("train_points", "train_labels", "test_points", "test_labels"):
        np.testing.assert_array_equal(getattr(redrawn.runs, name), getattr(own.runs, name))
    for mine, theirs in zip(redrawn.runs.initial.weights, own.runs.initial.weights):
        assert not np.any(mine == theirs)  # every weight drawn anew
    assert own.runs.weight_seeds is None and list(redrawn.runs.weight_seeds) == [10_000, 10_001, 10_002]


def test_run_playground_takes_seeds_layers_and_rates_as_given():
    result = widgets.run_playground("relu", 0.1, "4 2", 5, [7, 11])
    assert list(result.seeds) == [7, 11] and result.hidden_layers == (4, 2)
    assert result.learning_rate == 0.1 and result.activation == "relu" and result.epochs == 5


@pytest.mark.parametrize(
    "arguments, error, message",
    [
        (("softmax", 0.03, "3", 5, 2), ValueError, "unknown activation"),
        (("tanh", 0.03, "3, y", 5, 2), ValueError, "whole numbers"),
        (("tanh", 0.03, "3", 5, 0), ValueError, "number of seeds must be >= 1"),
        (("tanh", 0.03, "3", 5, True), TypeError, "number of seeds must be an integer"),
        (("tanh", 0.0, "3", 5, 2), ValueError, "learning_rate"),
        (("tanh", 0.03, "3", -1, 2), ValueError, "epochs"),
    ],
)
def test_run_playground_rejects_bad_settings(arguments, error, message):
    with pytest.raises(error, match=message):
        widgets.run_playground(*arguments)


def test_every_playground_learning_rate_and_registered_activation_is_offered():
    assert widgets.LEARNING_RATES == (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
    names = [name for _, name in widgets.ACTIVATIONS]
    assert names == [*REGISTRY, "linear"] and set(names) <= set(playground.known_activations())
    assert dict(widgets.ACTIVATIONS)["Leaky ReLU"] == "leaky_relu"  # shown by the registry's title


@pytest.fixture(scope="module")
def trained():
    return widgets.run_playground("tanh", 0.03, "3, 3", 30, 4)


def test_draw_playground_draws_losses_of_every_seed_and_their_medians(trained):
    fig = Figure()
    ax_loss, ax_map = fig.subplots(1, 2)
    assert widgets.draw_playground((ax_loss, ax_map), trained, 1) == (ax_loss, ax_map)
    assert ax_loss.get_yscale() == "log"
    lines = ax_loss.get_lines()
    assert len(lines) == 2 * (4 + 1)  # per loss: 4 seeds, then the median
    train_median, test_median = lines[4], lines[9]
    np.testing.assert_array_equal(train_median.get_xdata(), np.arange(31))
    np.testing.assert_allclose(train_median.get_ydata(), np.median(trained.train_loss, axis=0))
    np.testing.assert_allclose(test_median.get_ydata(), np.median(trained.test_loss, axis=0))
    np.testing.assert_array_equal(lines[5].get_ydata(), trained.test_loss[0])
    assert [t.get_text() for t in ax_loss.get_legend().get_texts()] == [
        "train loss, median of 4 seeds",
        "test loss, median of 4 seeds",
    ]
    assert "tanh" in ax_loss.get_title() and "0.03" in ax_loss.get_title()
    assert test_median.get_color() == REGISTRY["tanh"].color and train_median.get_color() == "0.45"


def test_draw_playground_maps_the_decision_function_of_the_chosen_seed(trained):
    fig = Figure()
    axes = fig.subplots(1, 2)
    widgets.draw_playground(axes, trained, 2)
    ax_map = axes[1]
    (heat_map,) = ax_map.get_images()
    grid = np.linspace(-6, 6, 121)
    gx, gy = np.meshgrid(grid, grid)
    expected = trained.decision_function(np.stack([gx, gy], axis=-1), seed_index=2)
    np.testing.assert_array_equal(heat_map.get_array(), expected)
    assert heat_map.get_clim() == (-1, 1) and heat_map.get_cmap().name == "playground"
    shown = np.concatenate([c.get_offsets() for c in ax_map.collections if len(c.get_offsets()) > 2])
    assert len(shown) == trained.runs.test_points.shape[1]  # every test point of that seed
    assert "seed 2" in ax_map.get_title()
    (dots,) = [c for c in ax_map.collections if len(c.get_offsets()) > 2]
    positive = trained.runs.test_labels[2] == 1
    colours = {key: matplotlib.colors.to_rgba(value) for key, value in plotting.PLAYGROUND_COLORS.items()}
    shown = dots.to_rgba(dots.get_array())  # the colour each point is drawn in
    np.testing.assert_allclose(shown[positive], [colours["positive"]] * positive.sum())
    np.testing.assert_allclose(shown[~positive], [colours["negative"]] * (~positive).sum())
    assert ax_map.get_xlim() == ax_map.get_ylim() == (-6, 6)


def test_draw_playground_redraws_and_checks_the_seed_index(trained):
    fig = Figure()
    axes = fig.subplots(1, 2)
    widgets.draw_playground(axes, trained, 0)
    widgets.draw_playground(axes, trained, 0)
    assert len(axes[0].get_lines()) == 10 and len(axes[1].get_images()) == 1
    with pytest.raises(IndexError, match="seed_index"):
        widgets.draw_playground(axes, trained, 4)


# ----------------------------------------------------------------------------
# Playground: the widget
# ----------------------------------------------------------------------------


def test_playground_explorer_offers_the_playground_controls():
    explorer = widgets.playground_explorer(**SMALL)
    assert isinstance(explorer, ipywidgets.VBox)
    activation = control(explorer, ipywidgets.Dropdown, "activation")
    assert list(activation.options) == widgets.ACTIVATIONS and activation.value == "tanh"
    rate = control(explorer, ipywidgets.Dropdown, "learning rate")
    assert [value for _, value in rate.options] == list(widgets.LEARNING_RATES) and rate.value == 0.03
    assert control(explorer, ipywidgets.Text, "hidden layers").value == "3, 3"
    assert control(explorer, ipywidgets.IntSlider, "epochs").value == 20
    assert control(explorer, ipywidgets.Button).description == "Train"
    assert control(explorer, ipywidgets.Checkbox).value is True  # new weights on a switch, as the page
    image = control(explorer, ipywidgets.Image)
    assert bytes(image.value).startswith(PNG_SIGNATURE)  # trained once when built
    status = control(explorer, ipywidgets.HTML).value
    assert "3 networks trained" in status and status.endswith("initial weights: each seed's own")


def test_train_button_retrains_with_the_chosen_settings_and_redraws():
    explorer = widgets.playground_explorer(**SMALL)
    image, status = control(explorer, ipywidgets.Image), control(explorer, ipywidgets.HTML)
    before = image.value
    control(explorer, ipywidgets.Dropdown, "activation").value = "relu"
    control(explorer, ipywidgets.Dropdown, "learning rate").value = 0.1
    control(explorer, ipywidgets.Text, "hidden layers").value = "4, 2"
    assert image.value == before  # changing a setting alone does not retrain
    control(explorer, ipywidgets.Button).click()
    assert image.value != before and bytes(image.value).startswith(PNG_SIGNATURE)
    expected = widgets.run_playground("relu", 0.1, "4, 2", 20, 3, draw=1)  # another network: new weights
    assert f"median final test loss {np.median(expected.test_loss[:, -1]):.4f}" in status.value
    assert status.value.endswith("initial weights: new draw 1")


@pytest.fixture
def trainings(monkeypatch):
    """Every result an explorer trains, in order (the real training, recorded)."""
    results, train = [], widgets.run_playground

    def recorded(*args, **kwargs):
        results.append(train(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(widgets, "run_playground", recorded)
    return results


def test_switching_the_activation_draws_new_weights_on_the_same_data_as_the_page_does(trainings):
    explorer = widgets.playground_explorer(activation="tanh", **SMALL)
    activation = control(explorer, ipywidgets.Dropdown, "activation")
    rate = control(explorer, ipywidgets.Dropdown, "learning rate")
    button, status = control(explorer, ipywidgets.Button), control(explorer, ipywidgets.HTML)
    activation.value = "relu"
    button.click()  # a switch: new weights
    rate.value = 0.1
    button.click()  # only the rate changed: the same weights again
    activation.value = "tanh"
    button.click()  # back to tanh: new weights again, not those of the first run (the page draws afresh)
    assert status.value.endswith("initial weights: new draw 2")
    first, switched, same, back = trainings
    assert [r.activation for r in trainings] == ["tanh", "relu", "relu", "tanh"] and same.learning_rate == 0.1
    assert first.runs.weight_seeds is None and list(switched.runs.weight_seeds) == [10_000, 10_001, 10_002]
    assert list(back.runs.weight_seeds) == [20_000, 20_001, 20_002]
    initial = [np.concatenate([w.ravel() for w in r.runs.initial.weights]) for r in trainings]
    np.testing.assert_array_equal(initial[2], initial[1])
    assert len({tuple(w) for w in initial}) == 3
    for result in trainings[1:]:  # the data never change
        np.testing.assert_array_equal(result.runs.train_points, first.runs.train_points)
        np.testing.assert_array_equal(result.runs.test_labels, first.runs.test_labels)


def test_new_layers_draw_new_weights_and_unticking_pairs_the_runs(trainings):
    explorer = widgets.playground_explorer(activation="tanh", **SMALL)
    activation, button = control(explorer, ipywidgets.Dropdown, "activation"), control(explorer, ipywidgets.Button)
    control(explorer, ipywidgets.Text, "hidden layers").value = "4"
    button.click()
    assert list(trainings[-1].runs.weight_seeds) == [10_000, 10_001, 10_002]
    control(explorer, ipywidgets.Text, "hidden layers").value = "3, 3"
    control(explorer, ipywidgets.Checkbox).value = False
    activation.value = "relu"
    button.click()  # paired: ReLU from the very weights the first tanh run started from
    assert trainings[-1].runs.weight_seeds is None and trainings[-1].activation == "relu"
    for mine, theirs in zip(trainings[-1].runs.initial.weights, trainings[0].runs.initial.weights):
        np.testing.assert_array_equal(mine, theirs)
    assert control(explorer, ipywidgets.HTML).value.endswith("initial weights: each seed's own")
    control(explorer, ipywidgets.Checkbox).value = True
    activation.value = "sigmoid"
    button.click()  # ticked again: a draw not used before
    assert list(trainings[-1].runs.weight_seeds) == [20_000, 20_001, 20_002]


def test_new_weights_must_be_true_or_false():
    with pytest.raises(TypeError, match="new_weights"):
        widgets.playground_explorer(new_weights=1, **SMALL)


def test_a_bad_setting_is_explained_in_the_widget_not_raised():
    explorer = widgets.playground_explorer(**SMALL)
    image, status = control(explorer, ipywidgets.Image), control(explorer, ipywidgets.HTML)
    before = image.value
    control(explorer, ipywidgets.Text, "hidden layers").value = "3, <b>"
    control(explorer, ipywidgets.Button).click()
    assert "Cannot train" in status.value and "&lt;b&gt;" in status.value and "<b>'" not in status.value
    assert image.value == before
    assert not control(explorer, ipywidgets.Button).disabled


def test_the_seed_slider_redraws_without_retraining():
    explorer = widgets.playground_explorer(**SMALL)
    image, seed = control(explorer, ipywidgets.Image), control(explorer, ipywidgets.IntSlider, "seed shown")
    assert (seed.min, seed.max) == (0, 2)
    before = image.value
    seed.value = 2
    assert image.value != before
    seed.value = 0
    assert image.value == before


def test_the_widget_figures_are_not_left_to_pyplot():
    widgets.leaky_relu_explorer()
    widgets.playground_explorer(**SMALL)
    assert plt.get_fignums() == []


def test_draw_playground_draws_a_run_without_train_losses():
    result = playground.train_networks("relu", [0, 1], 5, record_train_loss=False)
    fig = Figure()
    ax_loss, _ = widgets.draw_playground(fig.subplots(1, 2), result)
    assert [line.get_label() for line in ax_loss.get_lines() if not line.get_label().startswith("_")] == [
        "test loss, median of 2 seeds"
    ]
    with pytest.raises(TypeError, match="seed_index"):
        widgets.draw_playground(fig.subplots(1, 2), result, seed_index=0.5)


def test_a_diverged_seed_leaves_a_gap_and_is_counted_but_not_in_the_median(monkeypatch, trained):
    test_loss = trained.test_loss.copy()
    test_loss[1, 10:] = np.inf
    diverged = dataclasses.replace(trained, test_loss=test_loss)
    monkeypatch.setattr(widgets, "run_playground", lambda *args, **kwargs: diverged)
    explorer = widgets.playground_explorer(seeds=4)
    median = np.median(np.delete(trained.test_loss[:, -1], 1))
    assert (
        control(explorer, ipywidgets.HTML).value
        == f"4 networks trained: median final test loss {median:.4f}, 1 diverged; initial weights: each seed's own"
    )
    fig = Figure()
    ax_loss, _ = widgets.draw_playground(fig.subplots(1, 2), diverged)
    gap = ax_loss.get_lines()[5 + 1].get_ydata()  # the test loss of seed 1
    assert not np.ma.getmaskarray(gap)[:10].any() and np.ma.getmaskarray(gap)[10:].all()
    np.testing.assert_allclose(ax_loss.get_lines()[9].get_ydata()[10:], np.median(np.delete(test_loss, 1, 0), 0)[10:])
