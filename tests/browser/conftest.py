from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

# Assertions wait for the page (they never time anything): allow for a loaded CI machine.
expect.set_options(timeout=20_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"No Chromium at {CHROMIUM}: browser tests must run under CI=true.")
        pytest.skip(f"No Chromium at {CHROMIUM}: install Debian's chromium (make test does it as root).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class CSPWatch:
    """Collects CSP violations reported by Chromium (console) and by the page event."""

    def __init__(self, page) -> None:
        self.violations: list[str] = []
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' ' + e.sample));"
        )
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        text = message.text
        if "CSP-VIOLATION" in text or "Content Security Policy" in text:
            self.violations.append(text)


@pytest.fixture
def csp_watch(page):
    return CSPWatch(page)
