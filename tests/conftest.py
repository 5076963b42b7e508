"""Shared fixtures: real git repositories with a hook config, run through pytester."""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# pytester points HOME at each test's directory: the package tools' caches stay the user's
_HOME = Path.home()
TOOL_CACHES = {
    "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(_HOME / ".cache" / "uv")),
    "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(_HOME / ".cache" / "pip")),
    "NPM_CONFIG_CACHE": os.environ.get("NPM_CONFIG_CACHE", str(_HOME / ".npm")),
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ("git", *args), cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


class Repo:
    """A git repository in pytester's directory, with helpers to write files and commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        git(path, "init", "-q", "-b", "main")
        git(path, "config", "user.email", "test@example.com")
        git(path, "config", "user.name", "Test")
        git(path, "config", "commit.gpgsign", "false")

    def write(self, name: str, content: str | bytes, *, mode: int | None = None) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        if mode is not None:
            path.chmod(mode)
        return path

    def config(self, text: str) -> Path:
        return self.write(".pre-commit-config.yaml", textwrap.dedent(text))

    def script(self, name: str, body: str) -> Path:
        """An executable Python script (used as a hook's entry)."""
        return self.write(name, "#!/usr/bin/env python3\n" + textwrap.dedent(body), mode=0o755)

    def add(self, *names: str) -> None:
        git(self.path, "add", *(names or ("-A",)))

    def commit(self, message: str = "commit") -> None:
        self.add()
        git(self.path, "commit", "-q", "--no-verify", "-m", message)

    def read(self, name: str) -> str:
        return (self.path / name).read_text()

    def outside(self, name: str) -> Path:
        """A path beside the repository, this test's own (the directory above is shared
        by every test of the session: a log or fifo there would meet another test's)."""
        return self.path.parent / f"{self.path.name}-{name}"


@pytest.fixture
def repo(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    # hooks must not see the outer test run's settings
    for var in ("PYTEST_ADDOPTS", "SKIP", "HOOKRUN_JOBS", "HOOKRUN_TIMEOUT", "HOOKRUN_KILL_GRACE"):
        monkeypatch.delenv(var, raising=False)
    # remote repos and environments go to a store of the test's own, never the user's
    monkeypatch.setenv("HOOKRUN_HOME", str(pytester.path.parent / "hookrun-home"))
    for var, value in TOOL_CACHES.items():
        monkeypatch.setenv(var, value)
    # a run the test kills mid-way leaves its temporary files in the test's directory,
    # not in the machine's /tmp
    tmp = pytester.path.parent / "tmp"
    tmp.mkdir(exist_ok=True)
    monkeypatch.setenv("TMPDIR", str(tmp))
    yield Repo(pytester.path)
