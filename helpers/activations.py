"""Activation functions and their derivatives in NumPy, numerically robust.

Every function here

* accepts anything array-like (scalars, lists, arrays) and returns a NumPy
  array of the same shape (a 0-d array for a scalar input);
* keeps a floating dtype (float32 stays float32) and turns integers and
  booleans into float64; complex, string, object and other non-numeric input
  raises ``TypeError``;
* emits no warning anywhere on the float range, has the correct limits at
  +-inf and propagates NaN;
* is accurate to a few units in the last place (ulp) against an exact
  reference (mpmath), subnormal results included.

The naive textbook formulas (``1 / (1 + np.exp(-x))``, ``s * (1 - s)``,
``1 - np.tanh(x)**2``) fail the last two points; the notebooks show how, and
the comments below say what each robust formulation avoids.

Convention at a kink: the derivative of ReLU at 0 is 0, and the derivative of
Leaky ReLU at 0 is ``alpha``: the left-hand slope, as the original TensorFlow
Playground and PyTorch use.

The modern activations (ELU, SELU, GELU, SiLU/Swish, Mish, softplus,
softsign, hard sigmoid, hard swish) follow below, with the same guarantees
and the same kink rule: ELU'(0) = alpha and SELU'(0) = scale * alpha, as in
PyTorch; at +-3 the hard sigmoid and hard swish take their left-hand slopes,
where PyTorch differs at one kink each (their docstrings say where).
"""

import numpy as np

from helpers import checks

__all__ = [
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "elu",
    "elu_derivative",
    "selu",
    "selu_derivative",
    "SELU_ALPHA",
    "SELU_SCALE",
    "gelu",
    "gelu_derivative",
    "silu",
    "silu_derivative",
    "swish",
    "swish_derivative",
    "mish",
    "mish_derivative",
    "softplus",
    "softplus_derivative",
    "softsign",
    "softsign_derivative",
    "hard_sigmoid",
    "hard_sigmoid_derivative",
    "hard_swish",
    "hard_swish_derivative",
]


def as_float_array(x):
    """Return ``x`` as a floating NumPy array, or raise ``TypeError``.

    Floating dtypes are kept; booleans and integers become float64. Complex
    numbers, strings, objects, dates and anything else non-numeric are
    rejected, because an activation of them has no meaning.
    """
    array = np.asarray(x)
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in "biu":
        return array.astype(np.float64)
    if kind == "c":
        raise TypeError(
            f"activations are defined for real numbers, got complex input ({array.dtype})"
        )
    raise TypeError(
        f"expected real numbers (array-like of int or float), got dtype {array.dtype}"
    )


def check_slope(alpha):
    """Return ``alpha`` as a float, or raise if it is not a finite real number."""
    return checks.real("alpha", alpha)


def _exp_minus_abs(x):
    """``exp(-|x|)``: lies in [0, 1], so it can never overflow."""
    return np.exp(-np.abs(x))


def sigmoid(x):
    """Logistic sigmoid ``1 / (1 + exp(-x))``, with values in (0, 1).

    With ``t = exp(-|x|)`` (never larger than 1) the sigmoid is ``1 / (1 + t)``
    for x >= 0 and ``t / (1 + t)`` for x < 0. Both are ratios of positive
    numbers without cancellation, so the result is accurate everywhere, tiny
    values for very negative x included, and ``exp`` never overflows.
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
    free of cancellation: for large |x| it is simply ``t``.
    """
    x = as_float_array(x)
    one, two = x.dtype.type(1), x.dtype.type(2)
    t = _exp_minus_abs(x)
    return np.asarray(t / (one + t * (two + t)))


def tanh(x):
    """Hyperbolic tangent, with values in (-1, 1).

    ``np.tanh`` is already robust (the exp-based textbook quotient overflows
    to ``inf / inf = nan`` for |x| > ~710); this wrapper adds the input checks
    shared by every activation here.
    """
    return np.asarray(np.tanh(as_float_array(x)))


def tanh_derivative(x):
    """Derivative of tanh, ``1 - tanh(x)**2 = 4 / (e**x + e**-x)**2``.

    ``1 - tanh(x)**2`` cancels to exactly 0 once ``tanh(x)`` rounds to +-1
    (|x| > ~19). Multiplying the second form above and below by ``e**(-2|x|)``
    gives ``4 t / (1 + t)**2`` with ``t = exp(-2|x|)``, free of cancellation
    and overflow (it is ``4 * sigmoid_derivative(2 x)``).
    """
    x = as_float_array(x)
    one, two, four = (x.dtype.type(c) for c in (1, 2, 4))
    # Halving the largest float first keeps the doubling from overflowing.
    half_max = x.dtype.type(np.finfo(x.dtype).max / 2)
    t = _exp_minus_abs(two * np.minimum(np.abs(x), half_max))
    return np.asarray(four * t / (one + t * (two + t)))


def relu(x):
    """Rectified linear unit ``max(0, x)``.

    ``np.maximum`` propagates NaN (``max(0, nan)`` is nan, not 0).
    """
    x = as_float_array(x)
    return np.asarray(np.maximum(x, x.dtype.type(0)))


def relu_derivative(x):
    """Derivative of ReLU: 1 for x > 0, 0 for x <= 0 (0 at the kink), NaN for NaN.

    ``np.heaviside(x, 0)`` is exactly this step function with the value 0 at
    x = 0; unlike ``(x > 0).astype(float)`` it propagates NaN.
    """
    x = as_float_array(x)
    return np.asarray(np.heaviside(x, x.dtype.type(0)))


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: x for x > 0, ``alpha * x`` for x <= 0.

    ``alpha`` (a finite real number, 0.01 by default) is the slope for
    negative inputs; alpha = 0 gives ReLU, whose value at -inf is 0 (not
    ``0 * -inf = nan``). A product beyond the float range rounds to -inf or
    +inf, as IEEE arithmetic rounds any overflow, without a warning.
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
    the ReLU convention, 0 at 0).
    """
    x = as_float_array(x)
    alpha = check_slope(alpha)
    one, slope = x.dtype.type(1), x.dtype.type(alpha)
    return np.asarray(np.where(x > 0, one, np.where(np.isnan(x), x, slope)))


# ---------------------------------------------------------------------------
# Modern activations: ELU, SELU, GELU, SiLU (Swish), Mish, softplus, softsign,
# hard sigmoid and hard swish, with the guarantees listed at the top.
#
# float64 input is evaluated natively. float16 and float32 input is evaluated
# in float64 and rounded once at the end (accurate to about half an ulp of
# its own precision); longdouble input is evaluated at float64 precision.
# Three tools keep the float64 results within a few ulp where the textbook
# formulas lose digits:
#
# * _exp_scaled_parts: e**v for very negative v as m * 2**-k with m a normal
#   number. x * sigmoid(x) at x = -740 is -740 times e**-740, a subnormal
#   with few significant bits; scaling the exponential up first and down
#   (exactly, by a power of two) at the very end keeps every bit.
# * double-double arithmetic (_two_sum, _two_product): a value carried as an
#   unevaluated sum hi + lo of two floats, with twice the precision. GELU's
#   tanh form needs e**z with z ~ 0.07 x**3, and one ulp of error in z is
#   ~600 ulp in e**z at x = -20; several derivatives are ratios whose
#   roundings would otherwise add up to more than 4 ulp.
# * polynomial tables for the normal distribution (exact GELU): NumPy has no
#   erf, and erfc(-x / sqrt(2)) would not do anyway: rounding x / sqrt(2)
#   already costs ~x**2 ulp in the tail.
#
# Where a derivative crosses zero (GELU', SiLU', Mish'), the terms that cancel
# there are rewritten around the zero, so that even the derivative's
# smallest values near it keep their relative accuracy.
# ---------------------------------------------------------------------------

_FLOAT64 = np.dtype(np.float64)


def _evaluate(kernel, x, *args):
    """``kernel(x, *args)``, ``kernel`` written for float64, in ``x``'s dtype."""
    x = as_float_array(x)
    if x.dtype == _FLOAT64:
        return np.asarray(kernel(x, *args))
    # A value beyond the range of a narrower float is correctly +-inf.
    with np.errstate(over="ignore"):
        return np.asarray(np.asarray(kernel(x.astype(np.float64), *args)).astype(x.dtype))


