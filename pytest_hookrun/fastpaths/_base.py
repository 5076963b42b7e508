"""What every fast path shares: the console it prints to, argparse, files it may roll back, git.

A fast path replaces a process, so it reproduces what that process shows: what it prints
(``print`` to a block-buffered stdout, argparse's usage and errors to stderr, both into
one pipe), its exit status and its writes. Anything it cannot reproduce exactly (a
traceback, a warning, output in an encoding we cannot be sure of) becomes a
:class:`FastPathError`, after the files it changed are put back, so that the runner can run
the real hook on untouched files instead.
"""

from __future__ import annotations

import argparse
import codecs
import locale
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from ..changes import Written

# The size of a block-buffered stdout: past it, stdout may have been flushed before a later
# stderr write, and we no longer know the order the two landed in the shared pipe.
_STDOUT_BUFFER = 8192


class FastPathError(Exception):
    """The fast path cannot reproduce the real hook here: run the real hook instead.

    Raised only with every file as it was before the call (writes are rolled back).
    """


class _Exit(Exception):
    """argparse (or the hook) ended the program with this status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _columns() -> int:
    """The width ``shutil.get_terminal_size`` gives a hook whose stdout is a pipe."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    return columns if columns > 0 else 80


def _stdout_codec() -> str:
    """The encoding a child Python's piped stdout gets from this environment.

    Only an UTF-8 locale without ``PYTHONIOENCODING`` is trusted: every other setting
    makes non-ASCII output a fallback.
    """
    forced = os.environ.get("PYTHONIOENCODING", "")
    if forced:
        name, _, errors = forced.partition(":")
        if errors not in ("", "strict"):
            return "unknown"
        try:
            return codecs.lookup(name).name if name else "unknown"
        except LookupError:
            return "unknown"
    if sys.flags.utf8_mode:
        return "utf-8"
    try:
        return codecs.lookup(locale.getpreferredencoding(False)).name
    except LookupError:
        return "unknown"


class Console:
    """The stdout and stderr of one simulated run, merged as the runner's pipe would get them."""

    def __init__(self, prog: str) -> None:
        self.prog = prog
        self._out: list[str] = []
        self._err: list[str] = []
        self._out_size = 0
        self._unbuffered = bool(os.environ.get("PYTHONUNBUFFERED"))
        self._events: list[str] = []  # chronological, for an unbuffered stdout

    def print(self, text: str = "") -> None:
        """``print(text)`` to stdout."""
        self.write_out(text + "\n")

    def write_out(self, text: str) -> None:
        """Text written to stdout."""
        self._out.append(text)
        self._events.append(text)
        self._out_size += len(text)

    def write_err(self, text: str) -> None:
        """Text written to stderr (line-buffered, so it reaches the pipe at once)."""
        if self._out_size >= _STDOUT_BUFFER and not self._unbuffered:
            raise FastPathError("stdout may have been flushed before stderr")
        self._err.append(text)
        self._events.append(text)

    def parser(self, **kwargs: Any) -> _Parser:
        """An ``argparse.ArgumentParser()`` whose ``prog`` is the console script's name."""
        return _Parser(self, **kwargs)

    def output(self) -> bytes:
        """The bytes the pipe received.

        stdout is block-buffered and flushed at exit, stderr goes out at once: stderr comes
        first unless ``PYTHONUNBUFFERED`` makes both chronological.
        """
        text = "".join(self._events) if self._unbuffered else "".join(self._err + self._out)
        if text.isascii():
            return text.encode("ascii")
        codec = _stdout_codec()
        if codec != "utf-8":
            raise FastPathError(f"non-ASCII output to a {codec} stdout")
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as exc:  # undecodable file names: the real hook fails
            raise FastPathError("output the real hook could not encode") from exc


class _Parser(argparse.ArgumentParser):
    """argparse, printing into a :class:`Console` and raising :class:`_Exit` for ``sys.exit``."""

    def __init__(self, console: Console, **kwargs: Any) -> None:
        width = _columns() - 2  # as HelpFormatter computes it in the child
        formatter: Callable[..., argparse.HelpFormatter] = lambda prog, **kw: (  # noqa: E731
            argparse.HelpFormatter(prog, width=width, **kw)
        )
        super().__init__(prog=console.prog, formatter_class=formatter, **kwargs)
        self._console = console

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            if file is sys.stdout:
                self._console.write_out(message)
            else:
                self._console.write_err(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._console.write_err(message)
        raise _Exit(status)


class Files:
    """The files of one run, read relative to its cwd; every write can be rolled back."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self._written: list[tuple[str, bytes]] = []
        self.writes: list[Written] = []  # (name as given, old, new)

    def path(self, name: str) -> str:
        """Where ``name`` (relative to the hook's cwd, or absolute) is."""
        return os.path.join(self.cwd, name)

    def read(self, name: str, *, writable: bool = False) -> bytes:
        """The file's bytes; ``writable`` opens it ``rb+`` as a hook that may write does."""
        with open(self.path(name), "rb+" if writable else "rb") as f:
            return f.read()

    def write(self, name: str, old: bytes, new: bytes) -> None:
        """Replace the content ``old`` by ``new``, remembering ``old`` for a rollback."""
        path = self.path(name)
        self._written.append((path, old))
        self.writes.append((name, old, new))
        with open(path, "wb") as f:
            f.write(new)

    def rollback(self) -> None:
        """Put back every file this run wrote, last first."""
        for path, old in reversed(self._written):
            try:
                with open(path, "wb") as f:
                    f.write(old)
            except OSError:
                pass
        self._written.clear()
        self.writes.clear()


def git(cwd: Path, *args: str) -> str:
    """``cmd_output('git', ...)`` of pre_commit_hooks.util: stdout decoded, non-zero fails."""
    proc = subprocess.run(
        ("git", *args),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:  # the real hook dies with a traceback
        raise FastPathError(f"git {args[0]} failed")
    return proc.stdout.decode()


Impl = Callable[[Console, Files, Sequence[str]], int]


@dataclass(frozen=True)
class FastHook:
    """One hook's in-process implementation, callable as a :class:`FastPath`."""

    entry: str
    version: str
    impl: Impl
    # whether this process has what the hook uses (ruamel.yaml for check-yaml): asked
    # when a batch runs, not when the run is planned, so a cached hook imports nothing
    usable: Callable[[], bool] = lambda: True
    ns_per_byte: float = 0.0  # its CPU cost per byte of input (bench: 2-core machine)
    in_helper: bool = False  # whether the run's helper process can run it (helper.py)

    def __call__(
        self,
        args: Sequence[str],
        files: Sequence[str],
        cwd: Path,
        *,
        writes: list[Written] | None = None,
    ) -> tuple[int, bytes]:
        """Run the hook; ``writes`` gets every file write (name, old bytes, new bytes):
        the runner's account of what it changed, with no second read."""
        if not self.usable():
            raise FastPathError(f"{self.entry}: not usable in this process")
        console = Console(self.entry)
        fs = Files(Path(cwd))
        try:
            try:
                status = self.impl(console, fs, [*args, *files])
            except _Exit as exc:
                status = exc.status
            result = status, console.output()
            if writes is not None:
                writes.extend(fs.writes)
            return result
        except FastPathError:
            fs.rollback()
            raise
        except Exception as exc:  # a traceback in the real hook: never reproduced
            fs.rollback()
            raise FastPathError(f"{self.entry}: {type(exc).__name__}: {exc}") from exc
        except BaseException:
            fs.rollback()
            raise
