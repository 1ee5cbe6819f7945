"""Activation functions and their derivatives in NumPy, and ``REGISTRY``, the one place
the rest of the collection reads.

Every function takes array-likes (0-d array for a scalar), keeps a float dtype (ints and
bools become float64; non-numbers raise ``TypeError``), never warns, has the right limits
at +-inf, propagates NaN and states its accuracy in ulp against mpmath, which
tests/test_activations.py holds it to. The classic four are the lesson: written out, within
4 ulp everywhere, subnormals included. The modern nine are a few lines each on NumPy and
``scipy.special``. At a kink the derivative is the left-hand slope, as PyTorch uses (except
where noted) and, for ReLU, the TensorFlow Playground (which has no other kinked activation).
"""

import dataclasses
import functools
from collections.abc import Callable

import numpy as np
import sympy as sp
from scipy import special

from helpers import checks


def as_float_array(x):
    """``x`` as a float array (float dtypes kept, bools and ints as float64), or
    ``TypeError`` for complex, strings, objects, dates: their activation means nothing."""
    array = np.asarray(x)
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in "biu":
        return array.astype(np.float64)
    if kind == "c":
        raise TypeError(f"activations are defined for real numbers, got complex input ({array.dtype})")
    raise TypeError(f"expected real numbers (array-like of int or float), got dtype {array.dtype}")


def check_slope(alpha):
    """Return ``alpha`` as a float, or raise if it is not a finite real number."""
    return checks.real("alpha", alpha)


def _exp_minus_abs(x):
    return np.exp(-np.abs(x))  # in [0, 1]: it never overflows


def sigmoid(x):
    """Logistic sigmoid ``1 / (1 + exp(-x))``, with values in (0, 1).

    With ``t = exp(-|x|)`` (never larger than 1) the sigmoid is ``1 / (1 + t)``
    for x >= 0 and ``t / (1 + t)`` for x < 0. Both are ratios of positive
    numbers without cancellation, so the result is accurate everywhere, tiny
    values for very negative x included. Within 4 ulp everywhere.
    """
    x = as_float_array(x)
    one = x.dtype.type(1)  # typed constants keep float32 0-d input float32 on NumPy 1.x
    t = _exp_minus_abs(x)
    return np.asarray(np.where(x >= 0, one, t) / (one + t))  # both branches, one division


def sigmoid_derivative(x):
    """Derivative of the sigmoid, ``sigmoid(x) * (1 - sigmoid(x))``.

    The textbook product loses every significant digit once ``sigmoid(x)``
    rounds to 1 (x > ~37): ``1 - s`` becomes 0. The derivative is even, and
    with ``t = exp(-|x|)`` it equals ``t / (1 + t)**2`` exactly, a formula
    free of cancellation: for large |x| it is simply ``t``. Within 4 ulp everywhere.
    """
    x = as_float_array(x)
    one, two = x.dtype.type(1), x.dtype.type(2)
    t = _exp_minus_abs(x)
    return np.asarray(t / (one + t * (two + t)))


def tanh(x):
    """Hyperbolic tangent, with values in (-1, 1).

    ``np.tanh`` is already robust (the exp-based textbook quotient overflows
    to ``inf / inf = nan`` for |x| > ~710); this wrapper adds the input checks
    shared by every activation here. Within 4 ulp everywhere.
    """
    return np.asarray(np.tanh(as_float_array(x)))


def tanh_derivative(x):
    """Derivative of tanh, ``1 - tanh(x)**2 = 4 / (e**x + e**-x)**2``.

    ``1 - tanh(x)**2`` cancels to exactly 0 once ``tanh(x)`` rounds to +-1
    (|x| > ~19). Multiplying the second form above and below by ``e**(-2|x|)``
    gives ``4 t / (1 + t)**2`` with ``t = exp(-2|x|)``, free of cancellation
    and overflow (it is ``4 * sigmoid_derivative(2 x)``). Within 4 ulp everywhere.
    """
    x = as_float_array(x)
    one, two, four = (x.dtype.type(c) for c in (1, 2, 4))
    # Halving the largest float first keeps the doubling from overflowing.
    half_max = x.dtype.type(np.finfo(x.dtype).max / 2)
    t = _exp_minus_abs(two * np.minimum(np.abs(x), half_max))
    return np.asarray(four * t / (one + t * (two + t)))


