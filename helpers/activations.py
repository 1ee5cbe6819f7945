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
"""

import numbers

import numpy as np

__all__ = [
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
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
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a real number, got {alpha!r}")
    if not np.isfinite(alpha):
        raise ValueError(f"alpha must be finite, got {alpha!r}")
    return float(alpha)


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
    t = _exp_minus_abs(x)
    return np.asarray(np.where(x >= 0, 1 / (1 + t), t / (1 + t)))


def sigmoid_derivative(x):
    """Derivative of the sigmoid, ``sigmoid(x) * (1 - sigmoid(x))``.

    The textbook product loses every significant digit once ``sigmoid(x)``
    rounds to 1 (x > ~37): ``1 - s`` becomes 0. The derivative is even, and
    with ``t = exp(-|x|)`` it equals ``t / (1 + t)**2`` exactly, a formula
    free of cancellation: for large |x| it is simply ``t``.
    """
    x = as_float_array(x)
    t = _exp_minus_abs(x)
    return np.asarray(t / (1 + t * (2 + t)))


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
    # Halving the largest float first keeps the doubling from overflowing.
    t = _exp_minus_abs(2 * np.minimum(np.abs(x), np.finfo(x.dtype).max / 2))
    return np.asarray(4 * t / (1 + t * (2 + t)))


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
    negative inputs; alpha = 0 gives ReLU.
    """
    x = as_float_array(x)
    alpha = check_slope(alpha)
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