_LN2_HI = 6.93147180369123816490e-01
"""ln 2 rounded to 32 significant bits: ``512 * _LN2_HI`` added to any float64
in [-1100, -256] is exact (the Cody-Waite split used by most libms)."""
_LN2_LO = 1.90821492927058770002e-10
"""``ln 2 - _LN2_HI`` to float64 precision."""
_TAIL = -256.0
_SHIFT_HI = 512 * _LN2_HI
_SHIFT_LO = 512 * _LN2_LO
_SHIFT_EXPM1 = float(np.expm1(_SHIFT_LO))


def _exp_scaled_parts(hi, lo=None):
    """``exp(hi + lo)`` as ``(m, c, k)`` with ``exp(hi + lo) = m (1 + c) 2**-k``.

    ``hi <= 0`` is a float64 array, ``lo`` an optional tiny correction
    (``|lo| < 1e-4``). Where ``hi < -256`` the result is below 1e-111 and
    further products could make it subnormal before the end; there
    ``k = 512`` and ``m = exp(hi + 512 ln 2)`` is a normal number. The
    argument ``hi + 512 * _LN2_HI`` is exact, so ``m`` carries only the
    rounding error of ``exp``; the remainder ``lo + 512 * _LN2_LO`` becomes
    the small factor ``1 + c``, which callers fold into a later step.
    """
    tail = hi < _TAIL
    m = np.exp(hi + tail * _SHIFT_HI)
    c = tail * _SHIFT_EXPM1 if lo is None else np.expm1(lo + tail * _SHIFT_LO)
    return m, c, np.multiply(tail, 512, dtype=np.intc)


def _exp_scaled(hi):
    """``exp(hi)`` as ``(m, k)`` with ``exp(hi) = m * 2**-k``; see :func:`_exp_scaled_parts`."""
    m, c, k = _exp_scaled_parts(hi)
    return m + m * c, k


_SPLITTER = 134217729.0  # 2**27 + 1


def _split(a):
    """Dekker's split ``a = hi + lo`` into halves of at most 26 significant
    bits, whose products are exact (for ``|a| < 1e300``)."""
    scaled = a * _SPLITTER
    hi = scaled - (scaled - a)
    return hi, a - hi


def _two_product(a, b):
    """``a * b = p + e`` exactly (Dekker), for ``|a|, |b| < 1e150``."""
    p = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def _two_sum(a, b):
    """``a + b = s + e`` exactly (Knuth)."""
    s = a + b
    b_virtual = s - a
    return s, (a - (s - b_virtual)) + (b - b_virtual)


def _fast_two_sum(a, b):
    """``a + b = s + e`` exactly, provided ``|a| >= |b|`` (Dekker)."""
    s = a + b
    return s, b - (s - a)


def _alpha_exp(alpha, x):
    """``alpha * exp(x)`` for ``x <= 0``: one rounding after ``exp``, even when subnormal."""
    m, k = _exp_scaled(np.minimum(x, 0.0))
    mantissa, exponent = np.frexp(alpha)  # |mantissa| < 1: the product cannot overflow
    return np.ldexp(mantissa * m, exponent - k)


def _elu_kernel(x, alpha):
    # expm1(x), not exp(x) - 1, which cancels for small |x|.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu(x, alpha=1.0):
    """Exponential linear unit (Clevert et al., 2015): x for x > 0,
    ``alpha * (exp(x) - 1)`` for x <= 0.

    ``alpha`` (a finite real number, 1.0 by default as in PyTorch) is the
    depth of the floor: ELU tends to ``-alpha`` as x -> -inf.
    """
    return _evaluate(_elu_kernel, x, check_slope(alpha))


def _elu_derivative_kernel(x, alpha):
    return np.where(x > 0, 1.0, _alpha_exp(alpha, x))


def elu_derivative(x, alpha=1.0):
    """Derivative of ELU: 1 for x > 0, ``alpha * exp(x)`` for x <= 0.

    At x = 0 it is the left-hand slope ``alpha``, as PyTorch's ``elu_backward``
    returns; with the default alpha = 1 both one-sided slopes are 1 and ELU
    is continuously differentiable.
    """
    return _evaluate(_elu_derivative_kernel, x, check_slope(alpha))


SELU_ALPHA = 1.6732632423543772848170429916717
"""SELU's alpha (Klambauer et al., 2017), as in PyTorch."""
SELU_SCALE = 1.0507009873554804934193349852946
"""SELU's scale lambda (Klambauer et al., 2017), as in PyTorch."""
_SELU_SCALE_ALPHA = 1.7580993408473768599402175208123  # their exact product, rounded once


def _selu_kernel(x):
    with np.errstate(over="ignore"):  # scale * x beyond the float range is correctly inf
        positive = SELU_SCALE * x
    return np.where(x > 0, positive, _SELU_SCALE_ALPHA * np.expm1(np.minimum(x, 0.0)))


def selu(x):
    """Scaled ELU (Klambauer et al., 2017): ``scale * x`` for x > 0 and
    ``scale * alpha * (exp(x) - 1)`` for x <= 0, with the paper's constants
    ``SELU_SCALE`` = 1.0507 and ``SELU_ALPHA`` = 1.6733 (chosen so that
    activations keep mean 0 and variance 1 through a deep network with
    suitably scaled weights).

    Values from -1.7581 (the limit at -inf) up; above ``max_float / 1.0507``
    the exact value exceeds the float range and the result is inf, silently.
    """
    return _evaluate(_selu_kernel, x)


def _selu_derivative_kernel(x):
    return np.where(x > 0, SELU_SCALE, _alpha_exp(_SELU_SCALE_ALPHA, x))


