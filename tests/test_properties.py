"""helpers.properties: each property against a value known in closed form, and bad input raises."""

import math

import numpy as np
import pytest
import sympy as sp
from scipy import special

from helpers import activations, properties
from helpers.symbolic import x

STEP = sp.Piecewise((0, x <= 1), (1, True))  # a jump at 1
CUBIC = sp.Piecewise((0, x <= 0), (x**3, True))  # C^2: the third derivative jumps at 0


def test_golden_section_finds_the_minimum_and_checks_its_interval():
    assert properties.golden_section(lambda v: (v - 1.3) ** 2, 0.0, 3.0) == pytest.approx(1.3, abs=1e-9)
    assert properties.golden_section(lambda v: abs(v + 2.0), -5.0, 5.0) == pytest.approx(-2.0, abs=1e-9)
    with pytest.raises(ValueError, match="low < high"):
        properties.golden_section(abs, 1.0, 1.0)
    with pytest.raises(TypeError, match="iterations"):
        properties.golden_section(abs, 0.0, 1.0, iterations=True)


def test_breakpoints_and_one_sided_values():
    assert properties.breakpoints(sp.Piecewise((0, x <= -3), (x / 6 + sp.Rational(1, 2), x <= 3), (1, True))) == [-3, 3]
    assert properties.breakpoints(sp.tanh(x)) == []
    assert properties.one_sided(STEP, 1, -1) == 0 and properties.one_sided(STEP, 1, 1) == 1
    assert properties.one_sided(sp.exp(x), 0, 1) == 1  # no pieces: the expression itself
    with pytest.raises(ValueError, match="side"):
        properties.one_sided(STEP, 1, 0)


@pytest.mark.parametrize(
    "expression, expected",
    [
        (sp.tanh(x), "C^inf"),
        (STEP, "discontinuous"),
        (sp.Piecewise((0, x <= 0), (x, True)), "C^0"),
        (sp.Piecewise((sp.exp(x) - 1, x <= 0), (x, True)), "C^1"),  # ELU with alpha = 1
        (sp.Piecewise((2 * (sp.exp(x) - 1), x <= 0), (x, True)), "C^0"),  # alpha = 2: slopes 2 and 1
        (CUBIC, "C^2"),
        (sp.Piecewise((0, x <= 0), (x**6, True)), "C^4+"),
    ],
)
def test_smoothness(expression, expected):
    assert properties.smoothness(expression) == expected


def test_relu_flat_below_zero_with_slope_one_beyond():
    p = properties.describe("relu")
    assert (p.lowest.kind, p.lowest.value, p.lowest.where) == ("below", 0.0, (0.0,))
    assert (p.largest_slope.kind, p.largest_slope.where) == ("on", (0.0, math.inf))
    assert p.supremum == math.inf and p.monotonic and p.smoothness == "C^0"
    assert p.mean == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-9)  # E max(Z, 0) = phi(0)
    assert str(p.lowest) == "0.0000 for x <= 0.00" and str(p.largest_slope) == "1.0000 on (0.00, inf)"
    assert p.largest_slope.closed == (False, False)  # the helper's slope at 0 is the left one, 0
    assert str(properties.describe("elu").largest_slope) == "1.0000 on [0.00, inf)"  # ELU's left slope at 0 is 1


def test_silu_minimum_and_largest_slope_in_closed_form():
    p = properties.describe("silu")
    where = -1 - special.lambertw(math.exp(-1)).real  # SiLU' = 0 there: 1 + x sigma(-x) = 0
    assert p.lowest.kind == "at" and p.lowest.where[0] == pytest.approx(where, abs=1e-7)
    assert p.lowest.value == pytest.approx(where / (1 + math.exp(-where)), abs=1e-12)
    assert not p.monotonic and p.smoothness == "C^inf" and p.df0 == 0.5


