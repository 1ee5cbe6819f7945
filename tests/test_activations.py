"""Unit tests of helpers.activations: values, limits, dtypes, bad input, accuracy."""

import fractions
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

from helpers import activations as act
from helpers import symbolic as sym
from helpers.accuracy import central_difference, max_ulp_error, stress_points, ulp_error

ALPHA = 0.01
MP_ALPHA = mpmath.mpf(ALPHA)  # the float 0.01, exactly, as the code multiplies by it

# name -> (NumPy function, exact mpmath reference, derivative's NumPy function, its reference)
CASES = {
    "sigmoid": (
        act.sigmoid,
        lambda x: 1 / (1 + mpmath.exp(-x)),
        act.sigmoid_derivative,
        lambda x: mpmath.exp(-abs(x)) / (1 + mpmath.exp(-abs(x))) ** 2,
    ),
    "tanh": (act.tanh, mpmath.tanh, act.tanh_derivative, lambda x: mpmath.sech(x) ** 2),
    "relu": (
        act.relu,
        lambda x: max(x, mpmath.mpf(0)),
        act.relu_derivative,
        lambda x: mpmath.mpf(1 if x > 0 else 0),
    ),
    "leaky_relu": (
        act.leaky_relu,
        lambda x: x if x > 0 else MP_ALPHA * x,
        act.leaky_relu_derivative,
        lambda x: mpmath.mpf(1) if x > 0 else MP_ALPHA,
    ),
}
FUNCTIONS = [act.sigmoid, act.tanh, act.relu, act.leaky_relu]
DERIVATIVES = [act.sigmoid_derivative, act.tanh_derivative, act.relu_derivative, act.leaky_relu_derivative]
ALL = FUNCTIONS + DERIVATIVES
MAX_ULP = 4.0

STRESS = stress_points(6000, seed=2026)
STRESS32 = np.concatenate(
    [np.linspace(-100, 100, 4001), 2.0 ** np.linspace(-149, 127, 1000), -(2.0 ** np.linspace(-149, 127, 1000))]
).astype(np.float32)


@pytest.mark.parametrize("name", CASES)
def test_function_within_4_ulp_of_mpmath_over_float64_range(name):
    function, reference, _, _ = CASES[name]
    worst, where = max_ulp_error(function, reference, STRESS)
    assert worst <= MAX_ULP, f"{name}: {worst:.2f} ulp at x = {where!r}"


@pytest.mark.parametrize("name", CASES)
def test_derivative_within_4_ulp_of_mpmath_over_float64_range(name):
    _, _, derivative, reference = CASES[name]
    worst, where = max_ulp_error(derivative, reference, STRESS)
    assert worst <= MAX_ULP, f"{name}': {worst:.2f} ulp at x = {where!r}"


@pytest.mark.parametrize("name", CASES)
def test_float32_accuracy(name):
    function, reference, derivative, derivative_reference = CASES[name]
    # Leaky ReLU multiplies by alpha rounded to float32: compare with that alpha.
    if name == "leaky_relu":
        alpha32 = mpmath.mpf(float(np.float32(ALPHA)))
        reference = lambda x: x if x > 0 else alpha32 * x  # noqa: E731
        derivative_reference = lambda x: mpmath.mpf(1) if x > 0 else alpha32  # noqa: E731
    for f, ref in ((function, reference), (derivative, derivative_reference)):
        worst, where = max_ulp_error(f, ref, STRESS32, dtype=np.float32)
        assert worst <= MAX_ULP, f"{f.__name__}: {worst:.2f} ulp at x = {where!r} (float32)"


def test_subnormal_results_are_accurate_not_flushed():
    x = np.array([-720.0, -740.0, -744.0])
    for value, xi in zip(act.sigmoid(x), x):
        assert 0 < value < np.finfo(float).tiny
        assert ulp_error(value, 1 / (1 + mpmath.exp(-mpmath.mpf(xi)))) <= 1
    assert 0 < act.sigmoid_derivative(740.0) < np.finfo(float).tiny
    assert 0 < act.tanh_derivative(370.0) < np.finfo(float).tiny


def test_textbook_derivative_formulas_fail_where_the_robust_ones_hold():
    """The reason for the rewritten formulas: s*(1-s) and 1-tanh^2 cancel."""
    s = act.sigmoid(40.0)
    assert s * (1 - s) == 0.0 and act.sigmoid_derivative(40.0) > 4e-18
    assert 1 - act.tanh(20.0) ** 2 == 0.0 and act.tanh_derivative(20.0) > 1e-17


def test_exact_values():
    assert act.sigmoid(0.0) == 0.5
    assert act.sigmoid_derivative(0.0) == 0.25
    assert act.tanh(0.0) == 0.0
    assert act.tanh_derivative(0.0) == 1.0
    np.testing.assert_array_equal(act.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.leaky_relu([-2.0, 0.0, 3.0]), [-0.02, 0.0, 3.0])
    np.testing.assert_array_equal(act.leaky_relu([-2.0, 3.0], alpha=0.2), [-0.4, 3.0])


