"""One suite for every activation in helpers.activations.REGISTRY.

Values and derivatives against exact references built from each entry's SymPy
expression (and its ``sp.diff``), evaluated by mpmath at 200 bits; the
accuracy each docstring states ("within N ulp for |x| <= 30", or
"everywhere"); the contract (no warnings, limits at +-inf, NaN, dtypes, bad
input); finite differences; the conventions at kinks; and the registry itself.
A new entry is tested by adding it to REGISTRY, nothing else.

    .venv/bin/python tests/test_activations.py

prints the measured accuracy table the docstrings quote.
"""

import fractions
import functools
import inspect
import re
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

from helpers import activations as act
from helpers.accuracy import WORKING_BITS, central_difference, exact_reference, max_ulp_error, stress_points, ulp_error
from helpers.activations import REGISTRY

X = sp.Symbol("x")
CLASSIC = ["sigmoid", "tanh", "relu", "leaky_relu"]
MODERN = ["elu", "selu", "gelu", "silu", "mish", "softplus", "softsign", "hard_sigmoid", "hard_swish"]
VARIANTS = [(name, {}) for name in REGISTRY] + [("gelu", {"approximate": "tanh"})]
# (name, parameters, "function" or "derivative"): every NumPy function under test
FUNCTIONS = [(name, parameters, kind) for name, parameters in VARIANTS for kind in ("function", "derivative")]
MAX_ULP_CLASSIC = 4  # the design card's promise for the classic four, everywhere

# Hand-written references, only where the registry expression cancels in mpmath at
# 200 bits on the range tested: tanh's exponential quotient for tiny |x|, and
# its derivative 1 - tanh**2 for |x| > 70 (test_overrides_agree_with_the_registry).
OVERRIDES = {("tanh", "function"): mpmath.tanh, ("tanh", "derivative"): lambda v: mpmath.sech(v) ** 2}


def label(case):
    name, parameters, kind = case
    return name + "".join(f"[{value}]" for value in parameters.values()) + ("'" if kind == "derivative" else "")


def numpy_function(name, parameters, kind):
    return functools.partial(getattr(REGISTRY[name], kind), **parameters)


def expression(name, parameters, kind):
    f = REGISTRY[name].expression(X, **parameters)
    return sp.diff(f, X) if kind == "derivative" else f


def reference(name, parameters, kind):
    return OVERRIDES.get((name, kind)) or exact_reference(expression(name, parameters, kind), X)


def stated_accuracy(name, kind):
    """What the docstring claims: ``(ulp, "everywhere" or "|x| <= 30", zero)``, with
    ``zero = (x0, width, absolute error)`` when it states an exception near a zero."""
    doc = " ".join(getattr(REGISTRY[name], kind).__doc__.split())
    claim = re.search(r"[Ww]ithin (\d+) ulp (everywhere|for \|x\| <= 30)", doc)
    assert claim, f"the docstring of {name} {kind} states no accuracy"
    near = re.search(r"within ([\d.]+) of its zero at x = (-?[\d.]+).*?within ([\d.e-]+) absolute", doc)
    zero = (float(near[2]), float(near[1]), float(near[3])) if near else None
    return float(claim[1]), claim[2].removeprefix("for "), zero


STRESS = np.concatenate([stress_points(6000, seed=2026), [2.0**-1022, -(2.0**-1022), np.nextafter(-3.0, 0)]])
TRAINING = np.concatenate([np.linspace(-30, 30, 3001), np.random.default_rng(2026).uniform(-30, 30, 1000)])


def measured_accuracy(case):
    """``(worst ulp, x there, worst absolute error near the stated zero)``."""
    bound, where, zero = stated_accuracy(case[0], case[2])
    points = STRESS if where == "everywhere" else TRAINING
    near = np.abs(points - zero[0]) < zero[1] if zero else np.zeros(points.shape, bool)
    worst, at = max_ulp_error(numpy_function(*case), reference(*case), points[~near])
    absolute = 0.0
    if near.any():
        with mpmath.workprec(WORKING_BITS):
            exact = np.array([float(reference(*case)(mpmath.mpf(v))) for v in points[near]])
        absolute = float(np.max(np.abs(numpy_function(*case)(points[near]) - exact)))
    return worst, at, absolute


# --- accuracy ------------------------------------------------------------------


@pytest.mark.parametrize("case", FUNCTIONS, ids=label)
def test_accuracy_is_what_the_docstring_states(case):
    bound, where, zero = stated_accuracy(case[0], case[2])
    worst, at, absolute = measured_accuracy(case)
    assert worst <= bound, f"{label(case)}: {worst:.2f} ulp at x = {at!r}, the docstring says {bound:g}"
    assert absolute <= (zero[2] if zero else 0.0), f"{label(case)}: {absolute:.2e} absolute near its zero"


