"""What every browser test can ask of a page: no accessibility failures (axe-core, WCAG 2.2
AA), and a full-page screenshot for a person to look at."""

from __future__ import annotations

import json
import os
from pathlib import Path

from playwright.sync_api import Page

from tests.web.browser.server import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path(os.environ.get("CAREMATTERS_SCREENSHOTS", REPO / "var" / "screenshots"))


def assert_accessible(page: Page) -> None:
    """Fail with each violation (rule, impact, what to fix, the elements) if axe-core finds
    any against WCAG 2.2 AA on the page as it stands."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make static` (npm ci) first.")
    # Through the DevTools protocol, which the page's Content Security Policy does not govern.
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    violations = [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
    ]
    assert not violations, f"axe-core found problems on {page.url}:\n" + json.dumps(
        violations, indent=2
    )


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as SCREENSHOTS/<name>.png (CAREMATTERS_SCREENSHOTS, or
    var/screenshots) and return where."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
