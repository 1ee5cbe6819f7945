"""Properties of an activation computed from its code and its SymPy expression (notebook 07).

:func:`describe` scans the helper's float values on a grid (the range, monotonicity, the largest slope),
refines an extreme inside the grid by golden-section search, and lets SymPy decide what floats cannot:
whether a flat extreme is exact or only rounding, and how smooth a piecewise formula is at its breakpoints.
:func:`check_derivative` checks a derivative derived by hand three ways; :func:`normal_expectation`
computes the averages over a standard normal input that the table and the depth sweep need.
"""

import functools
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import sympy as sp

from helpers import activations, checks
from helpers.accuracy import central_difference
from helpers.symbolic import are_equal, x


def golden_section(function, low, high, iterations=80):
    """The minimiser of a unimodal ``function`` on ``[low, high]`` (deterministic, no derivative needed)."""
    low, high = checks.real("low", low), checks.real("high", high)
    if not low < high:
        raise ValueError(f"need low < high, got [{low}, {high}]")
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(checks.integer("iterations", iterations, 1)):
        left, right = high - ratio * (high - low), low + ratio * (high - low)
        low, high = (low, right) if function(left) < function(right) else (left, high)
    return (low + high) / 2


def breakpoints(expression):
    """The points where the conditions of the expression's ``Piecewise`` pieces switch, sorted."""
    points = set()
    for piecewise in sp.piecewise_fold(expression).atoms(sp.Piecewise):
        for _, condition in piecewise.args:
            if condition != sp.true:
                points |= set(sp.solve(sp.Eq(condition.lhs, condition.rhs), x))
    return sorted(points)


def one_sided(expression, point, side):
    """The value at ``point`` of the piece that holds just left (``side=-1``) or right (``+1``) of it."""
    if checks.integer("side", side, -1, 1) == 0:
        raise ValueError("side must be -1 (left) or +1 (right), got 0")
    probe, folded = point + side * sp.Rational(1, 10**6), sp.piecewise_fold(expression)
    if isinstance(folded, sp.Piecewise):
        folded = next(piece for piece, condition in folded.args if bool(condition.subs(x, probe)))
    return sp.simplify(folded.subs(x, point))


def smoothness(expression, highest=4):
    """``"C^inf"`` without pieces (compositions of smooth functions), else ``"C^k"``: the derivatives of order
    0 to k have equal one-sided values at every breakpoint and that of order k + 1 does not (``"discontinuous"``
    for k = -1, ``"C^4+"`` beyond ``highest``)."""
    points, highest = breakpoints(expression), checks.integer("highest", highest, 0)
    if not points:
        return "C^inf"
    derivative = expression
    for order in range(highest + 1):
        if any(sp.simplify(one_sided(derivative, p, -1) - one_sided(derivative, p, 1)) != 0 for p in points):
            return f"C^{order - 1}" if order else "discontinuous"
        derivative = sp.diff(derivative, x)
    return f"C^{highest}+"


@dataclass(frozen=True)
class Extreme:
    """An extreme ``value`` and how it is taken: ``"at"`` a point, ``"on"`` an interval ``(a, b)`` (``b`` may be
    inf), ``"below"`` every x <= a point, or ``"limit"`` only approached as x -> ``where`` (-inf or inf).
    ``closed``: for ``"on"``, whether the helper takes the value at each end (at a kink it takes the left slope,
    so ReLU's slope 1 holds on (0, inf) and the hard sigmoid's 1/6 on (-3, 3])."""

    value: float
    kind: str
    where: tuple
    closed: tuple = (True, True)

    def __str__(self):
        value, ends = f"{self.value:.4f}", [f"{w:.2f}" if math.isfinite(w) else "inf" for w in self.where]
        if self.kind == "at":
            return f"{value} at {self.where[0] + 0.0:.4f}"  # + 0.0: never -0.0000
        if self.kind == "below":
            return f"{value} for x <= {ends[0]}"
        if self.kind == "on":
            left, right = ("[" if self.closed[0] else "("), ("]" if self.closed[1] and ends[1] != "inf" else ")")
            return f"{value} on {left}{ends[0]}, {ends[1]}{right}"
        return f"{value} (limit at {'+' if self.where[0] > 0 else '-'}inf)"


@dataclass(frozen=True)
class Properties:
    """What :func:`describe` finds; ``mean`` is E f(Z) for a standard normal Z, ``supremum`` may be inf."""

    lowest: Extreme
    supremum: float
    monotonic: bool
    smoothness: str
    mean: float
    f0: float
    df0: float
    largest_slope: Extreme


def _snap(estimate, points):
    """The breakpoint nearest a grid estimate (where a flat stretch really ends), or the estimate."""
    return float(min(points, key=lambda p: abs(p - estimate))) if points else float(estimate)


def _lowest(f, expression, grid, values, points):
    i, low_end = int(np.argmin(values)), float(f(-np.inf))
    if values[i] < low_end:  # a minimum inside the grid: refine it
        where = golden_section(lambda v: float(f(v)), grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)])
        return Extreme(float(f(where)), "at", (round(where, 8),))
    if sp.simplify(expression.subs(x, sp.nsimplify(grid[0])) - sp.nsimplify(low_end)) == 0:  # flat, not rounding
        return Extreme(low_end, "below", (_snap(grid[values == low_end].max(), points),))
    return Extreme(low_end, "limit", (-math.inf,))


