"""Unit tests of the modern activations in helpers.activations.

ELU, SELU, GELU (exact and tanh form), SiLU/Swish, Mish, softplus, softsign,
hard sigmoid and hard swish, with their derivatives: accuracy against mpmath
over the whole float range (relative, in ulp, with no exceptions: also where a
derivative crosses zero), float32, limits, warnings, NaN, dtypes, bad input,
agreement with SymPy and finite differences, and the conventions at kinks.
"""

import functools
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from helpers import activations as act
from helpers import symbolic as sym
from helpers.accuracy import WORKING_BITS, central_difference, max_ulp_error, stress_points, ulp_error

MAX_ULP = 4.0

with mpmath.workprec(WORKING_BITS):  # constants for the references, exact to 200 bits
    MP_SELU_ALPHA = mpmath.mpf("1.6732632423543772848170429916717")
    MP_SELU_SCALE = mpmath.mpf("1.0507009873554804934193349852946")
    MP_GELU_C = mpmath.sqrt(2 / mpmath.pi)
    MP_GELU_A = mpmath.mpf("0.044715")


def mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def mp_softplus(x):
    return mpmath.log1p(mpmath.exp(x)) if x < 0 else x + mpmath.log1p(mpmath.exp(-x))


def mp_gelu_tanh_z(x):
    """z with GELU_tanh(x) = x sigmoid(z): 2 sqrt(2/pi) (x + 0.044715 x**3)."""
    return 2 * MP_GELU_C * (x + MP_GELU_A * x**3)


def mp_gelu_tanh_derivative(x):
    z = mp_gelu_tanh_z(x)
    dz = 2 * MP_GELU_C * (1 + 3 * MP_GELU_A * x**2)
    s, one_minus_s = mp_sigmoid(z), mp_sigmoid(-z)
    return s * (1 + x * dz * one_minus_s)


def mp_relu6(v):
    return min(max(v, mpmath.mpf(0)), mpmath.mpf(6))


def with_limits(reference, at_minus_inf, at_plus_inf):
    """``reference`` with its limits at -inf and +inf (mpmath gives nan for inf * 0)."""

    def wrapped(x):
        if mpmath.isinf(x):
            return mpmath.mpf(at_plus_inf if x > 0 else at_minus_inf)
        return reference(x)

    return wrapped


def gelu_reference(x):
    # mpmath's erfc fails for |x| ~ 1e300; beyond 60, x Phi(x) is x or a
    # negative number below 1e-780, both exactly what float64 can hold.
    if abs(x) > 60:
        return x if x > 0 else mpmath.mpf(0)
    return x * mpmath.ncdf(x)


def gelu_derivative_reference(x):
    if abs(x) > 60:
        return mpmath.mpf(1 if x > 0 else 0)
    return mpmath.ncdf(x) + x * mpmath.npdf(x)


gelu_tanh = functools.partial(act.gelu, approximate="tanh")
gelu_tanh.__name__ = "gelu_tanh"
gelu_tanh_derivative = functools.partial(act.gelu_derivative, approximate="tanh")
gelu_tanh_derivative.__name__ = "gelu_tanh_derivative"