def relu(x):
    """Rectified linear unit ``max(0, x)``.

    ``np.maximum`` propagates NaN (Python's ``max(0, nan)`` is 0). Exact: within 0 ulp everywhere.
    """
    x = as_float_array(x)
    return np.asarray(np.maximum(x, x.dtype.type(0)))


def relu_derivative(x):
    """Derivative of ReLU: 1 for x > 0, 0 for x <= 0 (0 at the kink), NaN for NaN.

    ``np.heaviside(x, 0)`` is exactly this step function with the value 0 at
    x = 0; unlike ``(x > 0).astype(float)`` it propagates NaN. Exact: within 0 ulp everywhere.
    """
    x = as_float_array(x)
    return np.asarray(np.heaviside(x, x.dtype.type(0)))


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: x for x > 0, ``alpha * x`` for x <= 0.

    ``alpha`` (a finite real number, 0.01 by default) is the slope for
    negative inputs; alpha = 0 gives ReLU, whose value at -inf is 0 (not
    ``0 * -inf = nan``). A product beyond the float range rounds to -inf or
    +inf, as IEEE arithmetic rounds any overflow, without a warning.
    Within 1 ulp everywhere (one rounding of the product).
    """
    x = as_float_array(x)
    alpha = check_slope(alpha)
    if alpha == 0:
        return relu(x)
    with np.errstate(over="ignore"):
        return np.asarray(np.where(x > 0, x, x * x.dtype.type(alpha)))


def leaky_relu_derivative(x, alpha=0.01):
    """Derivative of Leaky ReLU: 1 for x > 0, ``alpha`` for x <= 0, NaN for NaN.

    At the kink x = 0 it takes the left-hand slope ``alpha`` (alpha = 0 gives
    the ReLU convention, 0 at 0). Within 1 ulp everywhere (it is the float alpha).
    """
    x = as_float_array(x)
    alpha = check_slope(alpha)
    one, slope = x.dtype.type(1), x.dtype.type(alpha)
    return np.asarray(np.where(x > 0, one, np.where(np.isnan(x), x, slope)))


# The modern nine, in float64 (float16/32 input is rounded once at the end). Beyond |x| = 1000 every
# derivative, and GELU, SiLU, Mish for x < 0, is at its limit: clipping there keeps inf * 0 away.
_FAR = 1e3


def _modern(formula):
    """``formula`` (float64 in, float64 out) as an activation with the module's contract."""

    @functools.wraps(formula)
    def activation(x, *args, **kwargs):
        x = as_float_array(x)
        y = np.asarray(formula(x.astype(np.float64, copy=False), *args, **kwargs))
        with np.errstate(over="ignore"):  # beyond float32's range, inf is the right answer
            return y.astype(x.dtype, copy=False)

    return activation


@_modern
def elu(x, alpha=1.0):
    """ELU (Clevert et al., 2015): x for x > 0, ``alpha (exp(x) - 1)`` for x <= 0
    (``expm1``: ``exp(x) - 1`` cancels for small |x|). Within 2 ulp for |x| <= 30."""
    return np.where(x > 0, x, check_slope(alpha) * np.expm1(np.minimum(x, 0)))


@_modern
def elu_derivative(x, alpha=1.0):
    """1 for x > 0, ``alpha exp(x)`` for x <= 0: at 0 the left-hand slope alpha, as
    PyTorch's ``elu_backward`` (with alpha = 1, ELU is C1). Within 2 ulp for |x| <= 30."""
    return np.where(x > 0, 1.0, check_slope(alpha) * np.exp(np.minimum(x, 0)))


_SELU_ALPHA_DIGITS = "1.6732632423543772848170429916717"  # Klambauer et al. (2017), as in PyTorch
_SELU_SCALE_DIGITS = "1.0507009873554804934193349852946"
SELU_ALPHA = float(_SELU_ALPHA_DIGITS)
SELU_SCALE = float(_SELU_SCALE_DIGITS)
_SELU_SCALE_ALPHA = float(sp.Rational(_SELU_SCALE_DIGITS) * sp.Rational(_SELU_ALPHA_DIGITS))  # rounded once