def selu_derivative(x):
    """Derivative of SELU: ``scale`` for x > 0, ``scale * alpha * exp(x)`` for x <= 0.

    At the kink x = 0 it is the left-hand slope ``scale * alpha`` = 1.7581,
    as PyTorch's ``elu_backward`` returns.
    """
    return _evaluate(_selu_derivative_kernel, x)


# x * sigmoid(z(x)) and its derivative: SiLU (z = x) and GELU's tanh form.


def _x_sigmoid(x, z, z_lo=None):
    """``x * sigmoid(z)`` for ``z = z + z_lo`` (a double-double) of the sign of x.

    With ``t = exp(-|z|)`` (never above 1) it is ``x / (1 + t)`` for z >= 0
    and ``x t / (1 + t)`` for z < 0. The factor ``exp(z_lo)`` is folded into
    the denominator, at no extra rounding.
    """
    negative = z < 0
    x_below = np.clip(x, -1e5, 0.0)  # beyond -1e5 the result is 0 anyway; keeps -inf * 0 away
    if z_lo is None:
        m, k = _exp_scaled(-np.abs(z))
        t = np.ldexp(m, -k)
        return np.where(negative, np.ldexp(x_below * m / (1 + t), -k), x / (1 + t))
    m, c, k = _exp_scaled_parts(-np.abs(z), np.where(negative, z_lo, -z_lo))
    t = np.ldexp(m, -k)
    t_c = t * c  # exp(-|z|) = t + t_c
    # x t (1 + c) / (1 + t (1 + c)) = x t / ((1 + t (1 + c)) / (1 + c))
    below = np.ldexp(x_below * m / (1 + ((t + t_c) - (1 + t) * (c / (1 + c)))), -k)
    return np.where(negative, below, x / (1 + (t + t_c)))


def _x_sigmoid_derivative(z, z_lo, x_dz, x_dz_lo, root):
    """Derivative of ``x * sigmoid(z(x))``, given ``z`` and ``x z'(x)`` as
    double-doubles ``(z, z_lo)`` and ``(x_dz, x_dz_lo)`` (``lo`` None: exact).

    It is ``sigmoid(z) * (1 + x z' (1 - sigmoid(z)))``; the textbook product
    cancels where sigmoid(z) rounds to 1. With ``t = exp(-|z|)``:

    * z >= 0: ``s * (1 + x z' t s)`` with ``s = 1 / (1 + t)``, a sum of
      positive terms;
    * z < 0: ``t (1 + x z' + t) / (1 + t)**2``. The roundings of the
      numerator and of the squared denominator would add up to several ulp,
      so both are carried as double-doubles and enter to first order.

    The derivative is zero where ``1 + x z' + t = 0``; ``root`` holds
    ``x z'``, ``z`` and ``t = e**z`` there, ``(X0, z0, t0)``, as
    double-doubles. Near that point the numerator, a difference of terms of
    about 0.3, is rewritten as ``(x z' - X0) + t0 expm1(z - z0)``: two
    differences computed exactly and of the same sign, so the result keeps
    its relative accuracy right down to the zero.
    """
    negative = z < 0
    m, c, k = _exp_scaled_parts(-np.abs(z), None if z_lo is None else np.where(negative, z_lo, -z_lo))
    z_lo = 0.0 if z_lo is None else z_lo
    x_dz_lo = 0.0 if x_dz_lo is None else x_dz_lo
    t = np.ldexp(m, -k)
    t_c = t * c  # exp(-|z|) = t + t_c
    s = 1 / (1 + (t + t_c))
    above = s * (1 + x_dz * ((t + t_c) * s))
    one_plus, one_plus_lo = _two_sum(1.0, x_dz)
    numerator, numerator_lo = _two_sum(one_plus, t)
    numerator_lo = numerator_lo + ((one_plus_lo + x_dz_lo) + t_c)
    (x0_dz, x0_dz_lo), (z0, z0_lo), (t0, _) = root
    dz = (z - z0) + (z_lo - z0_lo)  # z - z0 is exact near the root (Sterbenz)
    near = np.abs(dz) < 0.25
    if np.any(near):
        near_root = ((x_dz - x0_dz) + (x_dz_lo - x0_dz_lo)) + t0 * np.expm1(np.where(near, dz, 0.0))
        numerator = np.where(near, near_root, numerator)
        numerator_lo = np.where(near, 0.0, numerator_lo)
    base, base_lo = _fast_two_sum(1.0, t)
    square, square_lo = _two_product(base, base)
    square_lo = square_lo + 2 * base * (base_lo + t_c)
    ratio = numerator / square
    correction = (numerator_lo - ratio * square_lo) / square
    below = np.ldexp(m * ratio + m * (correction + ratio * c), -k)
    return np.where(negative, below, above)


def silu(x):
    """Sigmoid-weighted linear unit ``x * sigmoid(x)`` (Elfwing et al., 2017),
    also known as Swish (Ramachandran et al., 2017, with beta = 1).

    Smooth, unbounded above, bounded below (minimum -0.2785 at x = -1.2785),
    not monotonic. Accurate also for very negative x, where the result is a
    tiny (possibly subnormal) ``x * exp(x)``.
    """
    return _evaluate(_silu_kernel, x)


def _silu_kernel(x):
    return _x_sigmoid(x, x)


_SILU_ROOT = (
    (-1.2784645427610737, -1.0946994183093437e-16),  # x0, where 1 + x + e**x = 0
    (-1.2784645427610737, -1.0946994183093437e-16),  # z0 = x0
    (0.2784645427610738, -1.5523606315812798e-18),  # e**x0 = -(1 + x0)
)
"""Where SiLU' = 0 (the minimum of SiLU), as double-doubles; x z'(x) = x."""


def _silu_derivative_kernel(x):
    x = np.clip(x, -1e5, 1e5)  # exp(-|x|) is 0 long before: nothing changes
    return _x_sigmoid_derivative(x, None, x, None, _SILU_ROOT)


def silu_derivative(x):
    """Derivative of SiLU, ``sigmoid(x) * (1 + x * (1 - sigmoid(x)))``.

    It exceeds 1 (maximum 1.0998 at x = 2.3994), is negative for
    x < -1.2785 and tends to 0 at -inf and to 1 at +inf.
    """
    return _evaluate(_silu_derivative_kernel, x)


swish = silu
"""Swish with beta = 1 (Ramachandran et al., 2017) is SiLU."""
swish_derivative = silu_derivative
"""Derivative of Swish (beta = 1), which is SiLU's."""