inf = "inf"
# name -> (function, mpmath reference, derivative, its reference)
CASES = {
    "elu": (
        act.elu,
        with_limits(lambda x: x if x > 0 else mpmath.expm1(x), -1, inf),
        act.elu_derivative,
        with_limits(lambda x: mpmath.mpf(1) if x > 0 else mpmath.exp(x), 0, 1),
    ),
    "selu": (
        act.selu,
        with_limits(lambda x: MP_SELU_SCALE * (x if x > 0 else MP_SELU_ALPHA * mpmath.expm1(x)), -MP_SELU_SCALE * MP_SELU_ALPHA, inf),
        act.selu_derivative,
        with_limits(lambda x: MP_SELU_SCALE * (1 if x > 0 else MP_SELU_ALPHA * mpmath.exp(x)), 0, MP_SELU_SCALE),
    ),
    "gelu": (
        act.gelu,
        with_limits(gelu_reference, 0, inf),
        act.gelu_derivative,
        with_limits(gelu_derivative_reference, 0, 1),
    ),
    "gelu_tanh": (
        gelu_tanh,
        with_limits(lambda x: x * mp_sigmoid(mp_gelu_tanh_z(x)), 0, inf),
        gelu_tanh_derivative,
        with_limits(mp_gelu_tanh_derivative, 0, 1),
    ),
    "silu": (
        act.silu,
        with_limits(lambda x: x * mp_sigmoid(x), 0, inf),
        act.silu_derivative,
        with_limits(lambda x: mp_sigmoid(x) * (1 + x * mp_sigmoid(-x)), 0, 1),
    ),
    "mish": (
        act.mish,
        with_limits(lambda x: x * mpmath.tanh(mp_softplus(x)), 0, inf),
        act.mish_derivative,
        with_limits(
            lambda x: mpmath.tanh(mp_softplus(x)) + x * mp_sigmoid(x) * mpmath.sech(mp_softplus(x)) ** 2, 0, 1
        ),
    ),
    "softplus": (
        act.softplus,
        with_limits(mp_softplus, 0, inf),
        act.softplus_derivative,
        with_limits(mp_sigmoid, 0, 1),
    ),
    "softsign": (
        act.softsign,
        with_limits(lambda x: x / (1 + abs(x)), -1, 1),
        act.softsign_derivative,
        with_limits(lambda x: 1 / (1 + abs(x)) ** 2, 0, 0),
    ),
    "hard_sigmoid": (
        act.hard_sigmoid,
        with_limits(lambda x: mp_relu6(x + 3) / 6, 0, 1),
        act.hard_sigmoid_derivative,
        with_limits(lambda x: mpmath.mpf(1) / 6 if -3 < x <= 3 else mpmath.mpf(0), 0, 0),
    ),
    "hard_swish": (
        act.hard_swish,
        with_limits(lambda x: x * mp_relu6(x + 3) / 6, 0, inf),
        act.hard_swish_derivative,
        with_limits(
            lambda x: mpmath.mpf(0) if x <= -3 else ((2 * x + 3) / 6 if x <= 3 else mpmath.mpf(1)), 0, 1
        ),
    ),
}
FUNCTIONS = [case[0] for case in CASES.values()]
DERIVATIVES = [case[2] for case in CASES.values()]
ALL = FUNCTIONS + DERIVATIVES + [act.swish, act.swish_derivative]


def name_of(function):
    return function.__name__


def float64_overflow(value, dtype=np.float64):
    """An exact value rounds to +-inf once it reaches max + half an ulp."""
    info = np.finfo(dtype)
    limit = mpmath.mpf(2) ** (int(info.maxexp)) * (1 - mpmath.mpf(2) ** (-int(info.nmant) - 2))
    return mpmath.inf if value >= limit else (-mpmath.inf if value <= -limit else value)


# Points: the whole float range (stress_points: subnormals to the largest
# float, the dense grid [-40, 40], the underflow band, specials), the zeros of
# the derivatives with their nearest floats, and the kinks.
ROOTS = {  # x where the derivative is 0 (checked against mpmath in test_root_constants)
    "gelu": -act._GELU_S_ROOT[0],
    "gelu_tanh": -0.75246142207101626,
    "silu": act._SILU_ROOT[0][0],
    "mish": act._MISH_ROOT[0],
}


def near(x0):
    steps = np.arange(-12, 13) * np.spacing(x0)
    offsets = np.concatenate([steps, np.logspace(-14, -1, 14), -np.logspace(-14, -1, 14)])
    return x0 + offsets