@pytest.mark.parametrize("name", CLASSIC)
@pytest.mark.parametrize("kind", ["function", "derivative"])
def test_the_classic_four_claim_4_ulp_everywhere(name, kind):
    bound, where, zero = stated_accuracy(name, kind)
    assert bound <= MAX_ULP_CLASSIC and where == "everywhere" and zero is None


STRESS32 = np.concatenate(
    [np.linspace(-100, 100, 1201), 2.0 ** np.linspace(-149, 127, 300), -(2.0 ** np.linspace(-149, 127, 300))]
).astype(np.float32)


@pytest.mark.parametrize("case", FUNCTIONS, ids=label)
def test_float32_within_4_ulp_over_its_range(case):
    name, parameters, kind = case
    if name == "leaky_relu":  # the code multiplies by alpha rounded to float32
        parameters = {"alpha": float(np.float32(0.01))}
    exact = reference(name, parameters, kind)

    def rounded(v):  # beyond float32's largest value plus half an ulp the right answer is inf
        value = exact(v)
        return mpmath.inf * mpmath.sign(value) if abs(value) >= 2**128 * (1 - mpmath.mpf(2) ** -25) else value

    worst, at = max_ulp_error(numpy_function(*case), rounded, STRESS32, dtype=np.float32)
    assert worst <= MAX_ULP_CLASSIC, f"{label(case)}: {worst:.2f} ulp at x = {at!r} (float32)"


def test_overrides_agree_with_the_registry():
    with mpmath.workprec(WORKING_BITS):
        for (name, kind), override in OVERRIDES.items():
            exact = exact_reference(expression(name, {}, kind), X)
            for v in np.linspace(-20, 20, 41):
                assert ulp_error(float(override(mpmath.mpf(v))), exact(mpmath.mpf(v))) <= 0.5, (name, kind, v)


def test_subnormal_results_are_accurate_not_flushed():
    x = np.array([-720.0, -740.0, -744.0])
    for value, xi in zip(act.sigmoid(x), x):
        assert 0 < value < np.finfo(float).tiny
        assert ulp_error(value, 1 / (1 + mpmath.exp(-mpmath.mpf(xi)))) <= 1
    assert 0 < act.sigmoid_derivative(740.0) < np.finfo(float).tiny
    assert 0 < act.tanh_derivative(370.0) < np.finfo(float).tiny


def naive_erf(x):
    return np.vectorize(mpmath.erf, otypes=[float])(x)


def test_textbook_formulas_fail_where_the_helpers_hold():
    """The reason for the formulations chosen."""
    s = act.sigmoid(40.0)
    assert s * (1 - s) == 0.0 and act.sigmoid_derivative(40.0) > 4e-18
    assert 1 - act.tanh(20.0) ** 2 == 0.0 and act.tanh_derivative(20.0) > 1e-17
    with np.errstate(all="ignore"):
        x = -1e-10  # exp(x) - 1 cancels for small x; expm1 does not
        assert abs((np.exp(x) - 1) / x - 1) > 1e-8 and act.elu(x) / x == pytest.approx(1 + x / 2, rel=1e-15)
        assert np.log(1 + np.exp(1000.0)) == np.inf and act.softplus(1000.0) == 1000.0
        x = -20.0  # (1 + tanh(u)) rounds to 0 for u < -19; expit(2 u) does not
        u = np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)
        assert 0.5 * x * (1 + np.tanh(u)) == 0 and -1e-250 < act.gelu(x, approximate="tanh") < 0
        # 1 + erf(x / sqrt 2) rounds to 0 for x < -8.3; ndtr does not
        assert 0.5 * -9.0 * (1 + naive_erf(-9.0 / np.sqrt(2))) == 0 and act.gelu(-9.0) < -1e-19
        x = np.nextafter(-3.0, 0)  # x / 6 + 1 / 2 cancels near -3; (x + 3) / 6 is exact there
        exact = (mpmath.mpf(x) + 3) / 6
        assert ulp_error(x / 6 + 0.5, exact) > 1e3 and ulp_error(act.hard_sigmoid(x), exact) <= 0.5


# --- the contract ----------------------------------------------------------------

