"""Uncertainty for the experiments over seeds (notebooks 06 and 07).

Epochs to converge come from :func:`helpers.playground.epochs_to_converge`, with -1 for a run that
never converged. :func:`censored` turns -1 into +inf, "later than any epoch": such runs sort above
every other, so medians, order statistics and paired ratios stay defined without dropping them
(a median is finite while fewer than half of the runs are censored).
"""

from typing import NamedTuple

import numpy as np
from scipy import stats

from helpers import checks


def censored(epochs_needed):
    """Epochs to converge as floats, ``-1`` (never) as ``+inf``."""
    epochs_needed = np.asarray(epochs_needed)
    if epochs_needed.ndim != 1 or not epochs_needed.size or np.any(epochs_needed < -1):
        raise ValueError("epochs_needed must be a non-empty 1-d array of epochs, -1 for never")
    return np.where(epochs_needed < 0, np.inf, epochs_needed).astype(np.float64)


def _values(name, values):
    values = checks.real_array(name, values)
    if values.ndim != 1 or not values.size or np.isnan(values).any():
        raise ValueError(f"{name} must be a non-empty 1-d array without NaN")
    return values


def _alpha(confidence):
    return 1.0 - checks.real("confidence", confidence, 0.0, 1.0, low_open=True, high_open=True)


def median_interval(values, confidence=0.95):
    """Distribution-free interval for the median: the order statistics ``(x_(k), x_(n+1-k))`` with the
    largest ``k`` whose coverage ``1 - 2 P(B <= k - 1)``, ``B ~ Binomial(n, 1/2)``, is at least ``confidence``.
    Returns ``(low, high, coverage)``; ``+inf`` values (censored runs) are allowed."""
    x, alpha = np.sort(_values("values", values)), _alpha(confidence)
    k = int(stats.binom.ppf(alpha / 2, len(x), 0.5))  # smallest k with P(B <= k) >= alpha / 2
    while k >= 1 and 2 * stats.binom.cdf(k - 1, len(x), 0.5) > alpha:
        k -= 1
    if k < 1:
        raise ValueError(f"{len(x)} values are too few for a {confidence:.0%} interval for the median")
    return float(x[k - 1]), float(x[len(x) - k]), float(1.0 - 2.0 * stats.binom.cdf(k - 1, len(x), 0.5))


def paired_ratios(slow, fast):
    """Per seed, ``slow / fast`` epochs (:func:`censored` values): ``inf`` if only ``slow`` never converged,
    0 if only ``fast`` never did, NaN if neither did (no information on the ratio)."""
    slow, fast = _values("slow", slow), _values("fast", fast)
    if slow.shape != fast.shape:
        raise ValueError(f"slow and fast must pair up seed by seed, got shapes {slow.shape} and {fast.shape}")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isinf(slow) & np.isinf(fast), np.nan, slow / fast)