SPECIAL = np.concatenate(
    [near(x0) for x0 in ROOTS.values()]
    + [np.array([-3.0, 3.0, -1.5, np.nextafter(-3.0, 0), np.nextafter(3.0, 0), np.nextafter(-3.0, -9), 2.0**-1022])]
)
STRESS = np.concatenate([stress_points(3000, seed=2026), SPECIAL])
STRESS32 = np.concatenate(
    [np.linspace(-100, 100, 1201), 2.0 ** np.linspace(-149, 127, 300), -(2.0 ** np.linspace(-149, 127, 300))]
).astype(np.float32)


@pytest.mark.parametrize("name", CASES)
def test_function_within_4_ulp_of_mpmath_over_float64_range(name):
    function, reference, _, _ = CASES[name]
    worst, where = max_ulp_error(function, lambda x: float64_overflow(reference(x)), STRESS)
    assert worst <= MAX_ULP, f"{name}: {worst:.2f} ulp at x = {where!r}"


@pytest.mark.parametrize("name", CASES)
def test_derivative_within_4_ulp_of_mpmath_over_float64_range(name):
    """Relative accuracy everywhere, including the zeros of GELU', SiLU' and
    Mish', where the derivative is a difference of terms of about 0.3. The
    helpers rewrite those terms around the zero (see ``_x_sigmoid_derivative``
    and ``_GELU_S_ROOT``); the textbook formula would be off by ~1e-17 in
    absolute terms there, i.e. by millions of ulp of a value like 1e-23 (see
    test_textbook_formulas_fail_where_the_helpers_hold)."""
    _, _, derivative, reference = CASES[name]
    worst, where = max_ulp_error(derivative, reference, STRESS)
    assert worst <= MAX_ULP, f"{name}': {worst:.2f} ulp at x = {where!r}"


@pytest.mark.parametrize("name", CASES)
def test_float32_accuracy(name):
    function, reference, derivative, derivative_reference = CASES[name]
    for f, ref in ((function, reference), (derivative, derivative_reference)):
        worst, where = max_ulp_error(
            f, lambda x, ref=ref: float64_overflow(ref(x), np.float32), STRESS32, dtype=np.float32
        )
        assert worst <= MAX_ULP, f"{name_of(f)}: {worst:.2f} ulp at x = {where!r} (float32)"


def test_subnormal_results_are_accurate_not_flushed():
    """Products like x * exp(x) at x = -740 go through a subnormal exp(x)
    with a few significant bits; the helpers keep every bit to the end."""
    with mpmath.workprec(WORKING_BITS):
        for function, reference, x in [
            (act.silu, CASES["silu"][1], -740.0),
            (act.mish, CASES["mish"][1], -742.0),
            (act.silu_derivative, CASES["silu"][3], -738.0),
            (act.mish_derivative, CASES["mish"][3], -736.0),
            (act.gelu, CASES["gelu"][1], -38.4),
            (act.gelu_derivative, CASES["gelu"][3], -38.3),
            (gelu_tanh, CASES["gelu_tanh"][1], -21.3),
            (gelu_tanh_derivative, CASES["gelu_tanh"][3], -21.3),
            (act.selu_derivative, CASES["selu"][3], -740.0),
            (act.elu_derivative, CASES["elu"][3], -740.0),
        ]:
            value = function(x)
            assert value != 0 and abs(value) < np.finfo(float).tiny, name_of(function)
            assert ulp_error(value, reference(mpmath.mpf(x))) <= 1.0, name_of(function)


def naive_erf(x):
    return np.vectorize(math.erf, otypes=[float])(x)