EXTREMES = np.array(
    [
        -np.inf,
        -1.7976931348623157e308,
        -1e300,
        -1e154,
        -2000.0,
        -745.0,
        -710.0,
        -40.0,
        -21.0,
        0.0,
        21.0,
        710.0,
        745.0,
        2000.0,
        1e154,
        1e300,
        1.7976931348623157e308,
        np.inf,
    ]
)


@pytest.mark.parametrize("case", FUNCTIONS, ids=label)
def test_no_warnings_and_the_limits_at_infinity(case):
    function, exact = numpy_function(*case), reference(*case)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        y = function(EXTREMES)
        y32 = function(np.array([-np.inf, -3.4e38, -100.0, 0.0, 100.0, 3.4e38, np.inf], np.float32))
    with mpmath.workprec(WORKING_BITS):
        limits = [float(exact(mpmath.mpf(v))) for v in (-np.inf, np.inf)]
    assert [y[0], y[-1]] == limits and [y32[0], y32[-1]] == [np.float32(v) for v in limits]
    # finite for finite input, except at the largest floats (SELU(max) = 1.0507 max is inf, correctly)
    assert np.isfinite(y[1:-1] if case[0] != "selu" else y[2:-2]).all(), y


@pytest.mark.parametrize("case", FUNCTIONS, ids=label)
def test_nan_propagates(case):
    y = numpy_function(*case)(np.array([np.nan, 1.0, -1.0, np.nan]))
    assert np.isnan(y[0]) and np.isnan(y[3]) and np.isfinite(y[1:3]).all()


@pytest.mark.parametrize("case", FUNCTIONS, ids=label)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_is_kept(case, dtype):
    function = numpy_function(*case)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        y = function(np.array([-np.inf, -3, -1, 0, 1, 3, np.finfo(dtype).max], dtype=dtype))
    assert y.dtype == dtype
    assert function(dtype(-0.5)).dtype == dtype  # a NumPy scalar too (NumPy 1.x promotes easily)


@pytest.mark.parametrize("case", FUNCTIONS, ids=label)
def test_array_likes_and_scalars(case):
    function = numpy_function(*case)
    from_list = function([-1, 0, 2])
    assert isinstance(from_list, np.ndarray) and from_list.dtype == np.float64
    np.testing.assert_array_equal(from_list, function(np.array([-1.0, 0.0, 2.0])))
    scalar = function(0.5)
    assert isinstance(scalar, np.ndarray) and scalar.shape == ()
    assert function(np.int32(3)).dtype == np.float64 and function(True).dtype == np.float64
    assert function(np.linspace(-50, 50, 24).reshape(2, 3, 4)).shape == (2, 3, 4)


@pytest.mark.parametrize("case", FUNCTIONS, ids=label)
@pytest.mark.parametrize("bad", ["1.0", ["a", "b"], None, 1 + 2j, np.array([1j]), {"x": 1}, object()])
def test_non_numeric_input_raises_type_error(case, bad):
    with pytest.raises(TypeError):
        numpy_function(*case)(bad)