def test_gelu_largest_slope_at_sqrt_2_and_selu_mean_zero():
    gelu = properties.describe("gelu")
    assert gelu.largest_slope.kind == "at" and gelu.largest_slope.where[0] == pytest.approx(math.sqrt(2), abs=1e-7)
    assert properties.describe("selu").mean == pytest.approx(0.0, abs=1e-6)  # the fixed point of its design


def test_limits_are_told_from_values_taken_exactly():
    softplus, tanh = properties.describe("softplus"), properties.describe("tanh")
    assert (softplus.lowest.kind, softplus.lowest.value) == ("limit", 0.0)  # never 0, although floats round to it
    assert (softplus.largest_slope.kind, str(softplus.largest_slope)) == ("limit", "1.0000 (limit at +inf)")
    assert (tanh.lowest.kind, tanh.supremum, tanh.smoothness) == ("limit", 1.0, "C^inf")
    hard = properties.describe("hard_sigmoid")
    assert (hard.lowest.kind, hard.lowest.where) == ("below", (-3.0,))
    assert (hard.largest_slope.kind, hard.largest_slope.where) == ("on", (-3.0, 3.0))
    assert str(hard.largest_slope) == "0.1667 on (-3.00, 3.00]"  # left slopes: 0 at -3, 1/6 at 3
    assert hard.largest_slope.value == pytest.approx(1 / 6, rel=1e-15)


def test_describe_checks_its_arguments():
    with pytest.raises(ValueError, match="unknown activation"):
        properties.describe("swish")
    with pytest.raises(ValueError, match="grid"):
        properties.describe("relu", grid=np.array([0.0, np.inf, 1.0]))
    with pytest.raises(TypeError, match="grid"):
        properties.describe("relu", grid=["a", "b", "c"])


def test_normal_expectation_against_closed_forms():
    assert properties.normal_expectation(lambda z: z**2) == pytest.approx(1.0, abs=1e-10)
    assert properties.normal_expectation(np.abs) == pytest.approx(math.sqrt(2 / math.pi), abs=1e-9)
    assert properties.normal_expectation(np.exp) == pytest.approx(math.exp(0.5), rel=1e-10)  # E e^Z = e^(1/2)
    with pytest.raises(TypeError, match="callable"):
        properties.normal_expectation(2.0)


def test_check_derivative_proves_right_formulas_and_catches_wrong_ones():
    silu, sigma = activations.REGISTRY["silu"], activations.REGISTRY["sigmoid"].expression
    right = properties.check_derivative(silu, sigma(x) * (1 + x * (1 - sigma(x))))
    assert right.proved and right.vs_formula < 1e-14 and right.vs_finite < 1e-9
    wrong = properties.check_derivative(silu, sigma(x))  # the sigmoid alone: off by x sigma (1 - sigma)
    assert not wrong.proved and wrong.vs_formula > 0.1
    softsign = properties.check_derivative(activations.REGISTRY["softsign"], 1 / (1 + sp.Abs(x)) ** 2)
    assert softsign.proved and softsign.vs_formula < 1e-15  # |x| against the pieces
    hard = properties.check_derivative(  # kinks at -3 and 3 are left out of the finite differences
        activations.REGISTRY["hard_sigmoid"], sp.Piecewise((0, x <= -3), (sp.Rational(1, 6), x <= 3), (0, True))
    )
    assert hard.proved and hard.vs_formula == 0.0 and hard.vs_finite < 1e-9
    gelu = activations.REGISTRY["gelu"]
    tanh_form = properties.check_derivative(
        gelu, sp.diff(gelu.expression(x, approximate="tanh"), x), approximate="tanh"
    )
    assert tanh_form.proved and tanh_form.vs_formula < 1e-14
    with pytest.raises(TypeError, match="Activation"):
        properties.check_derivative("silu", sigma(x))
    with pytest.raises(ValueError, match="grid"):
        properties.check_derivative(silu, sigma(x), grid=np.array([0.0, np.nan]))
