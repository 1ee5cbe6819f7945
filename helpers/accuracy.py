"""Accuracy in ulp (units in the last place) against exact arithmetic (mpmath): the
standard measure of a numerical function. 0.5 ulp is perfect rounding, a few ulp is
excellent, 2**53 ulp (for a normal result) is all wrong."""

import functools

import mpmath
import numpy as np
import sympy as sp

WORKING_BITS = 200  # mpmath precision of references, far beyond float64's 53 bits


def ulp_error(computed, exact, dtype=np.float64):
    """``|computed - exact|`` in ulps of the mpmath number ``exact`` for ``dtype``: the ulp of y is
    ``2**(e - p + 1)``, ``2**e <= |y| < 2**(e + 1)``, p the precision, never below the subnormal spacing
    (underflow is judged fairly). NaN and inf must be matched exactly (error 0, else inf)."""
    info, computed = np.finfo(dtype), float(computed)
    with mpmath.workprec(WORKING_BITS):
        exact = mpmath.mpf(exact)
        if mpmath.isnan(exact) or mpmath.isinf(exact) or not np.isfinite(computed):
            return 0.0 if computed == exact or (np.isnan(computed) and mpmath.isnan(exact)) else np.inf
        lowest = int(info.minexp) - int(info.nmant)  # the subnormal spacing
        exponent = max(int(mpmath.frexp(exact)[1]) - 1 - int(info.nmant), lowest) if exact else lowest
        return float(abs(mpmath.mpf(computed) - exact) / mpmath.ldexp(1, exponent))


def max_ulp_error(function, reference, xs, dtype=np.float64):
    """``(worst ulp_error, x where worst)`` of the vectorised ``function`` over
    ``xs``, against ``reference`` (a function of one mpmath number)."""
    xs = np.asarray(xs, dtype=dtype).ravel()
    computed = np.asarray(function(xs), dtype=dtype).ravel()
    with mpmath.workprec(WORKING_BITS):
        errors = [ulp_error(c, reference(mpmath.mpf(float(x))), dtype) for x, c in zip(xs, computed)]
    worst = int(np.argmax(errors))
    return errors[worst], float(xs[worst])


def exact_reference(expression, variable):
    """The SymPy ``expression`` in ``variable`` as a function of one mpmath number (call it under
    ``mpmath.workprec``), with its limits at +-inf from SymPy (of a Piecewise: its branch far out)."""
    value = sp.lambdify(variable, expression, "mpmath")

    @functools.cache
    def limit(sign):
        far = sp.piecewise_fold(expression)
        if isinstance(far, sp.Piecewise):
            far = next(piece for piece, condition in far.args if condition.subs(variable, sign * 10**9))
        return sp.lambdify([], sp.limit(far, variable, sign * sp.oo), "mpmath")

    return lambda v: limit(int(mpmath.sign(v)))() if mpmath.isinf(v) else value(v)


def stress_points(count=4000, seed=0):
    """Float64 inputs over the whole range: log-uniform magnitudes from the smallest subnormal to the largest
    float (both signs), a grid on [-40, 40], the band where exponentials underflow, 0, -0 and +-inf."""
    rng = np.random.default_rng(seed)
    magnitudes = 2.0 ** rng.uniform(-1074, 1023, size=count // 2) * rng.choice([-1.0, 1.0], count // 2)
    dense = np.linspace(-40, 40, count // 4 + 1)
    underflow = rng.uniform(300, 760, size=count // 4) * rng.choice([-1.0, 1.0], count // 4)
    specials = np.array([0.0, -0.0, np.inf, -np.inf, 5e-324, -5e-324, np.finfo(float).max, -np.finfo(float).max])
    return np.concatenate([magnitudes, dense, underflow, specials])


def central_difference(function, x):
    """``(f(x + h) - f(x - h)) / (2 h)``, ``h = eps**(1/3) max(1, |x|)`` balancing truncation (h**2) against
    rounding (eps / h): about 1e-10 accurate for smooth functions, a check independent of any algebra."""
    x = np.asarray(x, dtype=np.float64)
    h = np.cbrt(np.finfo(np.float64).eps) * np.maximum(1.0, np.abs(x))
    return (function(x + h) - function(x - h)) / (2 * h)


def derivative_errors(function, derivative, expression, variable, x):
    """Largest absolute difference on the grid ``x`` (keep kinks out) between ``derivative`` and (a) the SymPy
    ``expression`` of the derivative in ``variable``, (b) central finite differences of ``function``."""
    x = np.asarray(x, dtype=np.float64)
    references = {
        "vs SymPy": sp.lambdify(variable, expression, "numpy")(x),
        "vs finite differences": central_difference(function, x),
    }
    return {name: float(np.max(np.abs(derivative(x) - exact))) for name, exact in references.items()}
