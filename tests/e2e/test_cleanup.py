"""`make e2e` must leave nothing behind, even when it is killed.

Run by `make e2e` after the notebooks (it needs the same Chromium and
Playwright). It starts tests/e2e/run_e2e.py on one notebook, checks that
JupyterLab listens on 127.0.0.1 only, sends SIGTERM (what `timeout` or a
cancelled CI job sends) and checks that the server, the Playwright driver, the
browser and the temporary folder are all gone.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "e2e" / "run_e2e.py"
NOTEBOOK = min((ROOT / "notebooks").glob("*.ipynb"), key=lambda p: p.stat().st_size)


def descendants(pid):
    """Every process below ``pid``, from /proc."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def listening_addresses(port):
    """Local IPv4/IPv6 addresses (hex, as /proc/net shows them) listening on ``port``."""
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                addresses.append(address)
    return addresses


def alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_sigterm_leaves_no_server_browser_or_temp_folder():
    runner = subprocess.Popen(
        [sys.executable, str(RUNNER), str(NOTEBOOK)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ),
        cwd=ROOT,
    )
    try:
        line = ""
        while "serving http://127.0.0.1:" not in line:
            line = runner.stdout.readline()
            assert line, "run_e2e.py ended before it served the notebooks"
        port, scratch = re.search(r"serving http://127\.0\.0\.1:(\d+) from (\S+)", line).groups()
        port, scratch = int(port), Path(scratch)
        deadline = time.monotonic() + 60
        while not any(
            "chrom" in Path(f"/proc/{p}/comm").read_text(errors="ignore") for p in descendants(runner.pid) if alive(p)
        ):
            assert time.monotonic() < deadline, "the browser did not start within 60 s"
            time.sleep(0.2)
        assert listening_addresses(port) == ["0100007F"], (
            f"JupyterLab must listen on 127.0.0.1 only, not {listening_addresses(port)}"
        )
        started = descendants(runner.pid)
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
        runner.stdout.close()
    time.sleep(1)
    left = sorted(p for p in started if alive(p))
    assert not left, f"processes outlived run_e2e.py: {[Path(f'/proc/{p}/cmdline').read_bytes()[:80] for p in left]}"
    assert not listening_addresses(port), f"something still listens on port {port}"
    assert not scratch.exists(), f"the temporary folder {scratch} was left behind"
    assert runner.returncode != 0, "a terminated run must not report success"
