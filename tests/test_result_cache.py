"""The result cache's basics on real runs: reuse, per-file reruns, failures never cached."""

from __future__ import annotations

import pytest

from .conftest import Repo
from .test_plugin import LOCAL, hook, outcomes


def test_passes_are_reused_per_file_and_failures_never(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    log = repo.path.parent / "ran.log"
    repo.script(
        "rec.py",
        f"""
        import sys
        with open({str(log)!r}, "a") as f:
            f.write(" ".join(sys.argv[1:]) + "\\n")
        sys.exit(1 if any("BAD" in open(n).read() for n in sys.argv[1:]) else 0)
        """,
    )
    repo.write("a.txt", "a\n")
    repo.write("b.txt", "b\n")
    repo.config(
        LOCAL
        # a known per-file id, and an unknown one (cached whole)
        + hook("trailing-whitespace", "./rec.py", language="script", files=r"\.txt$")
        + hook("whole", "./rec.py", language="script", files=r"\.txt$", require_serial=True)
    )
    repo.commit()

    def run() -> dict[str, str]:
        log.write_text("")
        result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "1")
        words = {}
        for line in result.outlines:
            for name in ("trailing-whitespace", "whole"):
                if line.startswith(f".pre-commit-config.yaml::{name} "):
                    words[name] = line.split(" ", 1)[1].split("  ")[0].strip()
        return words

    assert run() == {"trailing-whitespace": "PASSED", "whole": "PASSED"}
    assert run() == {"trailing-whitespace": "PASSED (cached)", "whole": "PASSED (cached)"}
    assert log.read_text() == ""
    repo.write("b.txt", "b2\n")
    assert run() == {"trailing-whitespace": "PASSED (1 files cached)", "whole": "PASSED"}
    assert sorted(log.read_text().split("\n")) == ["", "a.txt b.txt", "b.txt"]
    repo.write("b.txt", "BAD\n")
    for _ in range(2):  # a failure runs again every time
        assert run() == {"trailing-whitespace": "FAILED", "whole": "FAILED"}
    result = pytester.runpytest("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(result) == {"trailing-whitespace": "FAILED", "whole": "FAILED"}