def test_textbook_formulas_fail_where_the_helpers_hold():
    """Why the helpers are written as they are."""
    with np.errstate(all="ignore"):
        # exp(x) - 1 cancels for small x; expm1 does not.
        x = -1e-10
        assert abs((np.exp(x) - 1) / x - 1) > 1e-8 and act.elu(x) / x == pytest.approx(1 + x / 2, rel=1e-15)
        # log(1 + exp(x)) overflows to inf.
        assert np.log(1 + np.exp(1000.0)) == np.inf and act.softplus(1000.0) == 1000.0
        # (1 + tanh(u)) rounds to 0 for u < -19: the tanh form of GELU vanishes.
        x = -20.0
        u = np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)
        assert 0.5 * x * (1 + np.tanh(u)) == 0 and -1e-250 < gelu_tanh(x) < 0
        # 1 + erf(x / sqrt 2) rounds to 0 for x < -8.3: exact GELU vanishes.
        assert 0.5 * -9.0 * (1 + naive_erf(-9.0 / np.sqrt(2))) == 0 and act.gelu(-9.0) < -1e-19
        # x / 6 + 1 / 2 cancels near -3; (x + 3) / 6 is exact there.
        x = np.nextafter(-3.0, 0)
        exact = (mpmath.mpf(x) + 3) / 6
        assert ulp_error(x / 6 + 0.5, exact) > 1e3 and ulp_error(act.hard_sigmoid(x), exact) <= 0.5
    # Near the zero of SiLU' the textbook s (1 + x (1 - s)) has an absolute
    # error of ~1e-17: millions of ulp of the exact value there.
    x = ROOTS["silu"] + 4 * np.spacing(ROOTS["silu"])
    s = act.sigmoid(x)
    with mpmath.workprec(WORKING_BITS):
        exact = CASES["silu"][3](mpmath.mpf(x))
    assert ulp_error(s * (1 + x * (1 - s)), exact) > 1e4 and ulp_error(act.silu_derivative(x), exact) <= MAX_ULP


def test_exact_values():
    assert act.elu(0.0) == 0 and act.elu_derivative(0.0) == 1
    assert act.selu(0.0) == 0 and act.selu_derivative(1.0) == act.SELU_SCALE
    assert act.gelu(0.0) == 0 and act.gelu_derivative(0.0) == 0.5
    assert gelu_tanh(0.0) == 0 and gelu_tanh_derivative(0.0) == 0.5
    assert act.silu(0.0) == 0 and act.silu_derivative(0.0) == 0.5
    assert act.mish(0.0) == 0 and act.mish_derivative(0.0) == pytest.approx(0.6, rel=1e-15)  # tanh(log 2) = 3/5
    assert act.softplus(0.0) == pytest.approx(math.log(2), rel=1e-16) and act.softplus_derivative(0.0) == 0.5
    assert act.softsign(1.0) == 0.5 and act.softsign_derivative(0.0) == 1 and act.softsign_derivative(1.0) == 0.25
    np.testing.assert_array_equal(act.hard_sigmoid([-4.0, -3.0, 0.0, 3.0, 4.0]), [0, 0, 0.5, 1, 1])
    np.testing.assert_array_equal(act.hard_swish([-4.0, -3.0, 0.0, 3.0, 4.0]), [0, 0, 0, 3, 4])
    assert act.hard_swish(-1.5) == -0.375 and act.hard_swish_derivative(-1.5) == 0
    assert act.elu(-1.0, alpha=2.0) == pytest.approx(2 * math.expm1(-1), rel=1e-15)
    assert act.SELU_ALPHA == 1.6732632423543772 and act.SELU_SCALE == 1.0507009873554805


def test_swish_is_silu():
    assert act.swish is act.silu and act.swish_derivative is act.silu_derivative


# PyTorch's backward at the kinks, read from its source
# (aten/src/ATen/native/cuda/Activation*Kernel.cu, the CPU kernels agree):
# elu_backward uses the x <= 0 branch at 0: alpha (ELU), scale * alpha (SELU);
# hardsigmoid_backward is 1/6 only on the open interval (-3, 3): 0 at both kinks;
# hardswish_backward is x/3 + 1/2 on the closed [-3, 3]: -1/2 at -3, 3/2 at 3.
PYTORCH_AT_KINKS = {
    ("elu_derivative", 0.0): 1.0,
    ("selu_derivative", 0.0): 1.0507009873554805 * 1.6732632423543772,
    ("hard_sigmoid_derivative", -3.0): 0.0,
    ("hard_sigmoid_derivative", 3.0): 0.0,
    ("hard_swish_derivative", -3.0): -0.5,
    ("hard_swish_derivative", 3.0): 1.5,
}


