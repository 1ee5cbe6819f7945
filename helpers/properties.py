"""Properties of an activation computed from its code and its SymPy expression (notebook 07's table).

:func:`describe` scans the helper's float values on a grid (the range, monotonicity, the largest slope),
refines an extreme inside the grid by golden-section search, and lets SymPy decide what floats cannot:
whether a flat extreme is exact or only rounding, and how smooth a piecewise formula is at its breakpoints.
"""

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from helpers import activations, checks
from helpers.symbolic import x


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
    inf), ``"below"`` every x <= a point, or ``"limit"`` only approached as x -> ``where`` (-inf or inf)."""

    value: float
    kind: str
    where: tuple

    def __str__(self):
        value, ends = f"{self.value:.4f}", [f"{w:.2f}" if math.isfinite(w) else "inf" for w in self.where]
        if self.kind == "at":
            return f"{value} at {self.where[0] + 0.0:.4f}"  # + 0.0: never -0.0000
        if self.kind == "below":
            return f"{value} for x <= {ends[0]}"
        if self.kind == "on":
            return f"{value} on [{ends[0]}, {ends[1]}{')' if ends[1] == 'inf' else ']'}"
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
            high = math.inf if steepest.max() >= grid[-1] else _snap(steepest.max(), points)
            return Extreme(float(top), "on", (_snap(steepest.min(), points), high))
        return Extreme(float(top), "limit", (math.copysign(math.inf, steepest.min()),))
    i = int(np.argmax(slopes))
    where = golden_section(lambda v: -float(df(v)), grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)])
    return Extreme(float(df(where)), "at", (round(where, 8),))


def describe(name, grid=None):
    """:class:`Properties` of the registry's activation ``name``, scanned on ``grid`` (default: [-50, 50],
    step 1e-4), with the helper's values at -inf and inf (its limits) for what lies beyond."""
    entry = activations.REGISTRY[checks.choice("activation", name, activations.REGISTRY)]
    grid = np.linspace(-50.0, 50.0, 1_000_001) if grid is None else np.sort(checks.real_array("grid", grid))
    if grid.ndim != 1 or grid.size < 3 or not np.all(np.isfinite(grid)):
        raise ValueError("grid must be a 1-d array of at least 3 finite points")
    f, df, expression = entry.function, entry.derivative, entry.expression(x)
    values, slopes, points = f(grid), df(grid), breakpoints(expression)
    z = np.linspace(-12.0, 12.0, 240_001)  # E f(Z) by the rectangle rule; the tails beyond 12 weigh < 1e-30
    density = np.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    return Properties(
        lowest=_lowest(f, expression, grid, values, points),
        supremum=float(f(np.inf)),
        monotonic=bool(np.all(slopes >= 0)),
        smoothness=smoothness(expression),
        mean=float(np.sum(f(z) * density) * (z[1] - z[0])),
        f0=float(f(0.0)),
        df0=float(df(0.0)),
        largest_slope=_largest_slope(df, expression, grid, slopes, points),
    )
