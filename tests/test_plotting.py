"""Unit tests of helpers.plotting: the figures draw the right data, labelled."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import activations as act
from helpers import plotting
from helpers.activations import REGISTRY


def test_plot_activation_draws_function_and_derivative():
    fig = plotting.plot_activation(act.sigmoid, act.sigmoid_derivative, r"\sigma", color=plotting.COLORS["sigmoid"])
    (ax,) = fig.axes
    function_line, derivative_line = ax.get_lines()[:2]
    x = function_line.get_xdata()
    assert x[0] == -6 and x[-1] == 6 and len(x) == 1201
    np.testing.assert_array_equal(function_line.get_ydata(), act.sigmoid(x))
    np.testing.assert_array_equal(derivative_line.get_ydata(), act.sigmoid_derivative(x))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [r"$\sigma(x)$", r"$\sigma'(x)$"]
    assert derivative_line.get_linestyle() == "--"
    assert function_line.get_color() == derivative_line.get_color() == plotting.COLORS["sigmoid"]
    assert ax.get_xlabel() == "$x$"
    assert all(g.get_visible() for g in ax.xaxis.get_gridlines() + ax.yaxis.get_gridlines())
    low, high = ax.get_ylim()
    assert low < 0 < 1 < high  # both curves and the axis line fit


def test_plot_activation_respects_x_ylim_and_axes():
    fig, ax = plt.subplots()
    x = np.linspace(-2, 3, 11)
    returned = plotting.plot_activation(
        act.relu, act.relu_derivative, r"\mathrm{ReLU}", x=x, ax=ax, ylim=(-1, 4), title="ReLU"
    )
    assert returned is fig
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), x)
    assert ax.get_ylim() == (-1, 4) and ax.get_title() == "ReLU"


def test_padded_limits_ignore_non_finite_and_include_zero():
    low, high = plotting.padded_limits(np.array([1.0, 2.0, np.inf, np.nan]))
    assert low < 0 and 2 < high < 2.5


def test_plot_gallery_one_panel_per_activation_with_shared_limits():
    panels = [
        ("sigmoid", act.sigmoid, act.sigmoid_derivative, r"\sigma", plotting.COLORS["sigmoid"]),
        ("tanh", act.tanh, act.tanh_derivative, r"\tanh", plotting.COLORS["tanh"]),
        ("ReLU", act.relu, act.relu_derivative, r"\mathrm{ReLU}", plotting.COLORS["relu"]),
    ]
    fig = plotting.plot_gallery(panels, columns=2, ylim=(-1.5, 3))
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["sigmoid", "tanh", "ReLU"]
    assert all(ax.get_ylim() == (-1.5, 3) for ax in visible)
    assert len(fig.axes) == 4 and not fig.axes[3].get_visible()


def test_house_style_applies_outside_jupyter():
    plotting.use_house_style()
    assert plt.rcParams["axes.grid"] is True
    assert plt.rcParams["axes.spines.top"] is False
    assert plt.rcParams["axes.prop_cycle"].by_key()["color"][:4] == [REGISTRY[n].color for n in list(REGISTRY)[:4]]


def test_colours_are_the_registry_s_plus_grey_for_linear():
    assert plotting.COLORS == {**{name: entry.color for name, entry in REGISTRY.items()}, "linear": "#666666"}
    assert len(set(plotting.COLORS.values())) == len(plotting.COLORS)  # no two activations look alike
    assert plotting.COLORS["relu"] == "#009E73"  # the green every notebook shows


@pytest.mark.parametrize("name", list(REGISTRY))
def test_plot_activation_draws_a_registry_entry_by_name(name):
    entry = REGISTRY[name]
    fig = plotting.plot_activation(name)
    (ax,) = fig.axes
    function_line, derivative_line = ax.get_lines()[:2]
    x = function_line.get_xdata()
    np.testing.assert_array_equal(function_line.get_ydata(), entry.function(x))
    np.testing.assert_array_equal(derivative_line.get_ydata(), entry.derivative(x))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"${entry.label}(x)$", f"${entry.label}'(x)$"]
    assert function_line.get_color() == derivative_line.get_color() == entry.color
    assert ax.get_title() == entry.title


def test_plot_activation_by_name_takes_a_title_and_colour_of_its_own():
    fig = plotting.plot_activation("tanh", title="tanh and its derivative", color="C3", label="t")
    (ax,) = fig.axes
    assert ax.get_title() == "tanh and its derivative" and ax.get_lines()[0].get_color() == "C3"
    assert ax.get_legend().get_texts()[0].get_text() == "$t(x)$"


@pytest.mark.parametrize(
    "arguments, error, message",
    [
        (("swishy",), ValueError, "unknown activation 'swishy'; known: sigmoid, tanh"),
        ((act.relu,), TypeError, "derivative and a label"),
        ((act.relu, act.relu_derivative), TypeError, "derivative and a label"),
    ],
)
def test_plot_activation_needs_a_known_name_or_all_three(arguments, error, message):
    with pytest.raises(error, match=message):
        plotting.plot_activation(*arguments)


def test_plot_gallery_takes_registry_names_and_tuples_side_by_side():
    panel = ("my ReLU", act.relu, act.relu_derivative, r"\mathrm{ReLU}", "C0")
    fig = plotting.plot_gallery(["gelu", panel, "selu"], columns=3)
    assert [ax.get_title() for ax in fig.axes] == ["GELU", "my ReLU", "SELU"]
    assert fig.axes[2].get_lines()[0].get_color() == REGISTRY["selu"].color
    np.testing.assert_array_equal(fig.axes[0].get_lines()[1].get_ydata(), act.gelu_derivative(np.linspace(-6, 6, 1201)))


@pytest.mark.parametrize("x", [[0.0, np.nan, 1.0], [0.0, np.inf], [1.0], [[0.0, 1.0]]])
def test_plot_activation_refuses_an_axis_it_cannot_draw(x):
    with pytest.raises(ValueError, match="finite"):
        plotting.plot_activation(act.relu, act.relu_derivative, "r", x=x)


def test_plot_activation_refuses_complex_x():
    with pytest.raises(TypeError, match="x must hold real numbers"):
        plotting.plot_activation(act.relu, act.relu_derivative, "r", x=[0j, 1j])


@pytest.mark.parametrize("columns, error", [(0, ValueError), (2.5, TypeError), (True, TypeError)])
def test_plot_gallery_refuses_a_bad_column_count(columns, error):
    panel = ("ReLU", act.relu, act.relu_derivative, r"\mathrm{ReLU}", "C0")
    with pytest.raises(error, match="columns"):
        plotting.plot_gallery([panel], columns=columns)


def test_plot_gallery_refuses_no_panels():
    with pytest.raises(ValueError, match="panels is empty"):
        plotting.plot_gallery([])


@pytest.mark.parametrize(
    "name, kinks",
    [("relu", [0]), ("leaky_relu", [0]), ("selu", [0]), ("hard_sigmoid", [-3, 3]), ("hard_swish", [-3, 3])]
    + [(name, []) for name in ("sigmoid", "tanh", "elu", "gelu", "softsign")],  # ELU and softsign: f' continuous
)
def test_a_derivative_that_jumps_is_drawn_with_a_gap_and_dots_not_a_vertical_segment(name, kinks):
    entry = REGISTRY[name]
    function_line, derivative_line, *dots, _, _ = plotting.plot_activation(name).axes[0].get_lines()  # then the axes
    x, dashed = derivative_line.get_xdata(), derivative_line.get_ydata()
    np.testing.assert_array_equal(np.ma.getdata(dashed), entry.derivative(x))  # the true values, the kinks masked
    drawn = ~np.ma.getmaskarray(dashed)
    np.testing.assert_allclose(x[~drawn], kinks, atol=1e-12)
    segments = drawn[:-1] & drawn[1:]
    assert np.all(np.abs(np.diff(np.ma.getdata(dashed)))[segments] < 0.05)  # steps of 0.01 in x: no riser drawn
    assert len(dots) == (2 if kinks else 0)
    if kinks:
        filled, hollow = dots
        np.testing.assert_allclose(filled.get_xdata(), kinks, atol=1e-12)
        np.testing.assert_array_equal(filled.get_ydata(), entry.derivative(filled.get_xdata()))  # the helper's value
        np.testing.assert_allclose(hollow.get_ydata(), entry.derivative(hollow.get_xdata() + 1e-9), atol=0.01)
        assert hollow.get_markerfacecolor() == "white" and filled.get_markerfacecolor() == entry.color


def test_jumps_ignores_a_coarse_grid_and_float_noise():
    assert plotting.jumps(act.sigmoid_derivative(np.linspace(-6, 6, 11))).size == 0
    assert plotting.jumps(act.gelu_derivative(np.linspace(4, 30, 2000))).size == 0  # 1 up to the last bits
    np.testing.assert_array_equal(plotting.jumps(act.relu_derivative(np.linspace(-2, 3, 11))), [4])


def test_show_displays_the_figure_with_its_alt_text_and_closes_it(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, metadata: shown.append((obj, metadata)))
    fig = plotting.plot_activation("relu")
    plotting.show(fig, alt="The ReLU and its  derivative,\n a step from 0 to 1.")
    assert shown == [(fig, {"image/png": {"alt": "The ReLU and its derivative, a step from 0 to 1."}})]
    assert not plt.fignum_exists(fig.number)


@pytest.mark.parametrize("alt", [None, "", "A figure.", "The ReLU and its derivative"])
def test_show_refuses_an_alt_text_that_is_no_sentence(alt):
    fig = plt.figure()
    with pytest.raises(ValueError, match="alt must be a sentence"):
        plotting.show(fig, alt=alt)
    plt.close(fig)


@pytest.mark.parametrize("columns, width", [(2, 6.8), (3, 9.0), (4, 9.0)])
def test_a_gallery_is_at_most_nine_inches_wide_so_its_text_prints_at_8_pt(columns, width):
    fig = plotting.plot_gallery(["relu"] * columns, columns=columns)
    assert fig.get_size_inches()[0] == pytest.approx(width)
    plt.close(fig)