def _row_medians(values):
    """``np.median(values, axis=1)``, several times faster for the bootstrap's many short rows."""
    ordered, n = np.sort(values, axis=1), values.shape[1]
    return (ordered[:, (n - 1) // 2] + ordered[:, n // 2]) / 2


def ratio_of_medians_interval(slow, fast, confidence=0.95, n_resamples=10_000, seed=0):
    """Percentile interval of ``median(slow) / median(fast)`` from a paired bootstrap: resample the seeds
    with replacement, keeping each seed's pair together. Returns ``(low, high)``."""
    slow, fast, alpha = _values("slow", slow), _values("fast", fast), _alpha(confidence)
    paired_ratios(slow, fast)  # the shapes pair up
    n_resamples = checks.integer("n_resamples", n_resamples, 100)
    rows = np.random.default_rng(checks.integer("seed", seed, 0)).integers(0, len(slow), (n_resamples, len(slow)))
    with np.errstate(invalid="ignore"):  # inf / inf: both medians censored, counted as NaN
        ratios = _row_medians(slow[rows]) / _row_medians(fast[rows])
    ratios = np.where(np.isnan(ratios), np.inf, ratios)
    return tuple(float(q) for q in np.quantile(ratios, [alpha / 2, 1 - alpha / 2], method="inverted_cdf"))


class SignTest(NamedTuple):
    """Seeds with a paired ratio above and below the claimed one, ties (and NaN) left out, and the
    two-sided p-value of the hypothesis that the median paired ratio equals the claim."""

    above: int
    below: int
    ties: int
    p_value: float


def sign_test(ratios, claimed):
    """Sign test of "the median of ``ratios`` is ``claimed``" (exact binomial, two-sided)."""
    ratios = checks.real_array("ratios", ratios)
    claimed = checks.real("claimed", claimed, 0.0, np.inf, low_open=True, high_open=True)
    above, below = int(np.sum(ratios > claimed)), int(np.sum(ratios < claimed))
    if not above + below:
        raise ValueError("every ratio ties with the claim (or is NaN): the sign test has nothing to count")
    p_value = stats.binomtest(above, above + below, 0.5).pvalue
    return SignTest(above, below, ratios.size - above - below, float(p_value))


def converged_by(epochs_needed, epochs):
    """Share of runs converged by each of ``epochs`` (a survival curve, upside down); never = not by any."""
    needed = censored(epochs_needed)
    return np.mean(needed[:, None] <= np.asarray(epochs)[None, :], axis=0)


class Comparison(NamedTuple):
    """A slower activation against a faster one on the same seeds: ``(value, low, high)`` of the ratio of
    medians (paired bootstrap) and of the median paired ratio (order statistics), and the paired ratios."""

    ratio_of_medians: tuple
    median_paired_ratio: tuple
    ratios: np.ndarray


def compare(slow, fast, confidence=0.95):
    """:class:`Comparison` of ``slow`` and ``fast`` (:func:`censored` epochs, seed by seed); a pair in which
    neither run converged stays in the ratio of medians and is left out of the median paired ratio."""
    ratios = paired_ratios(slow, fast)
    informative = ratios[~np.isnan(ratios)]
    ratio = float(np.median(slow) / np.median(fast)), *ratio_of_medians_interval(slow, fast, confidence)
    return Comparison(ratio, (float(np.median(informative)), *median_interval(informative, confidence)[:2]), ratios)


def format_interval(value, low, high):
    """A value and its interval to about two significant digits, what a few hundred seeds support."""
    value, low, high = (f"{v:.0f}" if v >= 10 else f"{v:.1f}" if v >= 1 else f"{v:.2f}" for v in (value, low, high))
    return f"{value} [{low}, {high}]"


def relation(claim, interval):
    """Where an interval ``(value, low, high)`` lies against a claimed value: "above", "below" or "contains"."""
    _, low, high = interval
    return "above" if low > claim else "below" if high < claim else "contains"


def verdict(claim, *intervals):
    """A claimed factor against intervals of the true one: "understated" if every interval lies above it,
    "overstated" if every one lies below, "fits" if every one contains it, "mixed" otherwise."""
    places = {relation(claim, interval) for interval in intervals}
    words = {"above": "understated", "below": "overstated", "contains": "fits"}
    return words[places.pop()] if len(places) == 1 else "mixed"


def censoring_cannot_matter(slow, fast, slow_cap, fast_cap, claim, with_test=True, level=0.05, actual=None):
    """Whether no longer cap could change how the two intervals of :func:`compare` lie against ``claim``, nor
    the decision of the sign test at ``level`` (``with_test``).

    A censored run (``+inf``) could have converged at any epoch after its cap. Putting the slower activation's
    at ``slow_cap + 1`` (the faster one's left at ``+inf``) gives the smallest ratios that longer runs could give
    (a pair where neither converged: 0); putting the faster one's at ``fast_cap + 1`` gives the largest (``+inf``).
    Any other values give interval ends in between, so if the actual intervals, the widest (lowest low end, highest
    high end) and the narrowest relate to the claim alike, and the sign test decides alike, nothing can change.
    ``actual``: ``compare(slow, fast)``, if already computed."""
    actual = compare(slow, fast) if actual is None else actual
    smallest = compare(np.where(np.isinf(slow), slow_cap + 1, slow), fast)
    largest = compare(slow, np.where(np.isinf(fast), fast_cap + 1, fast))
    for i in range(2):  # the ratio of medians, the median paired ratio
        widest, narrowest = (np.nan, smallest[i][1], largest[i][2]), (np.nan, largest[i][1], smallest[i][2])
        if not relation(claim, actual[i]) == relation(claim, widest) == relation(claim, narrowest):
            return False
    if not with_test:
        return True
    signs = [sign_test(result.ratios, claim) for result in (actual, smallest, largest)]
    decisions = {sign.p_value < level for sign in signs}
    return len(decisions) == 1 and (decisions == {False} or len({sign.above > sign.below for sign in signs}) == 1)