@pytest.mark.parametrize("name", ["leaky_relu", "elu"])
@pytest.mark.parametrize("kind", ["function", "derivative"])
@pytest.mark.parametrize(
    "alpha, error",
    [
        ("0.1", TypeError),
        (True, TypeError),
        (1j, TypeError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        (10**400, ValueError),
    ],
)
def test_a_bad_slope_is_refused_by_name(name, kind, alpha, error):
    with pytest.raises(error, match="alpha"):
        getattr(REGISTRY[name], kind)(1.0, alpha=alpha)


@pytest.mark.parametrize("kind", ["function", "derivative"])
@pytest.mark.parametrize(
    "bad, error", [("Tanh", ValueError), ("erf", ValueError), ("none ", ValueError), (None, TypeError), (1, TypeError)]
)
def test_a_bad_gelu_approximation_is_refused_by_name(kind, bad, error):
    with pytest.raises(error, match="approximate"):
        getattr(REGISTRY["gelu"], kind)(1.0, approximate=bad)
    with pytest.raises(error, match="approximate"):
        REGISTRY["gelu"].expression(X, approximate=bad)


def test_leaky_relu_edge_cases():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act.leaky_relu(-np.inf, alpha=0.0) == 0.0  # ReLU, not 0 * -inf = nan
        assert np.isnan(act.leaky_relu(np.nan, alpha=0.0)) and act.leaky_relu(-np.inf) == -np.inf
        assert act.leaky_relu(-10.0, alpha=1e308) == -np.inf and act.leaky_relu(-10.0, alpha=-1e308) == np.inf
    assert act.leaky_relu(-3.0, alpha=fractions.Fraction(1, 3)) == -1.0
    assert act.leaky_relu(-2.0, alpha=np.float32(0.5)) == -1.0


# --- derivatives, kinks, exact values ----------------------------------------------


def kinks(name, parameters=None):
    """The breakpoints of the entry's Piecewise expression."""
    pieces = sp.piecewise_fold(REGISTRY[name].expression(X, **(parameters or {})))
    conditions = [c for p in pieces.atoms(sp.Piecewise) for _, c in p.args if c != sp.true]
    return sorted(float(c.rhs) for c in conditions)


@pytest.mark.parametrize("name, parameters", VARIANTS, ids=[label((n, p, "")) for n, p in VARIANTS])
def test_derivative_agrees_with_finite_differences_away_from_kinks(name, parameters):
    x = np.linspace(-12, 12, 481)
    x = x[np.all([np.abs(x - k) > 1e-3 for k in kinks(name, parameters)], axis=0)]
    finite_difference = central_difference(numpy_function(name, parameters, "function"), x)
    np.testing.assert_allclose(
        numpy_function(name, parameters, "derivative")(x), finite_difference, rtol=1e-7, atol=1e-9
    )


KINK_CASES = [(name, k) for name in REGISTRY for k in kinks(name)]


@pytest.mark.parametrize("name, kink", KINK_CASES, ids=[f"{n}@{k:g}" for n, k in KINK_CASES])
def test_at_a_kink_the_derivative_is_the_left_hand_slope(name, kink):
    derivative = REGISTRY[name].derivative
    if derivative(kink) != pytest.approx(derivative(np.nextafter(kink, np.inf)), abs=1e-15):
        assert REGISTRY[name].kink, f"the slopes of {name} jump at {kink}: it must state its convention"
    left = float(sp.diff(REGISTRY[name].expression(X), X).subs(X, kink))  # Piecewise: the x <= k branch
    assert derivative(kink) == pytest.approx(left, rel=1e-15)
    assert derivative(kink) == pytest.approx(derivative(np.nextafter(kink, -np.inf)), abs=1e-15)


# PyTorch's backward at the kinks, read from its source (aten/src/ATen/native/cuda/Activation*Kernel.cu,
# the CPU kernels agree): elu_backward uses the x <= 0 branch at 0: alpha (ELU), scale * alpha (SELU);
# hardsigmoid_backward is 1/6 only on the open (-3, 3): 0 at both kinks; hardswish_backward is x/3 + 1/2
# on the closed [-3, 3]: -1/2 at -3, 3/2 at 3.
PYTORCH_AT_KINKS = {
    ("elu", 0.0): 1.0,
    ("selu", 0.0): 1.0507009873554805 * 1.6732632423543772,
    ("hard_sigmoid", -3.0): 0.0,
    ("hard_sigmoid", 3.0): 0.0,
    ("hard_swish", -3.0): -0.5,
    ("hard_swish", 3.0): 1.5,
}


def test_the_kink_conventions_and_where_pytorch_differs():
    assert act.relu_derivative(0.0) == 0.0 and act.relu_derivative(-0.0) == 0.0
    np.testing.assert_array_equal(act.relu_derivative([-1e-300, 1e-300, 5.0]), [0.0, 1.0, 1.0])
    assert act.leaky_relu_derivative(0.0) == 0.01 and act.leaky_relu_derivative(0.0, alpha=0.3) == 0.3
    assert act.leaky_relu_derivative(0.0, alpha=0.0) == act.relu_derivative(0.0)
    assert act.elu_derivative(0.0) == 1.0 and act.elu_derivative(0.0, alpha=0.5) == 0.5
    assert act.elu_derivative(-0.0, alpha=0.5) == 0.5 and act.elu_derivative(1e-300, alpha=0.5) == 1.0
    assert act.selu_derivative(0.0) == pytest.approx(1.7580993408473768, rel=1e-16)
    assert act.hard_sigmoid_derivative(-3.0) == 0.0 and act.hard_sigmoid_derivative(3.0) == 1 / 6
    assert act.hard_swish_derivative(-3.0) == 0.0 and act.hard_swish_derivative(3.0) == 1.5
    differ = {
        key for key, torch in PYTORCH_AT_KINKS.items() if REGISTRY[key[0]].derivative(key[1]) != pytest.approx(torch)
    }
    assert differ == {("hard_sigmoid", 3.0), ("hard_swish", -3.0)}
    assert all("PyTorch" in REGISTRY[name].kink for name, _ in differ)


def test_exact_values():
    assert act.sigmoid(0.0) == 0.5 and act.sigmoid_derivative(0.0) == 0.25
    assert act.tanh(0.0) == 0.0 and act.tanh_derivative(0.0) == 1.0
    np.testing.assert_array_equal(act.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.leaky_relu([-2.0, 0.0, 3.0]), [-0.02, 0.0, 3.0])
    np.testing.assert_array_equal(act.leaky_relu([-2.0, 3.0], alpha=0.2), [-0.4, 3.0])
    assert act.elu(0.0) == 0 and act.elu_derivative(0.0) == 1
    assert act.elu(-1.0, alpha=2.0) == pytest.approx(2 * np.expm1(-1), rel=1e-15)
    assert act.selu(0.0) == 0 and act.selu_derivative(1.0) == act.SELU_SCALE
    for approximate in ("none", "tanh"):
        assert act.gelu(0.0, approximate) == 0 and act.gelu_derivative(0.0, approximate) == 0.5
    assert act.silu(0.0) == 0 and act.silu_derivative(0.0) == 0.5
    assert act.mish(0.0) == 0 and act.mish_derivative(0.0) == pytest.approx(0.6, rel=1e-15)  # tanh(log 2) = 3/5
    assert act.softplus(0.0) == pytest.approx(np.log(2), rel=1e-16) and act.softplus_derivative(0.0) == 0.5
    assert act.softsign(1.0) == 0.5 and act.softsign_derivative(0.0) == 1 and act.softsign_derivative(1.0) == 0.25
    np.testing.assert_array_equal(act.hard_sigmoid([-4.0, -3.0, 0.0, 3.0, 4.0]), [0, 0, 0.5, 1, 1])
    np.testing.assert_array_equal(act.hard_swish([-4.0, -3.0, 0.0, 3.0, 4.0]), [0, 0, 0, 3, 4])
    assert act.hard_swish(-1.5) == -0.375 and act.hard_swish_derivative(-1.5) == 0


def test_selu_constants_are_the_papers_in_one_place():
    alpha, scale = sp.Rational("1.6732632423543772848170429916717"), sp.Rational("1.0507009873554804934193349852946")
    assert act.SELU_ALPHA == float(alpha) == 1.6732632423543772 and act.SELU_SCALE == float(scale) == 1.0507009873554805
    assert REGISTRY["selu"].expression(X) == sp.Piecewise((scale * alpha * (sp.exp(X) - 1), X <= 0), (scale * X, True))


# --- the registry ------------------------------------------------------------------


def test_the_registry_begins_with_the_thirteen_in_order():  # a new activation is added at the end
    assert list(REGISTRY)[:13] == CLASSIC + MODERN


@pytest.mark.parametrize("name", REGISTRY)
def test_every_entry_is_complete(name):
    entry = REGISTRY[name]
    assert entry.name == name and entry.title and entry.label
    assert re.fullmatch(r"#[0-9A-F]{6}", entry.color)
    assert entry.function is getattr(act, name) and entry.derivative is getattr(act, name + "_derivative")
    assert entry.kink is None or isinstance(entry.kink, str)
    assert entry.expression(X).free_symbols == {X}
    assert len({e.color for e in REGISTRY.values()}) == len(REGISTRY)


@pytest.mark.parametrize("name", REGISTRY)
def test_parameter_defaults_agree_with_the_signatures(name):
    entry = REGISTRY[name]
    for function in (entry.function, entry.derivative, entry.expression):
        _, *rest = inspect.signature(function).parameters.values()
        defaults = {p.name: p.default for p in rest}
        if function is entry.expression:  # exact SymPy numbers: compare their values
            defaults = {k: v if isinstance(v, str) else float(v) for k, v in defaults.items()}
        assert defaults == entry.parameters, (name, function)


def accuracy_table():
    """The measured accuracy of each function and derivative, as the docstrings state it."""
    lines = [
        f"{'':<18} {'function':>21}   {'derivative':>37}",
        f"{'':<18} {'max ulp':>9} {'at x':>11}   {'max ulp':>9} {'at x':>11} {'abs. near zero':>15}  (stated)",
    ]
    for name, parameters in VARIANTS:
        f_worst, f_at, _ = measured_accuracy((name, parameters, "function"))
        d_worst, d_at, d_abs = measured_accuracy((name, parameters, "derivative"))
        where = stated_accuracy(name, "function")[1]
        lines.append(
            f"{label((name, parameters, '')):<18} {f_worst:>9.2f} {f_at:>11.4g}   {d_worst:>9.2f} "
            f"{d_at:>11.4g} {d_abs:>15.2g}  ({where})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(accuracy_table())
