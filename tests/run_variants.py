"""Strict nbval over the notebooks under other code paths: `make test-variants`.

Committed outputs must survive another CPU, another BLAS kernel and another
libm. This runs the same strict comparison as `make test` once per variant:

* ``no-avx512``: NumPy's AVX-512 kernels off (``NPY_DISABLE_CPU_FEATURES``);
* ``no-avx2``: NumPy's AVX2, FMA3 and AVX-512 kernels off as well;
* ``blas``: another OpenBLAS kernel (``OPENBLAS_CORETYPE``: Haswell on
  x86-64, plain ARMv8 on ARM);
* ``weights``: every initial weight moved by one ulp;
* ``libm``: tanh and the sigmoid one ulp off on half of their inputs;
* ``ci``: all of the above that apply to this machine, at once (what .ci/run checks).

The last-bit changes come from tests/variants/sitecustomize.py, loaded into
every kernel and worker process through PYTHONPATH. A variant that this
machine cannot run (no AVX-512 to turn off) says so and counts as a failure
only if no variant ran at all.

    python tests/run_variants.py [VARIANT ...] [-- NOTEBOOK ...]
"""

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

try:  # where NumPy lists its SIMD kernels: numpy._core from NumPy 2, numpy.core before
    from numpy._core import _multiarray_umath as numpy_core
except ImportError:
    from numpy.core import _multiarray_umath as numpy_core

ROOT = Path(__file__).resolve().parent.parent
VARIANT_DIR = ROOT / "tests" / "variants"
DISPATCHED = set(numpy_core.__cpu_dispatch__)
ARM = platform.machine().lower() in ("aarch64", "arm64")


def features(*prefixes):
    """NumPy's dispatched kernels on this machine whose names start with a prefix."""
    return {name for name in DISPATCHED if name.startswith(prefixes)}


AVX512 = sorted(features("AVX512", "X86_V4"))
AVX2 = sorted(features("AVX", "FMA3", "X86_V3", "X86_V4", "F16C"))  # AVX, AVX2 and AVX-512 alike


def variants():
    """name -> environment changes, or a reason it cannot run here."""
    return {
        "no-avx512": {"NPY_DISABLE_CPU_FEATURES": " ".join(AVX512)} if AVX512 else "NumPy has no AVX-512 kernels here",
        "no-avx2": {"NPY_DISABLE_CPU_FEATURES": " ".join(AVX2)} if AVX2 else "NumPy has no AVX2 kernels here",
        "blas": {"OPENBLAS_CORETYPE": "ARMV8" if ARM else "Haswell"},
        "weights": {"NUDGE": "weights"},
        "libm": {"NUDGE": "libm"},
        "ci": {
            "NUDGE": "weights,libm",
            "OPENBLAS_CORETYPE": "ARMV8" if ARM else "Haswell",
            **({"NPY_DISABLE_CPU_FEATURES": " ".join(AVX512)} if AVX512 else {}),
        },
    }


def run(name, changes, notebooks):
    env = dict(os.environ, **changes)
    if "NUDGE" in changes:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(VARIANT_DIR), env.get("PYTHONPATH")]))
        # The nudge must really be active where the kernels run (the notebooks' folder).
        probe = "import sitecustomize, sys; sys.exit(not sitecustomize.ACTIVE)"
        subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT / "notebooks", check=True)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(ROOT / "tests" / "sanitize.cfg"),
        *map(str, notebooks),
    ]
    print(f"== {name}: {' '.join(f'{k}={v}' for k, v in changes.items())}", flush=True)
    started = time.monotonic()
    code = subprocess.run(command, env=env, cwd=ROOT).returncode
    print(f"== {name}: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s", flush=True)
    return code == 0


def main(argv):
    names, _, notebooks = " ".join(argv).partition("--")
    table = variants()
    chosen = names.split() or [name for name in table if name != "ci"]
    unknown = [name for name in chosen if name not in table]
    if unknown:
        sys.exit(f"unknown variant(s) {unknown}; known: {', '.join(table)}")
    notebooks = [Path(p).resolve() for p in notebooks.split()] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    results = {}
    for name in chosen:
        if isinstance(table[name], str):
            print(f"== {name}: cannot run on this machine ({table[name]})", flush=True)
            continue
        results[name] = run(name, table[name], notebooks)
    if not results:
        sys.exit("no variant could run on this machine")
    failed = [name for name, ok in results.items() if not ok]
    print(
        f"variants: {len(results) - len(failed)} passed, {len(failed)} failed"
        + (f" ({', '.join(failed)})" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
