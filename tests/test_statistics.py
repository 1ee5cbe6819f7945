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


def test_verdict_names_where_the_intervals_lie():
    above, below, around = (0, 3.0, 4.0), (0, 1.0, 1.5), (0, 1.5, 2.5)
    assert statistics.relation(2, above) == "above" and statistics.relation(2, around) == "contains"
    assert statistics.verdict(2, above, above) == "understated"
    assert statistics.verdict(2, below, below) == "overstated"
    assert statistics.verdict(2, around, (0, 2.0, 2.0)) == "fits"  # an end equal to the claim contains it
    assert statistics.verdict(2, around, below) == "mixed"


def test_compare_gives_both_readings_and_the_ratios():
    slow, fast = statistics.censored([20, 40, 40, -1] * 5), statistics.censored([10, 10, 10, -1] * 5)
    result = statistics.compare(slow, fast)
    assert result.ratio_of_medians[0] == np.median(slow) / np.median(fast) == 4.0
    assert result.median_paired_ratio[0] == 4.0  # the ratios 2, 4, 4; NaN (neither converged) left out
    assert result.ratios.shape == (20,) and np.isnan(result.ratios[3])


def test_censoring_cannot_matter_sees_when_a_longer_cap_could_change_the_verdict():
    rng = np.random.default_rng(2)
    fast = rng.integers(20, 40, 100).astype(float)
    slow = 3 * fast
    slow[:5] = np.inf  # a few censored runs at a cap far above every ratio: nothing can change
    assert statistics.censoring_cannot_matter(slow, fast, 200, 200, claim=2)
    assert statistics.censoring_cannot_matter(slow, fast, 200, 200, claim=2, with_test=False)
    slow[:45] = np.inf  # close to half censored at a cap of 100 (ratios from 2.5): the median could land anywhere
    assert not statistics.censoring_cannot_matter(slow, fast, 50, 200, claim=3)


def test_format_interval_keeps_about_two_significant_digits():
    assert statistics.format_interval(20.4, 18.2, 24.6) == "20 [18, 25]"
    assert statistics.format_interval(1.72, 1.54, 1.9) == "1.7 [1.5, 1.9]"
    assert statistics.format_interval(1.0, 0.971, 1.06) == "1.0 [0.97, 1.1]"


def test_ratio_of_medians_interval_agrees_with_numpys_median():
    rng = np.random.default_rng(3)
    slow, fast = rng.integers(10, 90, 51).astype(float), rng.integers(5, 40, 51).astype(float)
    slow[:4], fast[4:6] = np.inf, np.inf
    rows = np.random.default_rng(0).integers(0, 51, (10_000, 51))
    ratios = np.median(slow[rows], axis=1) / np.median(fast[rows], axis=1)
    expected = np.quantile(ratios, [0.025, 0.975], method="inverted_cdf")
    assert statistics.ratio_of_medians_interval(slow, fast) == tuple(expected)
