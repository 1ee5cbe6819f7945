"""Accuracy in ulp (units in the last place) against exact arithmetic.

mpmath, which ships with SymPy, evaluates a formula with as many bits as we
ask for. Rounding its value to float64 gives the best answer a float64
function can return; the distance from it, counted in ulps of the exact
value, is the standard measure of a numerical function's accuracy
(0.5 ulp is perfect rounding, a few ulp is excellent, and a result whose
every digit is wrong is off by about 2**52 ulp).
"""

import mpmath
import numpy as np

WORKING_BITS = 200
"""mpmath precision for references: far beyond float64's 53 bits, so the
reference itself contributes no visible error."""


def ulp_error(computed, exact, dtype=np.float64):
    """Return ``|computed - exact|`` in ulps of ``exact`` for ``dtype``.

    ``exact`` is an mpmath number (or anything mpmath accepts). The ulp of a
    real number y is ``2**(e - p + 1)`` with ``2**e <= |y| < 2**(e + 1)`` and
    p the precision of ``dtype``, but never smaller than the spacing of the
    subnormal numbers, so results that underflow are judged fairly.
    An infinite or zero ``exact`` must be matched exactly (error 0 or inf).
    """
    info = np.finfo(dtype)
    computed = float(computed)
    with mpmath.workprec(WORKING_BITS):
        exact = mpmath.mpf(exact)
        if mpmath.isnan(exact) or np.isnan(computed):
            return 0.0 if (mpmath.isnan(exact) and np.isnan(computed)) else np.inf
        if mpmath.isinf(exact) or np.isinf(computed):
            return 0.0 if computed == exact else np.inf
        smallest_exponent = int(info.minexp) - int(info.nmant)
        if exact == 0:
            exponent = smallest_exponent
        else:
            _, binary_exponent = mpmath.frexp(exact)  # |exact| in [2**(b-1), 2**b)
            exponent = max(int(binary_exponent) - 1 - int(info.nmant), smallest_exponent)
        return float(abs(mpmath.mpf(computed) - exact) / mpmath.ldexp(1, exponent))


def max_ulp_error(function, reference, xs, dtype=np.float64):
    """Worst ``ulp_error`` of ``function`` over the points ``xs``.

    ``function`` is vectorised (NumPy), ``reference`` takes one mpmath number.
    Returns ``(worst_error, x_where_worst)``.
    """
    xs = np.asarray(xs, dtype=dtype)
    computed = np.asarray(function(xs), dtype=dtype)
    with mpmath.workprec(WORKING_BITS):
        errors = [
            ulp_error(c, reference(mpmath.mpf(float(x))), dtype)
            for x, c in zip(xs.ravel(), computed.ravel())
        ]
    worst = int(np.argmax(errors))
    return errors[worst], float(xs.ravel()[worst])


def stress_points(count=4000, seed=0):
    """Float64 inputs that probe the whole range of an activation.

    Random magnitudes spread evenly in log scale from the smallest subnormal
    to the largest float, both signs, plus a dense grid on [-40, 40], the
    regions where exponentials underflow (|x| near 700 to 750), and the special
    values 0, -0, +-inf.
    """
    rng = np.random.default_rng(seed)
    magnitudes = 2.0 ** rng.uniform(-1074, 1023, size=count // 2)
    signs = rng.choice([-1.0, 1.0], size=magnitudes.size)
    dense = np.linspace(-40, 40, count // 4 + 1)
    underflow = rng.uniform(300, 760, size=count // 4) * rng.choice([-1.0, 1.0], count // 4)
    specials = np.array([0.0, -0.0, np.inf, -np.inf, 5e-324, -5e-324, np.finfo(float).max])
    return np.concatenate([magnitudes * signs, dense, underflow, specials, -specials])


def central_difference(function, x):
    """Central finite difference ``(f(x + h) - f(x - h)) / (2 h)``.

    The step ``h = eps**(1/3) * max(1, |x|)`` balances the truncation error
    (of order h**2) against rounding (of order eps / h): about 1e-10 of
    accuracy for smooth functions, a check independent of any algebra.
    """
    x = np.asarray(x, dtype=np.float64)
    h = np.cbrt(np.finfo(np.float64).eps) * np.maximum(1.0, np.abs(x))
    return (function(x + h) - function(x - h)) / (2 * h)


def derivative_errors(function, derivative, expression, variable, x):
    """How far a NumPy ``derivative`` is from two independent references.

    Returns a dict with the maximum absolute difference on the grid ``x``
    between ``derivative`` and (a) the SymPy ``expression`` of the derivative
    in ``variable``, lambdified to NumPy, and (b) central finite differences of
    ``function``. Keep kinks (non-differentiable points) out of ``x``: there a
    finite difference averages the two one-sided slopes.
    """
    import sympy as sp

    x = np.asarray(x, dtype=np.float64)
    exact = np.broadcast_to(sp.lambdify(variable, expression, "numpy")(x), x.shape)
    computed = derivative(x)
    return {
        "vs SymPy": float(np.max(np.abs(computed - exact))),
        "vs finite differences": float(np.max(np.abs(computed - central_difference(function, x)))),
    }
