"""End-to-end check: every notebook runs in JupyterLab, in a real browser.

`make e2e` runs this with the project's venv. For each notebook it

1. starts JupyterLab on 127.0.0.1 (free port, random token, throwaway
   settings, workspace, runtime and IPython directories) serving a *copy* of
   notebooks/, so nothing JupyterLab saves can touch the committed files;
2. opens the notebook in headless Chromium (the system's /usr/bin/chromium,
   driven by Playwright), clears every output and runs "Run All Cells" from
   the Run menu, as a teacher would, then waits until every code cell has its
   execution count and the kernel is idle;
3. asserts what a teacher sees: no error or stderr output, one rendered image
   per figure of the committed notebook (each decoded, not a broken icon),
   MathJax-typeset LaTeX for every LaTeX output and no MathJax error anywhere,
   and, for notebooks with an interactive widget cell, that the widget renders
   with a figure and that moving its slider (and pressing its button, if it
   has one) redraws the figure;
4. saves a screenshot per notebook (and one per widget after the slider
   moved) under build/e2e/.

The server is always stopped (its whole process group), and notebooks/ is
hashed before and after: the run fails if anything in it changed.

    .venv/bin/python tests/e2e/run_e2e.py [notebooks/NN_name.ipynb ...]

Not collected by pytest (no `test_` prefix): it needs a browser and minutes.
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
OUTPUT = ROOT / "build" / "e2e"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 90  # seconds
NOTEBOOK_TIMEOUT = 300  # seconds for "Run All" of one notebook
WIDGET_TIMEOUT = 120  # seconds for a widget to redraw after an interaction

# A code cell that calls a builder of helpers.widgets, e.g. `widgets.leaky_relu_explorer()`.
WIDGET_CALL = re.compile(r"\bwidgets\.[a-z_]+_explorer\(")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# JupyterLab settings for the throwaway settings directory: render every cell
# (no virtual scrolling, so every output is in the DOM), never autosave, and
# no news or update pop-ups over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

# Selectors of JupyterLab 4 and ipywidgets 8.
OUTPUT_SEL = ".jp-OutputArea-output"
STDERR_SEL = f'{OUTPUT_SEL}[data-mime-type="application/vnd.jupyter.stderr"]'
LATEX_SEL = f'{OUTPUT_SEL}[data-mime-type="text/latex"]'
WIDGET_SEL = f"{OUTPUT_SEL}:has(> .jupyter-widgets)"  # widget views carry no data-mime-type


class E2EFailure(AssertionError):
    """A check failed: the message says which and where."""


def fail(message):
    raise E2EFailure(message)


def tree_digests(folder):
    """SHA-256 of every file under ``folder``, by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def expectations(path):
    """What the committed notebook says the browser must show."""
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = [output for cell in code for output in cell.get("outputs", [])]
    return {
        "executed_cells": sum(1 for cell in code if cell.source.strip()),
        "pngs": sum(1 for output in outputs if "image/png" in output.get("data", {})),
        "latex": sum(1 for output in outputs if "text/latex" in output.get("data", {})),
        "markdown_maths": any(cell.cell_type == "markdown" and "$" in cell.source for cell in notebook.cells),
        # Cells that build a widget: by their source, or by their committed output.
        "widgets": sum(
            1
            for cell in code
            if WIDGET_CALL.search(cell.source)
            or any(WIDGET_MIME in output.get("data", {}) for output in cell.get("outputs", []))
        ),
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """JupyterLab serving ``root`` on 127.0.0.1, stopped by ``stop()`` whatever happens."""

    def __init__(self, root, scratch, log_path):
        self.port, self.token = free_port(), secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        settings = scratch / "lab-settings"
        for plugin, values in LAB_SETTINGS.items():
            file = settings / f"{plugin}.jupyterlab-settings"
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(values), encoding="utf-8")
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(scratch / "config"),
            JUPYTER_DATA_DIR=str(scratch / "data"),
            JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
            IPYTHONDIR=str(scratch / "ipython"),
            JUPYTER_PLATFORM_DIRS="1",
        )
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={scratch / 'workspaces'}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(log_path, "w", encoding="utf-8")
        # A session of its own, so stop() can end the server and its kernels together.
        self.process = subprocess.Popen(
            command, cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_ready(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"JupyterLab exited with code {self.process.returncode}; see {self.log.name}")
            try:
                self.api("/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s; see {self.log.name}")

    def shutdown_kernels(self):
        for kernel in self.api("/api/kernels"):
            self.api(f"/api/kernels/{kernel['id']}", method="DELETE")

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
        # Kernels are in the server's process group; make sure none outlives it.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


def wait_for(page, script, arg=None, timeout=NOTEBOOK_TIMEOUT, what="condition"):
    """Poll a JavaScript predicate in the page until it returns truthy."""
    try:
        return page.wait_for_function(script, arg=arg, timeout=timeout * 1000, polling=250)
    except Exception as error:  # Playwright's TimeoutError
        fail(f"timed out after {timeout} s waiting for {what}: {error.__class__.__name__}")


def run_menu_command(page, menu, command):
    """Click a JupyterLab main-menu entry, e.g. Run > Run All Cells."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    item = page.locator(f'.lm-Menu-item[data-command="{command}"]')
    item.wait_for(state="visible", timeout=10_000)
    item.click()


PROMPTS_JS = """
() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'))
           .map(p => p.textContent.trim())
"""

# Both the toolbar's execution indicator and the status bar's "Python 3 (ipykernel) | Idle".
KERNEL_IDLE_JS = """
() => {
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const status = document.querySelector('.jp-StatusBar-TextItem[title^="Change kernel"]');
  return !!indicator && indicator.dataset.status === 'idle'
         && !!status && /\\|\\s*Idle\\s*$/.test(status.textContent.trim());
}
"""

# MathJax marks a TeX error with <mjx-merror> and an undefined macro with red text.
BAD_MATHS_JS = """
() => Array.from(document.querySelectorAll('mjx-merror, mjx-mtext[style*="color: red"]')).map(el =>
  el.getAttribute('data-mjx-error')
  || 'undefined macro ' + ((el.closest('mjx-container').querySelector('mjx-assistive-mml') || {}).textContent || ''))
"""

IMAGES_JS = """
(selector) => Array.from(document.querySelectorAll(selector)).map(img => ({
  src: img.getAttribute('src') || '',
  decoded: img.complete && img.naturalWidth > 0,
}))
"""


def check_notebook(page, lab, name, expected):
    """Open ``name`` in JupyterLab, run every cell through the UI, and check what renders."""
    report = {}
    page.goto(f"{lab.url}/lab/tree/{name}?reset&token={lab.token}")
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(state="visible", timeout=60_000)
    wait_for(page, KERNEL_IDLE_JS, timeout=90, what="the kernel to start")
    run_menu_command(page, "Edit", "editmenu:clear-all")  # outputs and execution counts
    wait_for(
        page,
        f"""() => document.querySelectorAll('{OUTPUT_SEL}').length === 0
                            && !({PROMPTS_JS})().some(p => /\\d/.test(p))""",
        timeout=30,
        what="outputs to clear",
    )

    start = time.monotonic()
    run_menu_command(page, "Run", "runmenu:run-all")
    wait_for(
        page,
        f"() => ({PROMPTS_JS})().some(p => p.includes('*') || /\\d/.test(p))",
        timeout=60,
        what=f"Run All to start in {name}",
    )
    # Done when nothing is queued or running and the kernel is idle, twice in a row
    # (Run All stops at a cell that raises: the cells after it are never run).
    finished = f"() => !({PROMPTS_JS})().some(p => p.includes('*')) && ({KERNEL_IDLE_JS})()"
    while True:
        wait_for(
            page,
            finished,
            timeout=max(1, NOTEBOOK_TIMEOUT - (time.monotonic() - start)),
            what=f"the code cells of {name} to run",
        )
        page.wait_for_timeout(1000)
        if page.evaluate(finished):
            break
    report["seconds"] = round(time.monotonic() - start - 1, 1)

    errors = page.locator(STDERR_SEL).all_inner_texts()
    if errors:
        shown = "\n".join(f"  [{i + 1}] {text.strip()[-600:]}" for i, text in enumerate(errors[:3]))
        fail(f"{name}: {len(errors)} error/stderr output(s):\n{shown}")
    n = expected["executed_cells"]
    # A collapsed cell (tag hide-input) takes its prompt out of the page: expand all code to count every prompt.
    run_menu_command(page, "View", "notebook:show-all-cell-code")
    page.wait_for_timeout(500)
    ran = sum(1 for p in page.evaluate(PROMPTS_JS) if re.search(r"\[\d+\]", p))
    if ran < n:
        fail(f"{name}: only {ran} of {n} code cells ran")

    # Figures: every image/png output of the committed notebook is an <img> that decoded.
    images = page.evaluate(IMAGES_JS, f'{OUTPUT_SEL}[data-mime-type="image/png"] img')
    report["images"] = len(images)
    if len(images) < expected["pngs"]:
        fail(f"{name}: {len(images)} rendered figure(s), the committed notebook has {expected['pngs']}")
    broken = sum(not image["decoded"] for image in images)
    if broken:
        fail(f"{name}: {broken} figure(s) did not decode")

    # LaTeX: every text/latex output typeset by MathJax, and no MathJax error anywhere.
    if expected["latex"] or expected["markdown_maths"]:
        wait_for(
            page,
            f"""() => {{
              const latex = Array.from(document.querySelectorAll('{LATEX_SEL}'));
              return latex.length >= {expected["latex"]}
                     && latex.every(el => el.querySelector('mjx-container'));
            }}""",
            timeout=60,
            what=f"MathJax to typeset the LaTeX outputs of {name}",
        )
        report["latex"] = page.locator(LATEX_SEL).count()
        report["maths"] = page.locator("mjx-container").count()
        if expected["markdown_maths"] and not page.locator(".jp-MarkdownOutput mjx-container").count():
            fail(f"{name}: markdown has maths but none was typeset")
        bad = page.evaluate(BAD_MATHS_JS)
        if bad:
            fail(f"{name}: MathJax could not typeset {len(bad)} formula(s): {'; '.join(bad[:5])}")

    if images:
        page.locator(f'{OUTPUT_SEL}[data-mime-type="image/png"] img').first.scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / f"{Path(name).stem}.png"))
    if expected["latex"]:
        page.locator(LATEX_SEL).first.scroll_into_view_if_needed()
        page.screenshot(path=str(OUTPUT / f"{Path(name).stem}-latex.png"))

    if expected["widgets"]:
        report["widgets"] = check_widgets(page, name, expected["widgets"])
    return report


def check_widgets(page, name, count):
    """Each widget renders with a figure, and moving its slider redraws it."""
    views = page.locator(WIDGET_SEL)
    try:
        views.nth(count - 1).locator(".jupyter-widgets").first.wait_for(state="visible", timeout=30_000)
    except Exception:
        fail(f"{name}: {count} cell(s) build a widget but {views.count()} widget(s) rendered")
    for index in range(count):
        view = views.nth(index)
        view.scroll_into_view_if_needed()
        image = view.locator("img").first
        try:
            image.wait_for(state="visible", timeout=WIDGET_TIMEOUT * 1000)
        except Exception:
            fail(f"{name}: widget {index + 1} shows no figure")
        before = [img.get_attribute("src") for img in view.locator("img").all()]
        slider = view.locator(".widget-slider .noUi-handle, .widget-hslider .noUi-handle").first
        if not slider.count():
            fail(f"{name}: widget {index + 1} has no slider")
        slider.focus()
        for _ in range(3):
            slider.press("ArrowRight")
        button = view.locator("button.jupyter-button")
        if button.count():
            page.wait_for_timeout(1000)  # let the slider's new value reach the kernel first
            button.first.click()
        try:
            page.wait_for_function(
                """([el, before]) => {
                     const now = Array.from(el.querySelectorAll('img')).map(i => i.getAttribute('src'));
                     return now.length > 0 && JSON.stringify(now) !== JSON.stringify(before)
                            && Array.from(el.querySelectorAll('img')).every(i => i.complete && i.naturalWidth > 0);
                   }""",
                arg=[view.element_handle(), before],
                timeout=WIDGET_TIMEOUT * 1000,
                polling=250,
            )
        except Exception:
            fail(f"{name}: moving the slider of widget {index + 1} did not redraw its figure")
        # Let every queued redraw finish before the screenshot.
        wait_for(page, KERNEL_IDLE_JS, timeout=WIDGET_TIMEOUT, what="the kernel to finish redrawing")
        page.wait_for_timeout(1000)
        errors = page.locator(STDERR_SEL)
        if errors.count():
            fail(f"{name}: widget {index + 1} printed an error: {errors.first.inner_text()[:800]}")
        view.screenshot(path=str(OUTPUT / f"{Path(name).stem}-widget{index + 1}.png"))
    return count


def check_browser():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        fail(
            f"no Chromium at {CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium) "
            "or point E2E_CHROMIUM at a Chromium/Chrome executable"
        )


def launch_browser(playwright):
    check_browser()
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        fail("no notebooks to check")
    source = paths[0].parent  # served as a copy, with everything beside the notebooks
    if any(path.parent != source for path in paths):
        fail("the notebooks to check must all be in one folder")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        fail("Playwright is missing: `make e2e` installs tests/e2e-requirements.txt into .venv")
    check_browser()  # before starting anything

    OUTPUT.mkdir(parents=True, exist_ok=True)
    digests_before = tree_digests(source)
    scratch = Path(tempfile.mkdtemp(prefix="e2e-"))
    served = scratch / "root"
    shutil.copytree(source, served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    failures, lab = [], None
    started = time.monotonic()
    try:
        lab = Lab(served, scratch, OUTPUT / "jupyterlab.log")
        lab.wait_until_ready()
        print(f"serving {lab.url} from {scratch}", flush=True)  # tests/e2e/test_cleanup.py reads this
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                console_errors = []
                page.on("pageerror", lambda error: console_errors.append(str(error)))
                for path in paths:
                    name = path.name
                    try:
                        report = check_notebook(page, lab, name, expectations(path))
                        print(f"ok   {name}: " + ", ".join(f"{k} {v}" for k, v in report.items()), flush=True)
                    except Exception as error:  # E2EFailure, or Playwright's errors and timeouts
                        failures.append(name)
                        message = str(error) if isinstance(error, E2EFailure) else f"{name}: {error!r}"
                        print(f"FAIL {message}", flush=True)
                        page.screenshot(path=str(OUTPUT / f"{path.stem}-FAILED.png"))
                    finally:
                        lab.shutdown_kernels()
                if console_errors:
                    print(f"note: {len(console_errors)} uncaught JavaScript error(s), first: {console_errors[0][:300]}")
            finally:
                browser.close()
    finally:
        if lab is not None:
            lab.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    digests_after = tree_digests(source)
    changed = sorted(set(digests_before.items()) ^ set(digests_after.items()))
    if changed:
        fail(f"{source.name}/ changed during the e2e run: {sorted({name for name, _ in changed})}")
    total = time.monotonic() - started
    if failures:
        print(f"e2e: {len(failures)} of {len(paths)} notebook(s) failed ({total:.0f} s): {', '.join(failures)}")
        return 1
    print(
        f"e2e: all {len(paths)} notebook(s) ran in JupyterLab in Chromium ({total:.0f} s); "
        f"screenshots in {OUTPUT.relative_to(ROOT)}/; {source.name}/ unchanged"
    )
    return 0


def _terminated(signum, frame):
    """SIGTERM (timeout, a cancelled CI job) and SIGHUP end the run like an
    error: every ``finally`` above runs, so no server, browser or temp folder
    outlives it."""
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminated)
    signal.signal(signal.SIGHUP, _terminated)
    try:
        sys.exit(main())
    except E2EFailure as error:
        print(f"e2e: {error}", file=sys.stderr)
        sys.exit(1)