# GELU, exact: x Phi(x), Phi the standard normal distribution function. With
# y = |x|, Phi(-y) = exp(-y**2 / 2) R(y), where R(y) = exp(y**2 / 2) Phi(-y)
# varies slowly (from 1/2 at 0 to about 1 / (y sqrt(2 pi))); GELU'(x) =
# Phi(x) + x phi(x) needs S(y) = y / sqrt(2 pi) - R(y) likewise. R and S are
# tabulated as polynomials on the intervals between _GELU_BREAKS (see the end
# of this module). exp(-y**2 / 2) is evaluated with y split into halves, so
# that the square of the high half is exact. Beyond y = 40, Phi(-y) < 1e-300:
# GELU is 0 (x < 0) or x (x > 0) to float64 precision.

_GELU_BREAKS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 40.0)
_GELU_S_ROOT = (0.7517915246935645, -1.4956759177009883e-17)
"""Where S(y) = 0, i.e. GELU'(-y) = 0, as a double-double. On [0, 2] the
table holds S(y) / (y - y0), and S is that times ``y - y0``, computed exactly
near y0: relative accuracy right down to the zero of GELU'."""


def _gelu_parts(x, columns, root=None):
    """For ``y = min(|x|, 40)``: ``(v, m, k)`` such that ``exp(-y**2 / 2)``
    times the tabulated function (``columns``) at y is ``v m 2**-k``."""
    y = np.minimum(np.abs(x), _GELU_BREAKS[-1])
    y_hi, y_lo = _split(y)  # y_hi**2 is exact
    m, c, k = _exp_scaled_parts(-0.5 * (y_hi * y_hi), -0.5 * (y_lo * (y + y_hi)))
    interval = _GELU_INTERVAL_OF_FLOOR[np.fmin(np.abs(x), _GELU_BREAKS[-1]).astype(np.intp)]  # fmin: NaN -> 40
    s = (y - _GELU_CENTRE[interval]) * _GELU_INVERSE_HALF_WIDTH[interval]
    value = columns[-1][interval]
    for power in range(len(columns) - 2, 1, -1):  # Horner's scheme
        value = value * s + columns[power][interval]
    head = columns[0][interval]
    tail = columns[1][interval] + value * s  # the constant's low part, then the rest
    value = head + (tail + (head + tail) * c)  # times (1 + c) with no rounding of its own
    if root is not None:  # y - root is exact near the root (Sterbenz)
        value = np.where(interval <= 1, value * ((y - root[0]) - root[1]), value)
    return value, m, k


# GELU's tanh form is x sigmoid(z) with z = 2 sqrt(2/pi) (x + 0.044715 x**3),
# because (1 + tanh(u)) / 2 = sigmoid(2 u). Its constants as double-doubles:
_GELU_TANH_C1 = (1.5957691216057308, -9.96930880911092e-17)  # 2 sqrt(2 / pi)
_GELU_TANH_C3 = (0.07135481627260025, -6.175149918155315e-19)  # 2 sqrt(2 / pi) 0.044715
_GELU_TANH_ROOT = (
    (-1.291955211914767, -1.0243969451078615e-16),  # x z'(x) at the zero of the derivative,
    (-1.2311548723318988, 1.449217884953896e-17),  # z there (x = -0.75246142207101626),
    (0.29195521191476714, -8.582607951729513e-18),  # and e**z there
)


def _check_approximate(approximate):
    if not isinstance(approximate, str) or approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh' (as in PyTorch), got {approximate!r}")
    return approximate


def _gelu_tanh_argument(x):
    """For ``|x| <= 1e3``: ``z = c1 x + c3 x**3`` and ``x z'(x) = c1 x + 3 c3 x**3``
    as double-doubles ``(hi, lo)``."""
    square, square_lo = _two_product(x, x)
    cube, cube_lo = _two_product(square, x)
    cube_lo = cube_lo + square_lo * x
    linear, linear_lo = _two_product(_GELU_TANH_C1[0], x)
    linear_lo = linear_lo + _GELU_TANH_C1[1] * x
    cubic, cubic_lo = _two_product(_GELU_TANH_C3[0], cube)
    cubic_lo = cubic_lo + (_GELU_TANH_C3[0] * cube_lo + _GELU_TANH_C3[1] * cube)
    z, z_lo = _two_sum(linear, cubic)
    z, z_lo = _fast_two_sum(z, z_lo + (linear_lo + cubic_lo))
    triple, triple_lo = _two_product(3.0, cubic)
    slope, slope_lo = _two_sum(linear, triple)
    slope, slope_lo = _fast_two_sum(slope, slope_lo + (linear_lo + 3 * cubic_lo + triple_lo))
    return (z, z_lo), (slope, slope_lo)


def _gelu_kernel(x, approximate):
    if approximate == "tanh":
        (z, z_lo), _ = _gelu_tanh_argument(np.clip(x, -1e3, 1e3))
        return _x_sigmoid(x, z, z_lo)
    r, m, k = _gelu_parts(x, _GELU_R)  # Phi(-|x|) = r m 2**-k
    below = np.ldexp(np.maximum(x, -_GELU_BREAKS[-1]) * r * m, -k)  # x Phi(x) for x < 0
    return np.where(x < 0, below, x * (1 - np.ldexp(r * m, -k)))  # x (1 - Phi(-x)) for x >= 0


def gelu(x, approximate="none"):
    """Gaussian error linear unit ``x * Phi(x)`` (Hendrycks & Gimpel, 2016),
    with ``Phi(x) = (1 + erf(x / sqrt(2))) / 2`` the standard normal
    distribution function.

    ``approximate="tanh"`` gives the paper's approximation, as PyTorch's
    ``gelu(x, approximate="tanh")``:
    ``x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x**3)))``.
    Both are accurate to a few ulp everywhere, the far negative tail (a tiny,
    possibly subnormal, negative number) included.
    """
    return _evaluate(_gelu_kernel, x, _check_approximate(approximate))


def _gelu_derivative_kernel(x, approximate):
    if approximate == "tanh":
        (z, z_lo), (x_dz, x_dz_lo) = _gelu_tanh_argument(np.clip(x, -1e3, 1e3))
        return _x_sigmoid_derivative(z, z_lo, x_dz, x_dz_lo, _GELU_TANH_ROOT)
    slope, m, k = _gelu_parts(x, _GELU_S, _GELU_S_ROOT)
    tail = np.ldexp(slope * m, -k)  # |x| phi(x) - Phi(-|x|)
    return np.where(x < 0, -tail, 1 + tail)


def gelu_derivative(x, approximate="none"):
    """Derivative of GELU, ``Phi(x) + x phi(x)`` with phi the normal density
    (with ``approximate="tanh"``: the derivative of the tanh form).

    It exceeds 1 (maximum 1.1289 at x = sqrt(2)), is negative for
    x < -0.7518 and tends to 0 at -inf and to 1 at +inf.
    """
    return _evaluate(_gelu_derivative_kernel, x, _check_approximate(approximate))


