"""The test oracle itself: helpers.accuracy must report the worst error, in ulps."""

import mpmath
import numpy as np
import pytest

from helpers import accuracy


def up(value, steps):
    for _ in range(steps):
        value = np.nextafter(value, np.inf)
    return value


@pytest.mark.parametrize("steps", [0, 1, 3])
def test_ulp_error_counts_units_in_the_last_place(steps):
    for exact in (1.0, 0.75, 1e-300, 3e300):
        assert accuracy.ulp_error(up(exact, steps), mpmath.mpf(exact)) == pytest.approx(steps)


def test_ulp_error_of_subnormal_results_is_in_subnormal_spacing():
    tiny = 5e-324  # the smallest subnormal
    assert accuracy.ulp_error(0.0, mpmath.mpf(tiny)) == pytest.approx(1)
    assert accuracy.ulp_error(3 * tiny, mpmath.mpf(tiny)) == pytest.approx(2)
    assert accuracy.ulp_error(np.inf, mpmath.mpf(1)) == np.inf
    assert accuracy.ulp_error(np.inf, mpmath.inf) == 0


@pytest.mark.parametrize("wrong_at", [0, 2, 4])
def test_max_ulp_error_reports_the_worst_point_not_the_first(wrong_at):
    xs = np.array([0.5, 1.5, 2.5, 3.5, 4.5])
    off_by = {wrong_at: 4, (wrong_at + 1) % 5: 1}  # the worst error and a smaller one elsewhere

    def function(values):
        return np.array([up(v, off_by.get(i, 0)) for i, v in enumerate(values)])

    worst, where = accuracy.max_ulp_error(function, lambda v: v, xs)
    assert worst == pytest.approx(4) and where == xs[wrong_at]


def test_max_ulp_error_of_an_exact_function_is_zero():
    assert accuracy.max_ulp_error(np.negative, lambda v: -v, np.linspace(-3, 3, 7)) == (0.0, -3.0)