@_modern
def selu(x):
    """SELU (Klambauer et al., 2017) ``SELU_SCALE * elu(x, SELU_ALPHA)``: keeps mean 0 and
    variance 1 through a deep network. From -1.7581 up; inf above ``max_float / 1.0507``,
    correctly. Within 4 ulp for |x| <= 30."""
    with np.errstate(over="ignore"):
        return np.where(x > 0, SELU_SCALE * x, _SELU_SCALE_ALPHA * np.expm1(np.minimum(x, 0)))


@_modern
def selu_derivative(x):
    """``scale`` for x > 0, ``scale alpha exp(x)`` for x <= 0: at 0 the left-hand
    slope 1.7581, as PyTorch's ``elu_backward``. Within 4 ulp for |x| <= 30."""
    return np.where(x > 0, SELU_SCALE, _SELU_SCALE_ALPHA * np.exp(np.minimum(x, 0)))


def _check_approximate(approximate):
    return checks.choice("approximate", approximate, ("none", "tanh")) == "tanh"


def _gelu_tanh_argument(x):
    """``z`` and ``dz/dx`` with the tanh form ``x (1 + tanh(u)) / 2 = x sigmoid(z)``, z = 2 u:
    the sum cancels to 0 for u < -19, the sigmoid does not."""
    x = np.clip(x, -_FAR, _FAR)
    c = 2 * np.sqrt(2 / np.pi)
    return c * (x + 0.044715 * x**3), c * (1 + 3 * 0.044715 * x**2)


@_modern
def gelu(x, approximate="none"):
    """GELU (Hendrycks & Gimpel, 2016) ``x Phi(x)``, Phi the normal distribution function
    (``scipy.special.ndtr``); ``approximate="tanh"``: the paper's (and PyTorch's)
    ``x / 2 (1 + tanh(sqrt(2 / pi) (x + 0.044715 x**3)))``.

    A few ulp near 0; the steep negative tail amplifies the rounding of x / sqrt(2) (in ``ndtr``)
    or of the cube to about 2 x**2 ulp (measured 1300 near x = -29.78, tanh form 1700 near -20.26):
    within 3000 ulp for |x| <= 30. ``ndtr`` underflows to 0 below x = -37.7."""
    x = np.maximum(x, -_FAR)
    return x * sigmoid(_gelu_tanh_argument(x)[0]) if _check_approximate(approximate) else x * special.ndtr(x)


@_modern
def gelu_derivative(x, approximate="none"):
    """``Phi(x) + x phi(x)``, phi the normal density; tanh form: ``s + x z' s (1 - s)``,
    s = sigmoid(z); maximum 1.1289 at sqrt(2). Within 3000 ulp for |x| <= 30 (see ``gelu``),
    except within 0.5 of its zero at x = -0.7518, where terms of about 0.2 cancel: there
    within 2e-16 absolute."""
    x = np.clip(x, -_FAR, _FAR)
    if _check_approximate(approximate):
        z, dz = _gelu_tanh_argument(x)
        return sigmoid(z) * (1 + x * dz * sigmoid(-z))
    return special.ndtr(x) + x * np.exp(-x * x / 2) / np.sqrt(2 * np.pi)


@_modern
def silu(x):
    """SiLU ``x sigmoid(x)`` (Elfwing et al., 2017), also called Swish (beta = 1).
    Within 4 ulp for |x| <= 30."""
    x = np.maximum(x, -_FAR)
    return x * sigmoid(x)


@_modern
def silu_derivative(x):
    """``sigmoid(x) (1 + x (1 - sigmoid(x)))``, with ``1 - sigmoid(x) = sigmoid(-x)``,
    which does not cancel. Within 6 ulp for |x| <= 30, except within 0.5 of its zero
    at x = -1.2785, where terms of about 0.2 cancel: there within 1e-16 absolute."""
    x = np.clip(x, -_FAR, _FAR)
    return sigmoid(x) * (1 + x * sigmoid(-x))


@_modern
def mish(x):
    """Mish ``x tanh(softplus(x))`` (Misra, 2019): close to SiLU, minimum -0.3088 at
    x = -1.1924. Within 4 ulp for |x| <= 30."""
    x = np.maximum(x, -_FAR)
    return x * np.tanh(softplus(x))