def _mish_kernel(x):
    # tanh(softplus(x)) = ((1 + e**x)**2 - 1) / ((1 + e**x)**2 + 1); with
    # t = exp(-|x|) <= 1 it is t / (1 + t (t + 1) / (t + 2)) for x <= 0 and
    # 1 / (1 + 2 t**2 / (1 + 2 t)) for x > 0: 1 over 1 plus a small positive
    # term, free of overflow and cancellation.
    m, k = _exp_scaled(-np.abs(x))
    t = np.ldexp(m, -k)
    below = np.ldexp(np.clip(x, -1e5, 0.0) * m / (1 + t * (t + 1) / (t + 2)), -k)
    return np.where(x <= 0, below, x / (1 + 2 * t * t / (1 + 2 * t)))


def mish(x):
    """Mish ``x * tanh(softplus(x))`` (Misra, 2019).

    Smooth, unbounded above, bounded below (minimum -0.3088 at x = -1.1924),
    not monotonic; close to SiLU in shape.
    """
    return _evaluate(_mish_kernel, x)


_MISH_ROOT = (-1.1924312145154952, -4.8484829848031044e-17)
"""Where Mish' = 0 (the minimum of Mish), as a double-double."""
_MISH_ROOT_EXP = 0.3034825352815289  # e**x0
_MISH_ROOT_LINEAR = 1.2302751419380191  # 4 x0 + 6


def _mish_derivative_kernel(x):
    # Mish' = tanh(sp) + x sigmoid(x) sech(sp)**2, sp = softplus(x). With
    # t = exp(-|x|) and d = 1 + 2 t (1 + t) it is, for x > 0, the sum of
    # positive terms 1 / (1 + 2 t**2 / (1 + 2 t)) + 4 x t**2 (1 + t) / d**2.
    # For x <= 0 it is t w / e**2 with w = 4 (x + 1) + t (4 x + 6 + t (4 + t))
    # and e = 2 + t (t + 2); w and e**2 are carried as double-doubles (their
    # roundings would add up to several ulp) and enter to first order.
    x = np.clip(x, -1e5, 1e5)
    m, c, k = _exp_scaled_parts(-np.abs(x))
    t = np.ldexp(m, -k)
    t_c = t * c  # exp(-|x|) = t + t_c
    t_exact = t + t_c
    d = 1 + 2 * t_exact * (1 + t_exact)
    above = 1 / (1 + 2 * t_exact * t_exact / (1 + 2 * t_exact)) + 4 * x * t_exact * t_exact * (1 + t_exact) / (d * d)
    x_plus_one, x_plus_one_lo = _two_sum(x, 1.0)
    inner, inner_lo = _fast_two_sum(4.0, t)
    inner, inner_lo2 = _two_product(t, inner)  # t (4 + t)
    inner_lo = inner_lo2 + t * inner_lo
    linear, linear_lo = _two_sum(4 * x, 6.0)
    p, p_lo = _two_sum(linear, inner)
    p_lo = p_lo + (linear_lo + inner_lo)
    tp, tp_lo = _two_product(t, p)
    tp_lo = tp_lo + (t * p_lo + t_c * p)
    w, w_lo = _two_sum(4 * x_plus_one, tp)
    w_lo = w_lo + (4 * x_plus_one_lo + tp_lo)
    # Near the zero of Mish' (x0 = -1.1924) w is a difference of terms of
    # about 1. There it is rewritten around x0: with d = x - x0 (exact) and
    # t - t0 = t0 expm1(d), w = 4 d (1 + t) + (t - t0) (4 x0 + 6 + 4 (t + t0)
    # + t**2 + t t0 + t0**2), a sum of terms of one sign.
    d = (x - _MISH_ROOT[0]) - _MISH_ROOT[1]
    near = np.abs(d) < 0.25
    if np.any(near):
        t0 = _MISH_ROOT_EXP
        w_near = 4 * d * (1 + t_exact) + (t0 * np.expm1(np.where(near, d, 0.0))) * (
            (_MISH_ROOT_LINEAR + 4 * (t_exact + t0)) + (t_exact * (t_exact + t0) + t0 * t0)
        )
        w = np.where(near, w_near, w)
        w_lo = np.where(near, 0.0, w_lo)
    two_plus, two_plus_lo = _fast_two_sum(2.0, t)
    n, n_lo = _two_product(t, two_plus)  # t (t + 2)
    n_lo = n_lo + (t * two_plus_lo + t_c * (2 * t + 2))
    e, e_lo = _two_sum(2.0, n)
    e_lo = e_lo + n_lo
    square, square_lo = _two_product(e, e)
    square_lo = square_lo + 2 * e * e_lo
    ratio = w / square
    correction = (w_lo - ratio * square_lo) / square
    below = np.ldexp(m * ratio + m * (correction + ratio * c), -k)
    return np.where(x <= 0, below, above)


def mish_derivative(x):
    """Derivative of Mish, ``tanh(sp) + x sigmoid(x) (1 - tanh(sp)**2)`` with
    ``sp = softplus(x)``.

    Maximum 1.0885 (at x = 1.4906), negative for x < -1.1924, 0 at -inf and 1 at +inf.
    """
    return _evaluate(_mish_derivative_kernel, x)


def _softplus_kernel(x):
    # log(1 + e**x) = max(x, 0) + log1p(e**-|x|): no overflow, and for very
    # negative x, log1p(e**x) = e**x down to the last subnormal bit.
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softplus(x):
    """Softplus ``log(1 + exp(x))`` (Dugas et al., 2001): a smooth ReLU with values in (0, inf).

    PyTorch's ``softplus`` returns x itself for x > 20 (its ``threshold``):
    harmless in float32, but in float64 that is off by
    ``log1p(exp(-20))`` = 2.1e-9, about 5.8e5 ulp at x = 20, so this function
    takes no such shortcut. (PyTorch's ``beta`` is not offered: beta = 1 is
    the function the notebooks study.)
    """
    return _evaluate(_softplus_kernel, x)


def softplus_derivative(x):
    """Derivative of softplus: the logistic sigmoid."""
    return sigmoid(x)


def _softsign_kernel(x):
    # Beyond 2**60, x / (1 + |x|) rounds to +-1; the clip keeps inf / inf away.
    x = np.clip(x, -(2.0**60), 2.0**60)
    return x / (1 + np.abs(x))


def softsign(x):
    """Softsign ``x / (1 + |x|)`` (Bergstra et al., 2009), values in (-1, 1).

    Like tanh, but it approaches +-1 polynomially (as 1/|x|) instead of
    exponentially, so it saturates more gently.
    """
    return _evaluate(_softsign_kernel, x)


def _softsign_derivative_kernel(x):
    # 1 / u**2 with u = 1 + |x| carried exactly as a double-double, and u**2
    # too: one rounding before the division. Beyond 2**500, where u**2 would
    # overflow, 1 / x**2 < 1e-301 and (1 / |x|)**2 is as accurate.
    magnitude = np.abs(x)
    u, u_lo = _two_sum(1.0, np.minimum(magnitude, 2.0**500))
    square, square_lo = _two_product(u, u)
    near = 1 / (square + (square_lo + 2 * u * u_lo))
    far = 1 / np.maximum(magnitude, 2.0**500)
    return np.where(magnitude > 2.0**500, far * far, near)