def test_kink_convention_is_the_left_slope_and_where_pytorch_differs():
    assert act.elu_derivative(0.0) == 1.0 and act.elu_derivative(0.0, alpha=0.5) == 0.5
    assert act.elu_derivative(-0.0, alpha=0.5) == 0.5 and act.elu_derivative(1e-300, alpha=0.5) == 1.0
    assert act.selu_derivative(0.0) == pytest.approx(1.7580993408473768, rel=1e-16)
    assert act.hard_sigmoid_derivative(-3.0) == 0.0 and act.hard_sigmoid_derivative(3.0) == 1 / 6
    assert act.hard_swish_derivative(-3.0) == 0.0 and act.hard_swish_derivative(3.0) == 1.5
    # Left slope = the limit of the derivative from the left.
    for derivative, kink in [
        (act.hard_sigmoid_derivative, -3.0),
        (act.hard_sigmoid_derivative, 3.0),
        (act.hard_swish_derivative, -3.0),
        (act.hard_swish_derivative, 3.0),
        (act.selu_derivative, 0.0),
        (functools.partial(act.elu_derivative, alpha=0.5), 0.0),
    ]:
        assert derivative(kink) == pytest.approx(derivative(np.nextafter(kink, -9)), abs=1e-15)
    differences = {key for key, value in PYTORCH_AT_KINKS.items() if getattr(act, key[0])(key[1]) != pytest.approx(value)}
    assert differences == {("hard_sigmoid_derivative", 3.0), ("hard_swish_derivative", -3.0)}


@pytest.mark.parametrize("function", ALL + [gelu_tanh, gelu_tanh_derivative], ids=name_of)
def test_no_warnings_and_correct_limits_at_extremes(function):
    big = np.finfo(np.float64).max
    x = np.array([-np.inf, -big, -1e300, -1e154, -2000.0, -745.0, -40.0, -21.0, 0.0, 745.0, 1e154, 1e300, big, np.inf])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        y = function(x)
        y32 = function(np.array([-np.inf, -3.4e38, -100.0, 0.0, 100.0, 3.4e38, np.inf], np.float32))
    name = name_of(function)  # swish is silu, by name too
    reference = CASES[name.removesuffix("_derivative")][3 if name.endswith("_derivative") else 1]
    with mpmath.workprec(WORKING_BITS):
        expected_ends = tuple(float(reference(mpmath.mpf(v))) for v in (-np.inf, np.inf))
    assert (y[0], y[-1]) == expected_ends
    assert (y32[0], y32[-1]) == tuple(np.float32(v) for v in expected_ends)
    finite = np.isfinite(y[1:-1])
    if name == "selu":  # 1.0507 * x overflows for x > max / 1.0507: inf is the correct rounding
        assert not finite[-1] and finite[:-1].all() and np.isinf(act.selu(np.float32(3.4e38)))
    else:
        assert finite.all(), y


@pytest.mark.parametrize("function", [act.elu, act.elu_derivative])
def test_bad_alpha(function):
    with pytest.raises(TypeError):
        function(1.0, alpha="0.1")
    with pytest.raises(TypeError):
        function(1.0, alpha=True)
    with pytest.raises(ValueError):
        function(1.0, alpha=float("inf"))


@pytest.mark.parametrize("function", [act.gelu, act.gelu_derivative])
@pytest.mark.parametrize("bad", ["Tanh", "erf", None, 1, "none "])
def test_bad_approximate(function, bad):
    with pytest.raises(ValueError, match="approximate"):
        function(1.0, approximate=bad)


