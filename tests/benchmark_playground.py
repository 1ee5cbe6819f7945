"""Throughput of the Playground engine, and the run times of the experiment notebooks 06 and 07.

    python tests/benchmark_playground.py            # what `make bench` runs
    python tests/benchmark_playground.py --quick    # smaller sizes, a few seconds
    python tests/benchmark_playground.py --pools    # also notebooks 06's and 07's longest calls, 1 and 2 workers

Prints, in network-epochs per second (one network trained for one epoch:
250 training points in 25 mini-batches, then the train and test losses):

1. the batched engine, 200 seeds x 2000 epochs, tanh (the headline number);
2. the notebook's five activations, 200 seeds x 200 epochs (relative costs);
3. the notebook's five activations through ``compare_activations`` with one
   process and with two (the machine's cores);
4. the same code one network at a time (a Python loop over seeds), run for
   fewer epochs and extrapolated: the cost per epoch does not depend on the
   epoch, so epochs-per-second carries over; the line says so;
5. the wall times of notebooks 06 and 07 and of a notebook that only imports
   numpy, matplotlib and sympy, each executed by nbconvert into a temporary
   directory (never in place), and their ratios: the target is at most 6;
6. with ``--pools``: the longest ``train_many`` calls of notebooks 06 and 07,
   with ``workers=1`` and ``workers=2`` (several minutes): do the pools pay?

The design log and the table of past measurements: tests/benchmark_playground.md.

Times are wall-clock, best of ``--repeat`` runs. The machine's load average
is printed first: other processes on a shared machine slow every number.
Not collected by pytest (no ``test_`` prefix).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import nbformat

from helpers import playground

NOTEBOOK_ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
MODERN = ["elu", "selu", "gelu", "silu", "mish", "softplus", "softsign", "hard_sigmoid", "hard_swish"]
QUIET = dict(record_train_loss=False)
NOTEBOOK_JOBS = {  # train_many jobs as the notebooks run them (without workers): the longest call of each
    "notebook 06, section 4's runs": {
        **{
            ("paired", name): (name, range(n_seeds), cap, dict(QUIET, stop_below=0.02))
            for name, n_seeds, cap in [
                ("sigmoid", 100, 1000),
                ("leaky_relu", 100, 300),
                ("tanh", 200, 300),
                ("relu", 200, 300),
            ]
        },
        **{
            ("click", name): (
                name,
                range(200),
                300,
                dict(QUIET, stop_below=0.05, weight_seeds=range(first, first + 200)),
            )
            for name, first in [("tanh", 10_000), ("relu", 20_000)]
        },
        ("linear",): ("linear", range(200), 50, dict(QUIET, snapshot_epochs=[10, 30])),
        **{
            ("sweep", name, rate): (name, range(200, 230), 100, dict(QUIET, learning_rate=rate, stop_below=0.05))
            for name in ["sigmoid", "tanh", "relu"]
            for rate in [0.03, 0.1, 0.3, 1.0]
        },
    },
    "notebook 07, the ranking": {
        name: (name, range(100), 200, dict(QUIET, stop_below=0.05)) for name in ["relu", "tanh", *MODERN]
    },
}

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = [
    ROOT / "notebooks" / name for name in ("06_experience_the_difference.ipynb", "07_modern_activations.ipynb")
]
TARGET_RATIO = 6  # "Run all" of an experiment notebook against a notebook that only imports


def best_time(function, repeat):
    """Shortest wall time of ``repeat`` calls of ``function()``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def line(label, rate, seconds):
    print(f"   {label:<24} {rate:>9,.0f} network-epochs/s   ({seconds:.2f} s)")


def batched(activation, n_seeds, epochs, repeat, **kwargs):
    def run():
        playground.train_networks(activation, range(n_seeds), epochs, **kwargs)

    seconds = best_time(run, repeat)
    return n_seeds * epochs / seconds, seconds


def one_at_a_time(activation, n_seeds, epochs, repeat):
    def loop():
        for seed in range(n_seeds):
            playground.train_networks(activation, [seed], epochs)

    seconds = best_time(loop, repeat)
    return n_seeds * epochs / seconds, seconds