def softsign_derivative(x):
    """Derivative of softsign, ``1 / (1 + |x|)**2``: 1 at x = 0, where the
    one-sided slopes agree (softsign is C1, but not C2 there)."""
    return _evaluate(_softsign_derivative_kernel, x)


def _hard_sigmoid_kernel(x):
    # (x + 3) / 6, not x / 6 + 1/2: x + 3 is exact near -3, where the latter cancels.
    return np.minimum(np.maximum(x + 3.0, 0.0), 6.0) / 6.0


def hard_sigmoid(x):
    """Hard sigmoid as in PyTorch and MobileNetV3 (Howard et al., 2019):
    ``relu6(x + 3) / 6``, i.e. 0 for x <= -3, 1 for x >= 3, ``x / 6 + 1 / 2`` between.
    """
    return _evaluate(_hard_sigmoid_kernel, x)


def _hard_sigmoid_derivative_kernel(x):
    inside = (x > -3.0) & (x <= 3.0)
    return np.where(inside, 1 / 6, np.where(np.isnan(x), x, 0.0))


def hard_sigmoid_derivative(x):
    """Derivative of the hard sigmoid: 1/6 for -3 < x <= 3, else 0.

    At the kinks it is the left-hand slope, the collection's rule: 0 at
    x = -3 and 1/6 at x = 3. PyTorch's ``hardsigmoid_backward`` returns 0 at
    both kinks, so the two differ at x = 3.
    """
    return _evaluate(_hard_sigmoid_derivative_kernel, x)


def _hard_swish_kernel(x):
    clipped = np.clip(x, -3.0, 3.0)
    middle = clipped * (clipped + 3) / 6
    return np.where(x >= 3, x, np.where(x <= -3, 0.0, middle))


def hard_swish(x):
    """Hard swish ``x * relu6(x + 3) / 6`` (Howard et al., 2019, MobileNetV3),
    as PyTorch's ``hardswish``: 0 for x <= -3, x for x >= 3 and
    ``x (x + 3) / 6`` between (minimum -0.375 at x = -1.5).
    """
    return _evaluate(_hard_swish_kernel, x)


def _hard_swish_derivative_kernel(x):
    # (2 x + 3) / 6 = (x + 1.5) / 3: x + 1.5 is exact near its zero at -1.5.
    middle = (x + 1.5) / 3
    return np.where(x > 3, 1.0, np.where(x > -3, middle, np.where(np.isnan(x), x, 0.0)))


def hard_swish_derivative(x):
    """Derivative of hard swish: 0 for x <= -3, ``(2 x + 3) / 6`` for
    -3 < x <= 3, 1 for x > 3.

    At the kinks it is the left-hand slope, the collection's rule: 0 at
    x = -3 and 3/2 at x = 3. PyTorch's ``hardswish_backward`` uses the middle
    formula on the closed interval [-3, 3], so it returns -1/2 at x = -3 (the
    right-hand slope) and agrees at x = 3.
    """
    return _evaluate(_hard_swish_derivative_kernel, x)


# ---------------------------------------------------------------------------
# GELU's tables. Row i holds, on [a, b] = _GELU_BREAKS[i:i + 2], the
# polynomial in s = (y - (a + b) / 2) / ((b - a) / 2), s in [-1, 1], that
# interpolates the function at Chebyshev points: first the constant term as
# two floats (high and low part), then the coefficients of s, s**2, ...
# R(y) = exp(y**2 / 2) Phi(-y); S(y) = y / sqrt(2 pi) - R(y), except on [0, 2]
# where the row holds S(y) / (y - y0), y0 = _GELU_S_ROOT. Computed with mpmath
# (40 digits, mpmath.chebyfit), degree chosen so that the interpolation error
# is below 2**-58 relative (1/64 ulp); tests/test_modern_activations.py
# recomputes every row and checks it.
# ---------------------------------------------------------------------------