def _largest_slope(df, expression, grid, slopes, points):
    top = slopes.max()
    steepest = grid[slopes == top]
    if steepest.max() - steepest.min() > 1e-3:  # the largest float value on a whole stretch: exact, or rounding?
        probe = sp.Rational(round(float(steepest.mean()) * 8), 8)
        if sp.simplify(sp.diff(expression, x).subs(x, probe) - sp.nsimplify(top)) == 0:
            low, high = (
                _snap(steepest.min(), points),
                math.inf if steepest.max() >= grid[-1] else _snap(steepest.max(), points),
            )
            closed = (
                bool(df(low) == top),
                math.isfinite(high) and bool(df(high) == top),
            )  # the helper's slope at each end
            return Extreme(float(top), "on", (low, high), closed)
        return Extreme(float(top), "limit", (math.copysign(math.inf, steepest.min()),))
    i = int(np.argmax(slopes))
    where = golden_section(lambda v: -float(df(v)), grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)])
    return Extreme(float(df(where)), "at", (round(where, 8),))


def describe(name, grid=None):
    """:class:`Properties` of the registry's activation ``name``, scanned on ``grid`` (default: [-50, 50],
    step 1e-4), with the helper's values at -inf and inf (its limits) for what lies beyond.

    The lowest value is the grid's, refined by golden-section search when it lies inside the grid; otherwise
    SymPy decides whether the function takes its limit value (ReLU is exactly 0 for x <= 0) or only approaches
    it while the floats round to it (ELU tends to -1). The largest slope likewise: when the largest float
    value is taken on a whole stretch, SymPy evaluates the exact derivative there (ELU's is 1 for x > 0, while
    softplus' sigma(x) only rounds to 1, once 1 + e**-x rounds to 1, for x > 53 ln 2, about 36.7)."""
    entry = activations.REGISTRY[checks.choice("activation", name, activations.REGISTRY)]
    grid = np.linspace(-50.0, 50.0, 1_000_001) if grid is None else np.sort(checks.real_array("grid", grid))
    if grid.ndim != 1 or grid.size < 3 or not np.all(np.isfinite(grid)):
        raise ValueError("grid must be a 1-d array of at least 3 finite points")
    f, df, expression = entry.function, entry.derivative, entry.expression(x)
    values, slopes, points = f(grid), df(grid), breakpoints(expression)
    return Properties(
        lowest=_lowest(f, expression, grid, values, points),
        supremum=float(f(np.inf)),
        monotonic=bool(np.all(slopes >= 0)),
        smoothness=smoothness(expression),
        mean=normal_expectation(f),
        f0=float(f(0.0)),
        df0=float(df(0.0)),
        largest_slope=_largest_slope(df, expression, grid, slopes, points),
    )


def normal_expectation(function):
    """``E[function(Z)]`` for a standard normal ``Z``, by the rectangle rule on [-12, 12] (the tails beyond weigh
    less than 1e-30 for a ``function`` that grows at most polynomially); ``function`` takes a NumPy array."""
    if not callable(function):
        raise TypeError(f"function must be callable, got {function!r:.60}")
    z = np.linspace(-12.0, 12.0, 240_001)
    density = np.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    return float(np.sum(function(z) * density) * (z[1] - z[0]))


class DerivativeCheck(NamedTuple):
    """What :func:`check_derivative` finds: ``proved``, SymPy proves the formula equal to the derivative of the
    expression; ``vs_formula``, the largest ``|helper's derivative - formula|`` on the grid; ``vs_finite``, the
    largest ``|helper's derivative - central difference of the helper's function|``, breakpoints left out."""

    proved: bool
    vs_formula: float
    vs_finite: float


def check_derivative(activation, formula, grid=None, **parameters):
    """Check ``formula`` (SymPy, in ``x``), a derivative of the :class:`~helpers.activations.Activation`
    ``activation`` (with ``parameters``) derived by hand, three ways: against ``sp.diff`` of its expression, and,
    on ``grid`` (default 2001 points of [-10, 10]), the helper's derivative against the formula and against
    finite differences of the helper's function. Finite differences average the two sides of a kink and lose
    accuracy where the second derivative jumps, so points within 1e-3 of a breakpoint are left out of that one."""
    if not isinstance(activation, activations.Activation):
        raise TypeError(f"activation must be an Activation (a REGISTRY entry), got {activation!r:.60}")
    grid = np.linspace(-10.0, 10.0, 2001) if grid is None else checks.real_array("grid", grid)
    if grid.ndim != 1 or not grid.size or not np.all(np.isfinite(grid)):
        raise ValueError("grid must be a non-empty 1-d array of finite points")
    expression = activation.expression(x, **parameters)
    formula = sp.sympify(formula)
    # |x| as pieces, then every piece folded: SymPy compares pieces with pieces (softsign's 1 / (1 + |x|)**2)
    proved = are_equal(sp.piecewise_fold(formula.rewrite(sp.Piecewise)), sp.piecewise_fold(sp.diff(expression, x)))
    function, derivative = (functools.partial(f, **parameters) for f in (activation.function, activation.derivative))
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # pieces evaluated outside their range
        values = sp.lambdify(x, formula.evalf(30), ["scipy", "numpy"])(grid)
    vs_formula = float(np.max(np.abs(derivative(grid) - values)))
    kinks = [float(point) for point in breakpoints(expression)]
    smooth = grid[np.all([np.abs(grid - kink) > 1e-3 for kink in kinks], axis=0)] if kinks else grid
    vs_finite = float(np.max(np.abs(derivative(smooth) - central_difference(function, smooth))))
    return DerivativeCheck(bool(proved), vs_formula, vs_finite)