SYMPY_CASES = {
    "elu": sym.elu(),
    "selu": sym.selu(),
    "gelu": sym.gelu(),
    "gelu_tanh": sym.gelu_tanh(),
    "silu": sym.silu(),
    "mish": sym.mish(),
    "softplus": sym.softplus(),
    "softsign": sym.softsign(),
    "hard_sigmoid": sym.hard_sigmoid(),
    "hard_swish": sym.hard_swish(),
}
KINKS = {"elu": [0.0], "selu": [0.0], "softsign": [0.0], "hard_sigmoid": [-3.0, 3.0], "hard_swish": [-3.0, 3.0]}


@pytest.mark.parametrize("name", SYMPY_CASES)
def test_functions_and_derivatives_agree_with_sympy_and_finite_differences(name):
    """The SymPy expression and its ``sp.diff``, evaluated exactly (mpmath at
    100 digits: the textbook formulas cancel up to 62 digits here), agree
    with the helpers to 1e-15 relative; central finite differences agree with
    the derivative away from kinks."""
    function, _, derivative, _ = CASES[name]
    expression = SYMPY_CASES[name]
    x = np.linspace(-12, 12, 481)
    with mpmath.workdps(100):
        for numeric, symbolic in ((function, expression), (derivative, sp.diff(expression, sym.x))):
            exact = sp.lambdify(sym.x, symbolic, "mpmath")
            expected = np.array([float(exact(mpmath.mpf(v))) for v in x])
            np.testing.assert_allclose(numeric(x), expected, rtol=1e-15, atol=0)
    smooth = x[np.all([np.abs(x - kink) > 1e-3 for kink in KINKS.get(name, [])], axis=0)]
    np.testing.assert_allclose(derivative(smooth), central_difference(function, smooth), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", KINKS)
def test_sympy_piecewise_derivative_at_kinks_matches_the_convention(name):
    derivative = CASES[name][2]
    for kink in KINKS[name]:
        at_kink = sp.diff(SYMPY_CASES[name], sym.x).subs(sym.x, kink)
        assert float(at_kink) == pytest.approx(float(derivative(kink)), rel=1e-15)


def test_sympy_constants_are_the_papers():
    assert sym.SELU_ALPHA == sp.Rational(16732632423543772848170429916717, 10**31)
    assert sym.SELU_SCALE == sp.Rational(10507009873554804934193349852946, 10**31)
    assert float(sym.SELU_ALPHA) == act.SELU_ALPHA and float(sym.SELU_SCALE) == act.SELU_SCALE
    assert sym.GELU_TANH_COEFFICIENT == sp.Rational(44715, 10**6)


# --- the constants and tables behind the accuracy ---------------------------


def as_double_double(value):
    hi = float(value)
    return hi, float(value - hi)


def test_double_double_constants():
    with mpmath.workprec(WORKING_BITS):
        c1 = 2 * MP_GELU_C
        assert act._GELU_TANH_C1 == as_double_double(c1)
        assert act._GELU_TANH_C3 == as_double_double(c1 * MP_GELU_A)
        assert act._SELU_SCALE_ALPHA == float(MP_SELU_SCALE * MP_SELU_ALPHA)
        ln2 = mpmath.log(2)
        assert (act._LN2_HI * 2**32).is_integer() and abs(act._LN2_HI + mpmath.mpf(act._LN2_LO) - ln2) < 3e-26


def test_root_constants():
    """The zeros of the derivatives, as double-doubles, agree with mpmath."""
    with mpmath.workprec(WORKING_BITS):
        silu_root = mpmath.findroot(lambda x: 1 + x + mpmath.exp(x), -1.27)
        assert act._SILU_ROOT[0] == act._SILU_ROOT[1] == as_double_double(silu_root)
        assert act._SILU_ROOT[2] == as_double_double(mpmath.exp(silu_root))

        def z(x):
            return mp_gelu_tanh_z(x)

        def x_dz(x):
            return 2 * MP_GELU_C * (x + 3 * MP_GELU_A * x**3)

        root = mpmath.findroot(lambda x: 1 + x_dz(x) + mpmath.exp(z(x)), -0.75)
        assert act._GELU_TANH_ROOT == (
            as_double_double(x_dz(root)),
            as_double_double(z(root)),
            as_double_double(mpmath.exp(z(root))),
        )
        mish_root = mpmath.findroot(
            lambda x: 4 * (x + 1) + mpmath.exp(x) * (4 * x + 6) + 4 * mpmath.exp(2 * x) + mpmath.exp(3 * x), -1.19
        )
        assert act._MISH_ROOT == as_double_double(mish_root)
        assert act._MISH_ROOT_EXP == float(mpmath.exp(mish_root))
        assert act._MISH_ROOT_LINEAR == float(4 * mish_root + 6)
        gelu_root = mpmath.findroot(lambda y: y * mpmath.npdf(y) - mpmath.ncdf(-y), 0.75)
        assert act._GELU_S_ROOT == as_double_double(gelu_root)
        for name, root in (("gelu", -gelu_root), ("gelu_tanh", root), ("silu", silu_root), ("mish", mish_root)):
            assert ROOTS[name] == pytest.approx(float(root), rel=2.3e-16)  # the nearest float


def gelu_table_function(table, row):
    """What row ``row`` of GELU's table ``table`` holds, as a function of y:
    R(y) = exp(y**2 / 2) Phi(-y), or S(y) = y / sqrt(2 pi) - R(y), divided by
    y - y0 in the rows on [0, 2]."""

    def r(y):
        return mpmath.exp(y * y / 2) * mpmath.ncdf(-y)

    def s(y):
        value = y / mpmath.sqrt(2 * mpmath.pi) - r(y)
        return value / (y - (mpmath.mpf(act._GELU_S_ROOT[0]) + act._GELU_S_ROOT[1])) if row <= 1 else value

    return r if table == "R" else s


def row_polynomial(row, i):
    """Row ``i`` as ``(centre, half_width, ascending mpmath coefficients)``."""
    a, b = act._GELU_BREAKS[i], act._GELU_BREAKS[i + 1]
    coefficients = [mpmath.mpf(row[0]) + row[1]] + [mpmath.mpf(c) for c in row[2:]]
    return mpmath.mpf(a + b) / 2, mpmath.mpf(b - a) / 2, coefficients


@pytest.mark.parametrize("table", ["R", "S"])
def test_gelu_tables_reproduce_their_functions_to_a_fraction_of_an_ulp(table):
    """Each row, evaluated exactly, matches its function to 2**-54 relative
    (a quarter of an ulp or less: mostly the rounding of the coefficients to
    float64) between the interpolation nodes."""
    rows = act._GELU_R_ROWS if table == "R" else act._GELU_S_ROWS
    with mpmath.workprec(WORKING_BITS):
        for i, row in enumerate(rows):
            function = gelu_table_function(table, i)
            centre, half, coefficients = row_polynomial(row, i)
            for s in np.linspace(-0.999, 0.999, 15):
                exact = function(centre + half * s)
                value = mpmath.polyval(coefficients[::-1], s)
                assert abs(value / exact - 1) < mpmath.mpf(2) ** -54, (table, i, float(s))


def test_gelu_table_rows_are_chebyshev_interpolants():
    """Provenance: a row is what ``mpmath.chebyfit`` gives at 40 digits."""
    with mpmath.workdps(40):
        for table, rows, i in (("R", act._GELU_R_ROWS, 0), ("S", act._GELU_S_ROWS, 1)):
            function = gelu_table_function(table, i)
            centre, half, stored = row_polynomial(rows[i], i)
            fitted = mpmath.chebyfit(lambda u: function(u * half + centre), [-1, 1], len(stored))[::-1]
            assert abs(fitted[0] - stored[0]) < 1e-31
            for c_stored, c_fitted in zip(stored[1:], fitted[1:]):
                assert abs(c_stored - c_fitted) <= abs(c_fitted) * 2.0**-52