_GELU_R_ROWS = (
    (
        0.34961883472039806, 5.852285105716737e-18, -0.11206643152061682, 0.029694050399972655,
        -0.006864365093387165, 0.0014268553316616193, -0.0002718754880841504, 4.812416014874036e-05,
        -7.991118868216706e-06, 1.2541575418953088e-06, -1.8713776998622836e-07, 2.6675488309109142e-08,
        -3.6469544873483034e-09, 4.797721003481152e-10, -6.08163613947021e-11, 7.46979328787379e-12,
        -9.41128236705851e-13, 1.0850267550855344e-13,
    ),
    (
        0.2057806669773947, -3.2334484134555618e-18, -0.045135639967670324, 0.008796718384297977,
        -0.001562123734564703, 0.00025689669878750226, -3.95716819100501e-05, 5.757568879307192e-06,
        -7.963919744004589e-07, 1.0526227234016356e-07, -1.335014188380061e-08, 1.6303122574947297e-09,
        -1.9225735665999422e-10, 2.1929729218207426e-11, -2.4290929900220796e-12, 2.7318452703260076e-13,
        -2.857470109382005e-14,
    ),
    (
        0.1413313313805753, 1.1713582016477226e-17, -0.022806975974997205, 0.003412056438198663,
        -0.0004788911486669464, 6.360004342897778e-05, -8.044546576583242e-06, 9.740546062292573e-07,
        -1.1336691004812897e-07, 1.2725626185786585e-08, -1.3816383512807158e-09, 1.454370648817596e-10,
        -1.4866601047175825e-11, 1.4799101828177437e-12, -1.4848647233609873e-13, 1.404651343806025e-14,
    ),
    (
        0.10634515363370545, -3.4733682941535003e-19, -0.013367121341731807, 0.0015969130301978372,
        -0.0001823941775289042, 2.0009611718664036e-05, -2.116344774996889e-06, 2.1646659440072876e-07,
        -2.146709297612437e-08, 2.0686578295660315e-09, -1.940700388381077e-10, 1.7749283847253307e-11,
        -1.5857520083832563e-12, 1.4208975478378689e-13, -1.2139685872103878e-14,
    ),
    (
        0.07691930497500629, 4.1399418884552445e-18, -0.014345755526401197, 0.002595263671500153,
        -0.0004564790563001636, 7.821709749985955e-05, -1.3078713759910052e-05, 2.1372547831313962e-06,
        -3.417771222635984e-07, 5.3546147726939675e-08, -8.227370432810796e-09, 1.2409260746656294e-09,
        -1.8389591848225445e-10, 2.679292588589433e-11, -3.829596627647363e-12, 5.405731033573533e-13,
        -8.156073991445736e-14, 1.1152851779029816e-14,
    ),
    (
        0.055893482440540536, -1.9902837815379467e-18, -0.007687903317648942, 0.0010390796084989748,
        -0.00013811535271865546, 1.80680348670018e-05, -2.3278217304798414e-06, 2.9554712631041097e-07,
        -3.699883255904497e-08, 4.569409714021749e-09, -5.570024906408174e-10, 6.704442909601013e-11,
        -7.963532494707037e-12, 9.358097007576817e-13, -1.1429896967062318e-13, 1.3117113083440886e-14,
    ),
    (
        0.039506694101386006, -2.71692915684759e-18, -0.007750678775145297, 0.001506600451319033,
        -0.0002902353580668222, 5.542366098500138e-05, -1.0493642513781526e-05, 1.9702989432465917e-06,
        -3.6694159614439307e-07, 6.779548546636615e-08, -1.2428529451726536e-08, 2.261123118603002e-09,
        -4.0830834458143754e-10, 7.321446966909201e-11, -1.3030652648015495e-11, 2.282733571787962e-12,
        -4.007599496276814e-13, 8.066122413376438e-14, -1.3944684513862371e-14,
    ),
    (
        0.028352660527342942, -1.6909123886683771e-18, -0.00401006603726303, 0.0005643965330034667,
        -7.905374165170097e-05, 1.1020341441522968e-05, -1.5290812486210832e-06, 2.1118180107944715e-07,
        -2.9033510397185154e-08, 3.973612985904938e-09, -5.414271336178054e-10, 7.345170518758755e-11,
        -9.921228358503184e-12, 1.331429666617561e-12, -1.7832004151207968e-13, 2.5578446535991456e-14,
        -3.3953238152555454e-15,
    ),
    (
        0.01989761564832703, 2.3189275889928833e-19, -0.003959869739568184, 0.0007861356038888723,
        -0.00015568917399359336, 3.075893568375196e-05, -6.062385841562094e-06, 1.1920172678378725e-06,
        -2.3382741855970466e-07, 4.576035698370862e-08, -8.934521841735648e-09, 1.740376451993204e-09,
        -3.3823751867789234e-10, 6.561912258740164e-11, -1.2694898482313097e-11, 2.417351153318528e-12,
        -4.656336811002087e-13, 1.0715548974883851e-13, -2.0531421238390527e-14,
    ),
    (
        0.012454807005573594, -6.265783216601178e-20, -0.003107649784621446, 0.000774651746809892,
        -0.0001929130108138041, 4.799525687465178e-05, -1.1929386426523303e-05, 2.962252466640452e-06,
        -7.348714786311208e-07, 1.821324037763669e-07, -4.509732504433231e-08, 1.115591229073542e-08,
        -2.757068278635797e-09, 6.806300125508474e-10, -1.678949206943948e-10, 4.153122721016445e-11,
        -1.0225377968216631e-11, 2.384023533000213e-12, -5.860152187860613e-13, 2.0566425604314e-13,
        -5.0421002947627156e-14,
    ),
)
_GELU_S_ROWS = (
    (
        0.5963175079161803, -2.3358919099245103e-17, -0.05313450394934981, 0.012418203627398315,
        -0.002602404034390645, 0.0004990371086506303, -8.87914467620352e-05, 1.4807634117887228e-05,
        -2.3324923451183697e-06, 3.491434190355885e-07, -4.9906658253781105e-08, 6.839755537010341e-09,
        -9.017760149641726e-10, 1.1455732607223236e-10, -1.4095556656721985e-11, 1.7730422763048312e-12,
        -2.0475249929622792e-13,
    ),
    (
        0.524763841339739, -2.1820886874689482e-17, -0.02375693551747439, 0.004118837832165784,
        -0.0006646478861581241, 0.00010081046497171557, -1.4479320851375186e-05, 1.980853727447467e-06,
        -2.5933264167420125e-07, 3.261663948880137e-08, -3.953710331939854e-09, 4.631682666453793e-10,
        -5.2523305912641086e-11, 5.78631174409263e-12, -6.45503208225744e-13, 6.722399314063352e-14,
    ),
    (
        0.8560243696230064, -4.797725397316253e-17, 0.22227811617571355, -0.003412056438198495,
        0.0004788911486669752, -6.360004343166335e-05, 8.044546576352098e-06, -9.740545901106155e-07,
        1.1336691084084508e-07, -1.2725672251022618e-08, 1.3816370297871422e-09, -1.4536948816124749e-10,
        1.4867658438515964e-11, -1.5290656035262533e-12, 1.4816107075910635e-13,
    ),
    (
        1.2899528277713088, 1.0752899540745736e-16, 0.21283826154244812, -0.0015969130301978461,
        0.0001823941775299819, -2.0009611718559715e-05, 2.116344766372626e-06, -2.1646659484594383e-07,
        2.146712255221765e-08, -2.068656970755386e-09, 1.9402073575790376e-10, -1.775004736362744e-11,
        1.6252007526502818e-12, -1.4183521409759395e-13,
    ),
    (
        1.9177920970321571, -4.5150750782357966e-17, 0.41328803592783386, -0.002595263671500196,
        0.0004564790563001507, -7.821709749894708e-05, 1.3078713760049177e-05, -2.137254790435988e-06,
        3.4177712160070493e-07, -5.354611901484961e-08, 8.227372054004168e-09, -1.2409873546686784e-09,
        1.838937953334858e-10, -2.6720476497497132e-11, 3.831012545221079e-12, -5.851718928422314e-13,
        8.118305095729524e-14,
    ),
    (
        2.7367024803694884, -1.6712981478581746e-16, 0.4066301837190816, -0.0010390796084988182,
        0.00013811535271868858, -1.806803486950819e-05, 2.327821730214676e-06, -2.955471112646217e-07,
        3.699883346858614e-08, -4.569452719058531e-09, 5.570009742016111e-10, -6.698133454632132e-11,
        7.964745997953801e-12, -9.817090748416908e-13, 1.1392549378472785e-13,
    ),
    (
        3.949916109912941, -1.7468367491531003e-16, 0.8056352395780106, -0.0015066004513193463,
        0.00029023535806687635, -5.54236609784136e-05, 1.0493642512642568e-05, -1.9702989960065524e-06,
        3.669416052659046e-07, -6.77952780091497e-08, 1.2428493585484789e-08, -2.261566025124004e-09,
        4.083849157378156e-10, -7.269070310430014e-11, 1.2940102878443049e-11, -2.6052265623894056e-12,
        4.565127657599979e-13,
    ),
    (
        5.556839265092715, -4.2667133978830217e-16, 0.8018946268401284, -0.0005643965330031617,
        7.905374165166047e-05, -1.102034144640726e-05, 1.5290812492694443e-06, -2.1118177175365618e-07,
        2.9033506504379535e-08, -3.973696819749949e-09, 5.414382619591343e-10, -7.332869378030329e-11,
        9.904899536390955e-12, -1.4209259303365674e-12, 1.9019994894156122e-13,
    ),
    (
        7.958947992380327, -4.4429328032895256e-17, 1.599728991345299, -0.0007861356038892878,
        0.000155689173993673, -3.0758935675009457e-05, 6.062385839886955e-06, -1.1920173378726886e-06,
        2.3382743197889805e-07, -4.576008154146418e-08, 8.934469065204866e-09, -1.74096460632709e-09,
        3.383502124234109e-10, -6.492348593812358e-11, 1.2561610971009556e-11, -2.845723223283853e-12,
        5.477116985028972e-13,
    ),
    (
        12.753698165840271, 8.279302944228393e-16, 3.194645892996083, -0.0007746517468098363,
        0.00019291301082375516, -4.799525687724933e-05, 1.192938628765442e-05, -2.9622524305705127e-06,
        7.348723466811367e-07, -1.8213262974260187e-07, 4.509445746604236e-08, -1.1155160245200991e-08,
        2.7624109886771333e-09, -6.820509985366555e-10, 1.622910491884701e-10, -4.000144863625261e-11,
        1.3251616368630538e-11, -3.258084535708416e-12,
    ),
)


