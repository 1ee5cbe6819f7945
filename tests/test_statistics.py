"""helpers.statistics: the intervals cover what they claim, the sign test counts right, bad input raises."""

import numpy as np
import pytest
from scipy import stats

from helpers import statistics


def test_censored_turns_never_into_infinity():
    assert statistics.censored([3, -1, 0]).tolist() == [3.0, np.inf, 0.0]
    with pytest.raises(ValueError, match="-1 for never"):
        statistics.censored([3, -2])


def test_median_interval_is_the_textbook_order_statistic_pair():
    # n = 10: P(B <= 1) = 11/1024, so k = 2 and the coverage is 1 - 22/1024
    low, high, coverage = statistics.median_interval(np.arange(10.0))
    assert (low, high) == (1.0, 8.0)
    assert coverage == pytest.approx(1 - 22 / 1024)
    assert coverage >= 0.95 > 1 - 2 * stats.binom.cdf(2, 10, 0.5)  # k = 3 would not reach 95%


def test_median_interval_covers_the_true_median_in_simulation():
    rng = np.random.default_rng(0)
    hits = [
        lo <= np.log(2) <= hi
        for lo, hi, _ in (statistics.median_interval(rng.exponential(size=41)) for _ in range(2000))
    ]
    assert 0.94 <= np.mean(hits) <= 0.985  # coverage >= 95% by construction, up to simulation noise


def test_median_interval_keeps_censored_runs():
    low, high, _ = statistics.median_interval([1.0, 2.0, 3.0, np.inf, np.inf, np.inf, np.inf, np.inf, np.inf, 4.0])
    assert low == 2.0 and high == np.inf


def test_median_interval_refuses_too_few_values_and_nan():
    with pytest.raises(ValueError, match="too few"):
        statistics.median_interval([1.0, 2.0, 3.0, 4.0, 5.0])
    with pytest.raises(ValueError, match="NaN"):
        statistics.median_interval([1.0, np.nan] * 10)


def test_paired_ratios_handle_censoring():
    slow, fast = statistics.censored([10, -1, 10, -1]), statistics.censored([5, 5, -1, -1])
    ratios = statistics.paired_ratios(slow, fast)
    assert ratios[:3].tolist() == [2.0, np.inf, 0.0] and np.isnan(ratios[3])
    with pytest.raises(ValueError, match="pair up"):
        statistics.paired_ratios(slow, fast[:3])


def test_ratio_of_medians_interval_contains_the_estimate_and_is_reproducible():
    rng = np.random.default_rng(1)
    fast = rng.integers(20, 60, 200).astype(float)
    slow = 2 * fast + rng.integers(-5, 6, 200)
    low, high = statistics.ratio_of_medians_interval(slow, fast)
    assert low <= np.median(slow) / np.median(fast) <= high and 1.8 < low < high < 2.2
    assert (low, high) == statistics.ratio_of_medians_interval(slow, fast)
    assert (low, high) != statistics.ratio_of_medians_interval(slow, fast, seed=1)


def test_sign_test_counts_and_matches_the_binomial_test():
    ratios = np.array([3.0, 3.0, 3.0, 1.0, 2.0, np.nan, np.inf])
    result = statistics.sign_test(ratios, 2)
    assert (result.above, result.below, result.ties) == (4, 1, 2)
    assert result.p_value == pytest.approx(stats.binomtest(4, 5).pvalue)
    with pytest.raises(ValueError, match="nothing to count"):
        statistics.sign_test([2.0, 2.0], 2)
    with pytest.raises(ValueError, match="claimed"):
        statistics.sign_test(ratios, 0)


def test_converged_by_is_the_share_of_runs_done():
    assert statistics.converged_by([1, 5, -1, 3], [0, 1, 3, 10]).tolist() == [0.0, 0.25, 0.5, 0.75]
