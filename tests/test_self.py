"""The project checks itself: its own hooks pass on its own tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_own_hooks_pass() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--hooks",
            ".pre-commit-config.yaml",
            "-v",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-6000:]
    assert "ruff-check PASSED" in run.stdout
    assert "mypy PASSED" in run.stdout