def notebook_seconds(path):
    """Wall time of nbconvert executing the notebook at ``path`` into a temporary directory."""
    with tempfile.TemporaryDirectory() as out:
        command = [
            sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
            "--ExecutePreprocessor.kernel_name=python3", "--ExecutePreprocessor.timeout=600",
            "--output-dir", out, str(path),
        ]  # fmt: skip
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        return time.perf_counter() - start


def import_only_seconds(repeat):
    """Best wall time of a notebook whose one cell imports numpy, matplotlib and sympy: the baseline."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import_only.ipynb"
        path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "import numpy as np\nimport matplotlib.pyplot as plt\nimport sympy as sp")])))  # fmt: skip
        return best_time(partial(notebook_seconds, path), repeat)


def notebooks(repeat):
    baseline = import_only_seconds(repeat)
    print(f"   import-only notebook (numpy, matplotlib, sympy): {baseline:6.1f} s")
    for path in EXPERIMENTS:
        seconds = best_time(partial(notebook_seconds, path), repeat)
        ratio = seconds / baseline
        verdict = "within" if ratio <= TARGET_RATIO else "NOT within"
        print(f"   {path.stem:<32} {seconds:6.1f} s = {ratio:4.1f} x the baseline ({verdict} {TARGET_RATIO} x)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test of this script")
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the best is kept")
    parser.add_argument("--skip-notebook", action="store_true", help="do not execute the notebooks")
    parser.add_argument("--pools", action="store_true", help="time notebooks 06's and 07's calls, 1 and 2 workers")
    args = parser.parse_args(argv)
    seeds, epochs, short, loop_seeds, loop_epochs = (200, 2000, 200, 5, 100)
    if args.quick:
        seeds, epochs, short, loop_seeds, loop_epochs = (50, 100, 50, 2, 20)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    print(f"\n1. batched engine, {seeds} seeds x {epochs} epochs (wall time, best of {args.repeat}):")
    rate, seconds = batched("tanh", seeds, epochs, args.repeat)
    line("tanh", rate, seconds)
    rate, seconds = batched("tanh", seeds, epochs, args.repeat, record_train_loss=False)
    line("tanh, test loss only", rate, seconds)

    print(f"\n2. the notebook's activations, {seeds} seeds x {short} epochs:")
    for name in NOTEBOOK_ACTIVATIONS:
        line(name, *batched(name, seeds, short, args.repeat))

    print(f"\n3. compare_activations, the five activations, {seeds} seeds x {short} epochs, test loss only:")
    for workers in (1, 2):
        call = partial(playground.compare_activations, NOTEBOOK_ACTIVATIONS, range(seeds), short, workers=workers)
        seconds = best_time(partial(call, record_train_loss=False), args.repeat)
        line(f"workers={workers}", len(NOTEBOOK_ACTIVATIONS) * seeds * short / seconds, seconds)

    print(f"\n4. one network at a time (same engine, loop over {loop_seeds} seeds x {loop_epochs} epochs):")
    rate, seconds = one_at_a_time("tanh", loop_seeds, loop_epochs, args.repeat)
    line("tanh", rate, seconds)
    print(
        f"   extrapolated to {seeds} seeds x {epochs} epochs: {seeds * epochs / rate / 60:.1f} min "
        "(cost per epoch is constant, so the rate carries over)"
    )

    if args.skip_notebook:
        print("\n5. notebooks: skipped")
    else:
        print(f"\n5. notebooks executed top to bottom by nbconvert (wall time, best of {args.repeat}):")
        notebooks(args.repeat)

    if args.pools:
        print("\n6. the notebooks' longest train_many calls (wall time, one run each):")
        for label, jobs in NOTEBOOK_JOBS.items():
            for workers in (1, 2):
                seconds = best_time(partial(playground.train_many, jobs, workers=workers), 1)
                print(f"   {label}, workers={workers}: {seconds:6.1f} s   (load now {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