def test_kink_convention_is_left_slope_everywhere():
    """ReLU'(0) = 0 and LeakyReLU'(0) = alpha, as the Playground and PyTorch."""
    assert act.relu_derivative(0.0) == 0.0
    assert act.relu_derivative(-0.0) == 0.0
    assert act.leaky_relu_derivative(0.0) == ALPHA
    assert act.leaky_relu_derivative(0.0, alpha=0.3) == 0.3
    assert act.leaky_relu_derivative(0.0, alpha=0.0) == act.relu_derivative(0.0)
    np.testing.assert_array_equal(act.relu_derivative([-1e-300, 1e-300, 5.0]), [0.0, 1.0, 1.0])


@pytest.mark.parametrize("function", ALL, ids=lambda f: f.__name__)
def test_no_warnings_and_correct_limits_at_extremes(function):
    big = np.finfo(np.float64).max
    x = np.array([-np.inf, -big, -1e300, -1000.0, -745.0, -710.0, 0.0, 710.0, 745.0, 1000.0, 1e300, big, np.inf])
    # Overflow, division by zero or an invalid operation would raise here;
    # underflow to a subnormal or to 0 is the correct result, and NumPy's
    # default leaves it silent.
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        y = function(x)
    assert np.all(np.isfinite(y[1:-1]))
    names = function.__name__
    expected_ends = {
        "sigmoid": (0.0, 1.0),
        "tanh": (-1.0, 1.0),
        "relu": (0.0, np.inf),
        "leaky_relu": (-np.inf, np.inf),
        "sigmoid_derivative": (0.0, 0.0),
        "tanh_derivative": (0.0, 0.0),
        "relu_derivative": (0.0, 1.0),
        "leaky_relu_derivative": (ALPHA, 1.0),
    }[names]
    assert (y[0], y[-1]) == expected_ends


@pytest.mark.parametrize("function", [act.leaky_relu, act.leaky_relu_derivative])
def test_bad_alpha(function):
    with pytest.raises(TypeError):
        function(1.0, alpha="0.1")
    with pytest.raises(TypeError):
        function(1.0, alpha=True)
    with pytest.raises(ValueError):
        function(1.0, alpha=float("nan"))


SYMPY_CASES = [
    (act.sigmoid, act.sigmoid_derivative, sym.sigmoid()),
    (act.tanh, act.tanh_derivative, sym.tanh()),
    (act.relu, act.relu_derivative, sym.relu()),
    (act.leaky_relu, act.leaky_relu_derivative, sym.leaky_relu()),
]


@pytest.mark.parametrize("function, derivative, expression", SYMPY_CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_functions_and_derivatives_agree_with_sympy_and_finite_differences(function, derivative, expression):
    x = np.linspace(-15, 15, 3001)
    x = x[np.abs(x) > 1e-9]  # the kink of the ReLUs is not differentiable
    exact_f = sp.lambdify(sym.x, expression, "numpy")(x)
    exact_df = sp.lambdify(sym.x, sp.diff(expression, sym.x), "numpy")(x)
    # The lambdified SymPy formulas are the textbook ones, so they carry the
    # cancellation the helpers avoid: compare absolutely (the ulp tests above
    # hold the helpers to relative accuracy against mpmath).
    np.testing.assert_allclose(function(x), exact_f, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(derivative(x), exact_df, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(derivative(x), central_difference(function, x), rtol=1e-7, atol=1e-9)


def test_sympy_piecewise_derivative_at_kink_matches_convention():
    for expression, derivative in ((sym.relu(), act.relu_derivative), (sym.leaky_relu(), act.leaky_relu_derivative)):
        at_zero = sp.diff(expression, sym.x).subs(sym.x, 0)
        assert float(at_zero) == derivative(0.0)


def test_leaky_relu_with_slope_zero_is_relu_even_at_minus_infinity():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act.leaky_relu(-np.inf, alpha=0.0) == 0.0
        assert np.isnan(act.leaky_relu(np.nan, alpha=0.0))
        assert act.leaky_relu(-np.inf) == -np.inf


def test_leaky_relu_overflow_rounds_to_infinity_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act.leaky_relu(-10.0, alpha=1e308) == -np.inf
        assert act.leaky_relu(-10.0, alpha=-1e308) == np.inf


@pytest.mark.parametrize("alpha, error", [(10**400, ValueError), (float("inf"), ValueError), (True, TypeError),
                                          ("0.1", TypeError), (1j, TypeError)])
def test_leaky_relu_rejects_a_bad_slope_by_name(alpha, error):
    with pytest.raises(error, match="alpha"):
        act.leaky_relu(1.0, alpha=alpha)


def test_leaky_relu_takes_any_real_slope_type():
    assert act.leaky_relu(-3.0, alpha=fractions.Fraction(1, 3)) == -1.0
    assert act.leaky_relu(-2.0, alpha=np.float32(0.5)) == -1.0
