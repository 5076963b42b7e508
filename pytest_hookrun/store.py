"""The store: hook repos cloned at their revs, and the environments built for them.

One store serves every run, project and process of a user or CI runner
(``HOOKRUN_HOME``, else ``$XDG_CACHE_HOME/pytest-hookrun``, else
``~/.cache/pytest-hookrun``). Each entry is built under a file lock, so two
processes never build the same thing, and becomes visible only when complete:
a clone is made aside and renamed into place; an environment (whose scripts
name their own path, so it cannot move) gets a marker file as its last step.
The store's ``yaml`` directory keeps parsed configs and manifests
(:class:`pytest_hookrun.yamlfile.YamlCache`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .process import ExecutableNotFound, run_process

COMPLETE = ".hookrun-complete"
INSTALL_TIMEOUT = 1800.0  # an install that hangs (a stuck download) ends with an error
_TAIL_LINES = 25


class InstallError(Exception):
    """A clone or an install failed; ``str()`` names the command and ends with its output."""


def store_root(environ: Mapping[str, str] = os.environ) -> Path:
    if environ.get("HOOKRUN_HOME"):
        return Path(environ["HOOKRUN_HOME"]).expanduser()
    cache = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "pytest-hookrun"


def digest(*parts: object) -> str:
    """A short stable name for a key (repo, rev, language, ...)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


def clean_git_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment without GIT_* variables: inside a git hook they name the user's repo."""
    keep = {"GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_SSL_NO_VERIFY"}
    env = {k: v for k, v in environ.items() if not k.startswith("GIT_") or k in keep}
    env["GIT_TERMINAL_PROMPT"] = "0"  # a private repo asks no password: it fails
    return env


@dataclass
class Runner:
    """Runs install commands: tree-killed on cancel, output kept for the error."""

    env: Mapping[str, str]
    cancel: threading.Event = field(default_factory=threading.Event)

    def __call__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None
    ) -> None:
        try:
            result = run_process(
                argv,
                cwd=str(cwd),
                env=self.env if env is None else env,
                timeout=INSTALL_TIMEOUT,
                cancel=self.cancel,
            )
        except ExecutableNotFound as exc:
            raise InstallError(f"`{_quote(argv)}` cannot start: {exc}") from None
        if result.returncode == 0:
            return
        if result.timed_out:
            why = f"did not finish in {INSTALL_TIMEOUT:.0f} s"
        elif self.cancel.is_set():
            why = "was stopped (the run was interrupted)"
        else:
            why = f"exited with {result.returncode}"
        raise InstallError(f"`{_quote(argv)}` {why}:\n{tail(result.output)}")


def tail(output: bytes, lines: int = _TAIL_LINES) -> str:
    text = output.decode("utf-8", errors="replace").rstrip().splitlines()
    cut = text[-lines:]
    return "\n".join((["..."] if len(text) > lines else []) + cut) or "(no output)"


def _quote(argv: Sequence[str]) -> str:
    import shlex

    return shlex.join(argv)


class Store:
    """Hook repos and environments on disk, shared safely between processes."""

    def __init__(
        self, root: Path, runner: Runner, on_wait: Callable[[str], None] = lambda name: None
    ) -> None:
        self.root = root
        self.run = runner
        self.on_wait = on_wait  # called with an entry's name when another process holds it

    @contextlib.contextmanager
    def _locked(self, name: str) -> Iterator[None]:
        locks = self.root / "locks"
        locks.mkdir(parents=True, exist_ok=True)
        with open(locks / f"{name}.lock", "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.on_wait(name)  # another process builds it: say why this run waits
                fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def repo(self, url: str, rev: str, on_build: Callable[[], None] = lambda: None) -> Path:
        """The clone of ``url`` at ``rev``, made on first use."""
        name = f"repo-{digest(url, rev)}"
        final = self.root / "repos" / name
        if final.is_dir():
            return final
        with self._locked(name):
            if final.is_dir():  # another process made it while we waited
                return final
            on_build()
            final.parent.mkdir(parents=True, exist_ok=True)
            _remove_leftovers(final.parent, name)
            work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=final.parent))
            try:
                self._clone(url, rev, work)
                (work / ".git" / "hookrun-source.json").write_text(
                    json.dumps({"repo": url, "rev": rev})
                )
                os.rename(work, final)
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
        return final

    def _clone(self, url: str, rev: str, work: Path) -> None:
        env = clean_git_env(self.run.env)
        self.run(("git", "init", "-q", str(work)), cwd=work, env=env)
        self.run(("git", "remote", "add", "origin", url), cwd=work, env=env)
        try:  # shallow: only the rev's tree, as pre-commit does first
            self.run(("git", "fetch", "-q", "--depth=1", "origin", rev), cwd=work, env=env)
            self.run(
                ("git", "-c", "advice.detachedHead=false", "checkout", "-q", "FETCH_HEAD"),
                cwd=work,
                env=env,
            )
        except InstallError:
            # e.g. a sha that the server will not serve by itself: fetch everything
            self.run(("git", "fetch", "-q", "--tags", "origin"), cwd=work, env=env)
            self.run(
                ("git", "-c", "advice.detachedHead=false", "checkout", "-q", rev), cwd=work, env=env
            )
        if (work / ".gitmodules").exists():
            self.run(
                ("git", "submodule", "update", "-q", "--init", "--recursive", "--depth=1"),
                cwd=work,
                env=env,
            )

    def environment(
        self, name: str, build: Callable[[Path], None], on_build: Callable[[], None] = lambda: None
    ) -> Path:
        """The environment ``name``, built by ``build(path)`` on first use."""
        final = self.root / "envs" / name
        if (final / COMPLETE).exists():
            return final
        with self._locked(name):
            if (final / COMPLETE).exists():
                return final
            on_build()
            if final.exists():  # a build that was killed half-way: never used, rebuilt
                shutil.rmtree(final)
            final.mkdir(parents=True)
            try:
                build(final)
                (final / COMPLETE).write_text("")
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)
                raise
        return final


def _remove_leftovers(parent: Path, name: str) -> None:
    """Temporary clones of ``name`` from killed runs (we hold its lock: none is live)."""
    for entry in parent.glob(f".{name}-*"):
        shutil.rmtree(entry, ignore_errors=True)