@_modern
def mish_derivative(x):
    """``tanh(sp) + x sigmoid(x) sech(sp)**2``, sp = softplus(x), with ``sech(sp) =
    2 r / (1 + r**2)``, r = sigmoid(-x) (``1 - tanh**2`` would cancel for large x). Within
    10 ulp for |x| <= 30, except within 0.5 of its zero at x = -1.1924, where terms of
    about 0.2 cancel: there within 2e-16 absolute."""
    x = np.clip(x, -_FAR, _FAR)
    r = sigmoid(-x)
    return np.tanh(softplus(x)) + x * sigmoid(x) * (2 * r / (1 + r * r)) ** 2


@_modern
def softplus(x):
    """Softplus ``log(1 + exp(x))`` (Dugas et al., 2001) as ``max(x, 0) + log1p(exp(-|x|))``,
    which neither overflows nor loses tiny values. PyTorch returns x for x > 20 (its
    ``threshold``), off by 5.8e5 ulp in float64 at x = 20; no such shortcut here, and no
    ``beta``. Within 3 ulp for |x| <= 30."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def softplus_derivative(x):
    """The logistic sigmoid. Within 3 ulp for |x| <= 30."""
    return sigmoid(x)


@_modern
def softsign(x):
    """Softsign ``x / (1 + |x|)`` (Bergstra et al., 2009): like tanh, but it approaches
    +-1 as 1/|x|, more gently. Within 2 ulp for |x| <= 30."""
    x = np.clip(x, -np.finfo(np.float64).max, np.finfo(np.float64).max)  # inf / inf would be nan
    return x / (1 + np.abs(x))


@_modern
def softsign_derivative(x):
    """``1 / (1 + |x|)**2`` (the quotient squared: the square would overflow); 1 at 0,
    where softsign is C1, not C2. Within 4 ulp for |x| <= 30."""
    return (1 / (1 + np.abs(x))) ** 2


@_modern
def hard_sigmoid(x):
    """Hard sigmoid ``relu6(x + 3) / 6`` (MobileNetV3, Howard et al., 2019; PyTorch): 0 for
    x <= -3, 1 for x >= 3 (``x + 3`` is exact near -3). Within 1 ulp for |x| <= 30."""
    return np.clip(x + 3, 0, 6) / 6


@_modern
def hard_sigmoid_derivative(x):
    """1/6 for -3 < x <= 3, else 0: the left-hand slopes, 0 at -3 and 1/6 at 3. PyTorch's
    ``hardsigmoid_backward`` is 0 at both, so it differs at 3. Within 1 ulp for |x| <= 30."""
    return np.select([x <= -3, x <= 3, x > 3], [0.0, 1 / 6, 0.0], default=np.nan)


@_modern
def hard_swish(x):
    """Hard swish ``x relu6(x + 3) / 6`` (MobileNetV3; PyTorch's ``hardswish``): 0 for
    x <= -3, x for x >= 3, minimum -0.375 at -1.5. Within 2 ulp for |x| <= 30."""
    x = np.maximum(x, -_FAR)
    return x * (np.clip(x + 3, 0, 6) / 6)


@_modern
def hard_swish_derivative(x):
    """0 for x <= -3, ``(2 x + 3) / 6`` up to 3, then 1: the left-hand slopes, 0 at -3 and
    3/2 at 3. PyTorch's ``hardswish_backward`` takes the middle formula on [-3, 3], so it
    gives -1/2 at -3. ``(x + 1.5) / 3`` is exact near -1.5. Within 1 ulp for |x| <= 30."""
    return np.select([x <= -3, x <= 3, x > 3], [0.0, (x + 1.5) / 3, 1.0], default=np.nan)


@dataclasses.dataclass(frozen=True)
class Activation:
    """NumPy ``function(x, **parameters)``, ``derivative``, SymPy ``expression(x, **parameters)``."""

    name: str
    title: str  # for headings and legends: "Leaky ReLU"
    label: str  # matplotlib mathtext for f(x): r"\mathrm{Leaky\ ReLU}"
    color: str
    function: Callable
    derivative: Callable
    expression: Callable
    kink: str | None = None  # the convention at a kink; None for a smooth function
    parameters: dict = dataclasses.field(default_factory=dict)  # name -> default


def _gelu_expression(x, approximate="none"):
    if _check_approximate(approximate):  # x (1 + tanh(u)) / 2 = x / (1 + exp(-2 u)), which does not cancel
        return x / (1 + sp.exp(-2 * sp.sqrt(2 / sp.pi) * (x + sp.Rational("0.044715") * x**3)))
    # erfc kept unevaluated (SymPy would write 2 - erfc(x / sqrt 2), which cancels for x < -9 at 200 bits)
    return x * sp.erfc(-x / sp.sqrt(2), evaluate=False) / 2


def _selu_expression(x):
    scale, alpha = sp.Rational(_SELU_SCALE_DIGITS), sp.Rational(_SELU_ALPHA_DIGITS)
    return sp.Piecewise((scale * alpha * (sp.exp(x) - 1), x <= 0), (scale * x, True))


# Piecewise branches are written x <= k first, so sp.diff at a kink gives the left-hand slope.
# fmt: off
REGISTRY = {a.name: a for a in (
    Activation("sigmoid", "sigmoid", r"\sigma", "#0072B2", sigmoid, sigmoid_derivative,
               lambda x: 1 / (1 + sp.exp(-x))),
    Activation("tanh", "tanh", r"\tanh", "#D55E00", tanh, tanh_derivative,
               lambda x: (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))),
    Activation("relu", "ReLU", r"\mathrm{ReLU}", "#009E73", relu, relu_derivative,
               lambda x: sp.Piecewise((0, x <= 0), (x, True)), kink="relu'(0) = 0, the left-hand slope"),
    Activation("leaky_relu", "Leaky ReLU", r"\mathrm{Leaky\ ReLU}", "#CC79A7", leaky_relu, leaky_relu_derivative,
               lambda x, alpha=sp.Rational(1, 100): sp.Piecewise((alpha * x, x <= 0), (x, True)),
               kink="leaky_relu'(0) = alpha, the left-hand slope", parameters={"alpha": 0.01}),
    Activation("elu", "ELU", r"\mathrm{ELU}", "#882255", elu, elu_derivative,
               lambda x, alpha=sp.Integer(1): sp.Piecewise((alpha * (sp.exp(x) - 1), x <= 0), (x, True)),
               kink="elu'(0) = alpha, the left-hand slope (a kink unless alpha = 1), as PyTorch",
               parameters={"alpha": 1.0}),
    Activation("selu", "SELU", r"\mathrm{SELU}", "#AA4499", selu, selu_derivative, _selu_expression,
               kink="selu'(0) = scale * alpha, the left-hand slope, as PyTorch"),
    Activation("gelu", "GELU", r"\mathrm{GELU}", "#E69F00", gelu, gelu_derivative, _gelu_expression,
               parameters={"approximate": "none"}),
    Activation("silu", "SiLU (Swish)", r"\mathrm{SiLU}", "#56B4E9", silu, silu_derivative,
               lambda x: x / (1 + sp.exp(-x))),
    Activation("mish", "Mish", r"\mathrm{Mish}", "#117733", mish, mish_derivative,
               lambda x: x * sp.tanh(sp.log(1 + sp.exp(x)))),
    Activation("softplus", "softplus", r"\mathrm{softplus}", "#999933", softplus, softplus_derivative,
               lambda x: sp.log(1 + sp.exp(x))),
    Activation("softsign", "softsign", r"\mathrm{softsign}", "#44AA99", softsign, softsign_derivative,
               lambda x: sp.Piecewise((x / (1 - x), x <= 0), (x / (1 + x), True))),
    Activation("hard_sigmoid", "hard sigmoid", r"\mathrm{hsig}", "#332288", hard_sigmoid, hard_sigmoid_derivative,
               lambda x: sp.Piecewise((0, x <= -3), (x / 6 + sp.Rational(1, 2), x <= 3), (1, True)),
               kink="left-hand slopes at -3 and 3: 0 and 1/6 (PyTorch: 0 at both)"),
    Activation("hard_swish", "hard swish", r"\mathrm{hswish}", "#CC6677", hard_swish, hard_swish_derivative,
               lambda x: sp.Piecewise((0, x <= -3), (x * (x + 3) / 6, x <= 3), (x, True)),
               kink="left-hand slopes at -3 and 3: 0 and 3/2 (PyTorch: -1/2 and 3/2)"),
)}
# fmt: on
"""Every activation of the collection by name: the one place the others read."""