def _table_columns(rows):
    """The rows as one array per power of s (shorter rows padded with zeros),
    the low part of the constant term second: ``columns[p][interval]``."""
    table = np.zeros((len(rows), max(len(row) for row in rows)))
    for i, row in enumerate(rows):
        table[i, : len(row)] = row
    return table.T.copy()


_GELU_R = _table_columns(_GELU_R_ROWS)
_GELU_S = _table_columns(_GELU_S_ROWS)
_GELU_CENTRE = (np.array(_GELU_BREAKS[1:]) + np.array(_GELU_BREAKS[:-1])) / 2
_GELU_INVERSE_HALF_WIDTH = 2 / (np.array(_GELU_BREAKS[1:]) - np.array(_GELU_BREAKS[:-1]))  # powers of 2
_GELU_INTERVAL_OF_FLOOR = np.searchsorted(_GELU_BREAKS[1:-1], np.arange(int(_GELU_BREAKS[-1]) + 1), side="right")
"""The interval holding y, looked up by floor(y): every break is an integer."""


# ---------------------------------------------------------------------------
# The registry: everything the collection knows about each activation.
# ---------------------------------------------------------------------------

import dataclasses  # noqa: E402  (skeleton; the rewrite moves imports to the top)
from typing import Callable  # noqa: E402

import sympy as sp  # noqa: E402

_SELU_ALPHA_DIGITS = "1.6732632423543772848170429916717"
_SELU_SCALE_DIGITS = "1.0507009873554804934193349852946"


@dataclasses.dataclass(frozen=True)
class Activation:
    """One activation: its NumPy function and derivative, its SymPy expression,
    how figures show it, its convention at a kink, and its parameters.

    ``function(x, **parameters)`` and ``derivative(x, **parameters)`` take
    array-likes; ``expression(x, **parameters)`` returns a SymPy expression
    (numbers for the parameters become exact, e.g. ``alpha=0.01`` gives 1/100).
    """

    name: str
    title: str  # for headings and legends: "Leaky ReLU"
    label: str  # matplotlib mathtext for f(x): r"\mathrm{LReLU}"
    color: str
    function: Callable
    derivative: Callable
    expression: Callable
    kink: str | None = None  # the convention at a kink; None for a smooth function
    parameters: dict = dataclasses.field(default_factory=dict)  # name -> default


def _piecewise(*pieces):
    """``sp.Piecewise`` whose ``x <= k`` branches come first, so ``sp.diff`` at a kink
    gives the left-hand slope, the convention of this module."""
    return sp.Piecewise(*pieces)


REGISTRY = {
    a.name: a
    for a in (
        Activation("sigmoid", "sigmoid", r"\sigma", "#0072B2", sigmoid, sigmoid_derivative,
                   lambda x: 1 / (1 + sp.exp(-x))),
        Activation("tanh", "tanh", r"\tanh", "#D55E00", tanh, tanh_derivative,
                   lambda x: (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))),
        Activation("relu", "ReLU", r"\mathrm{ReLU}", "#009E73", relu, relu_derivative,
                   lambda x: _piecewise((0, x <= 0), (x, True)), kink="relu'(0) = 0, the left-hand slope"),
        Activation("leaky_relu", "Leaky ReLU", r"\mathrm{LReLU}", "#CC79A7", leaky_relu, leaky_relu_derivative,
                   lambda x, alpha=sp.Rational(1, 100): _piecewise((alpha * x, x <= 0), (x, True)),
                   kink="leaky_relu'(0) = alpha, the left-hand slope", parameters={"alpha": 0.01}),
        Activation("elu", "ELU", r"\mathrm{ELU}", "#882255", elu, elu_derivative,
                   lambda x, alpha=sp.Integer(1): _piecewise((alpha * (sp.exp(x) - 1), x <= 0), (x, True)),
                   kink="elu'(0) = alpha, the left-hand slope (a kink unless alpha = 1)", parameters={"alpha": 1.0}),
        Activation("selu", "SELU", r"\mathrm{SELU}", "#AA4499", selu, selu_derivative,
                   lambda x, alpha=sp.Rational(_SELU_ALPHA_DIGITS), scale=sp.Rational(_SELU_SCALE_DIGITS):
                   _piecewise((scale * alpha * (sp.exp(x) - 1), x <= 0), (scale * x, True)),
                   kink="selu'(0) = scale * alpha, the left-hand slope"),
        Activation("gelu", "GELU", r"\mathrm{GELU}", "#E69F00", gelu, gelu_derivative,
                   lambda x: x * (1 + sp.erf(x / sp.sqrt(2))) / 2, parameters={"approximate": "none"}),
        Activation("silu", "SiLU (Swish)", r"\mathrm{SiLU}", "#56B4E9", silu, silu_derivative,
                   lambda x: x / (1 + sp.exp(-x))),
        Activation("mish", "Mish", r"\mathrm{Mish}", "#117733", mish, mish_derivative,
                   lambda x: x * sp.tanh(sp.log(1 + sp.exp(x)))),
        Activation("softplus", "softplus", r"\mathrm{softplus}", "#999933", softplus, softplus_derivative,
                   lambda x: sp.log(1 + sp.exp(x))),
        Activation("softsign", "softsign", r"\mathrm{softsign}", "#44AA99", softsign, softsign_derivative,
                   lambda x: _piecewise((x / (1 - x), x <= 0), (x / (1 + x), True))),
        Activation("hard_sigmoid", "hard sigmoid", r"\mathrm{hsig}", "#332288", hard_sigmoid,
                   hard_sigmoid_derivative,
                   lambda x: _piecewise((0, x <= -3), (x / 6 + sp.Rational(1, 2), x <= 3), (1, True)),
                   kink="left-hand slopes at -3 and 3: 0 and 1/6"),
        Activation("hard_swish", "hard swish", r"\mathrm{hswish}", "#CC6677", hard_swish, hard_swish_derivative,
                   lambda x: _piecewise((0, x <= -3), (x * (x + 3) / 6, x <= 3), (x, True)),
                   kink="left-hand slopes at -3 and 3: 0 and 3/2"),
    )
}
"""Every activation of the collection by name: the one place the others read."""
