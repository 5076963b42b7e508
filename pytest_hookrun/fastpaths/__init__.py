"""In-process versions of the most used pre-commit/pre-commit-hooks hooks.

Each of those hooks starts a Python interpreter per batch (about 0.1 s) to do a few
microseconds of work per file. These fast paths do the same work in the pytest process,
with the same argument parsing, output, exit status and file writes as the console
script (``tests/test_fastpaths.py`` runs both on the same files and requires identical
results).

Which hooks: the ids of pre-commit/pre-commit-hooks hooks counted over the 133 configs of
``shared/corpus/precommit-configs`` (112 use the repo)::

    99 trailing-whitespace *       34 check-added-large-files *   13 check-docstring-first
    97 end-of-file-fixer *         33 mixed-line-ending *         12 detect-private-key
    76 check-yaml *                30 check-json *                11 no-commit-to-branch
    52 check-toml *                19 check-executables-have-shebangs    11 fix-byte-order-marker *
    52 check-merge-conflict *      17 check-ast                   10 check-builtin-literals
    46 check-case-conflict *       16 check-symlinks              ... 16 more, 9 or fewer each
    43 debug-statements *          14 requirements-txt-fixer

``*``: implemented, keyed by the manifest's ``entry`` (its console script: ``ENTRIES``):
the ten most used, all pure checks or fixes of files (three ask git what it tracks,
stages or merges, as the originals do), and fix-byte-order-marker, which the issue names.

When a fast path is offered: ``fast_path_for`` identifies the clone by content, not URL:
its ``setup.cfg`` names ``pre_commit_hooks`` at a version of ``SUPPORTED_VERSIONS`` and
the hook's module (and ``util.py`` where it is imported) is byte for byte that release's.
The caller must also run the hook with this process's interpreter (``language_version:
default``, which builds the environment from it): argparse's messages, ``json``'s and
``tomllib``'s errors and ``ast`` are this Python's. check-yaml needs ruamel.yaml 0.19
(the release pre-commit-hooks installs today) importable here; check-toml, Python 3.11+
(tomllib). Console details come from this process's environment, which the hook's
inherits: ``COLUMNS`` (argparse's wrapping), ``PYTHONUNBUFFERED`` (the order of stdout
and stderr in the pipe), the locale (the encoding of non-ASCII output).

:class:`FastPathError` (with every file as it was: writes are rolled back) means "run the
real hook instead". It is raised where the real hook would die with a traceback, since
its frames name files of the hook's environment: a missing, unreadable or unwritable
file, git failing (not a repository), undecodable text where the hook decodes
(fix-byte-order-marker, check-yaml, check-toml), a recursion limit. It is also raised for
debug-statements on a file that does not parse (the hook prints the traceback as its
message) or that the parser warns of (:mod:`pytest_hookrun.parsewarnings`), for
check-yaml where ruamel.yaml would print a warning (a duplicate anchor, a float in a
``%YAML 1.1`` document), and for non-ASCII output unless stdout is UTF-8.
Nothing else is raised but a ``BaseException`` such as ``KeyboardInterrupt``.

Known difference: check-added-large-files prints its over-size files in the order they
were given; the real hook prints them in the order of a Python set, which hash
randomization changes from one run to the next.

Thread safety: a fast path keeps no state between calls and never changes the process
(no chdir, no global streams, no warnings filters: the one the parser's warnings need is
set by the plugin and the helper): batches may run in threads at once.
"""

from __future__ import annotations

import configparser
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Final, NamedTuple, Protocol

from ..languages import InProcessRun
from . import hooks
from ._base import FastHook, FastPathError, Impl

__all__ = ["ENTRIES", "SUPPORTED_VERSIONS", "FastPath", "FastPathError", "fast_path_for"]


class FastPath(InProcessRun, Protocol):
    """A hook's console script, run in-process: called as the runner calls any
    in-process hook; raises :class:`FastPathError` (files untouched) when the real hook
    must run instead."""

    @property
    def ns_per_byte(self) -> float:
        """Its CPU cost per byte of input."""

    @property
    def entry(self) -> str:
        """The console script it stands for."""

    @property
    def version(self) -> str:
        """The pre-commit-hooks release it matches."""

    @property
    def in_helper(self) -> bool:
        """Whether a helper process can run it (:mod:`.helper`)."""


# Every release whose hook modules were compared, source to source, with 6.0.0's: they
# differ only in imports and type hints, except where hooks.py takes a `version`
# (check-yaml's --unsafe help, debug-statements' bpdb in 4.5.0+).
SUPPORTED_VERSIONS: Final = ("4.3.0", "4.4.0", "4.5.0", "4.6.0", "5.0.0", "6.0.0")

# sha256 (first 16 hex digits, CRLF read as LF) of pre_commit_hooks/<module>.py per release
_SOURCES: Final[dict[str, dict[str, str]]] = {
    "4.3.0": {
        "util": "437393a3c1afcbb9",
        "trailing_whitespace_fixer": "4c8910f80a6a03b0",
        "end_of_file_fixer": "a3eed403eefcbe95",
        "check_yaml": "5c72b0b4703cbda7",
        "check_toml": "c06badc03d71374a",
        "check_json": "af7296cf93004d86",
        "check_merge_conflict": "84338080598a9af1",
        "check_case_conflict": "35311a339448578f",
        "debug_statement_hook": "ed18456b9beb22f8",
        "check_added_large_files": "3bf94a232b73fbdd",
        "mixed_line_ending": "c544f969bbf0535b",
        "fix_byte_order_marker": "7fc58cd7bea6e5e8",
    },
    "4.4.0": {
        "util": "437393a3c1afcbb9",
        "trailing_whitespace_fixer": "4c8910f80a6a03b0",
        "end_of_file_fixer": "a3eed403eefcbe95",
        "check_yaml": "5c72b0b4703cbda7",
        "check_toml": "c06badc03d71374a",
        "check_json": "af7296cf93004d86",
        "check_merge_conflict": "84338080598a9af1",
        "check_case_conflict": "35311a339448578f",
        "debug_statement_hook": "ed18456b9beb22f8",
        "check_added_large_files": "3bf94a232b73fbdd",
        "mixed_line_ending": "c544f969bbf0535b",
        "fix_byte_order_marker": "7fc58cd7bea6e5e8",
    },
    "4.5.0": {
        "util": "437393a3c1afcbb9",
        "trailing_whitespace_fixer": "4c8910f80a6a03b0",
        "end_of_file_fixer": "a3eed403eefcbe95",
        "check_yaml": "9b95e0ce83f5dc1e",
        "check_toml": "c06badc03d71374a",
        "check_json": "af7296cf93004d86",
        "check_merge_conflict": "84338080598a9af1",
        "check_case_conflict": "35311a339448578f",
        "debug_statement_hook": "043d92cfb66c409e",
        "check_added_large_files": "69d2e2b9039f012f",
        "mixed_line_ending": "c544f969bbf0535b",
        "fix_byte_order_marker": "7fc58cd7bea6e5e8",
    },
    "4.6.0": {
        "util": "437393a3c1afcbb9",
        "trailing_whitespace_fixer": "4c8910f80a6a03b0",
        "end_of_file_fixer": "a3eed403eefcbe95",
        "check_yaml": "9b95e0ce83f5dc1e",
        "check_toml": "c06badc03d71374a",
        "check_json": "af7296cf93004d86",
        "check_merge_conflict": "84338080598a9af1",
        "check_case_conflict": "35311a339448578f",
        "debug_statement_hook": "043d92cfb66c409e",
        "check_added_large_files": "69d2e2b9039f012f",
        "mixed_line_ending": "c544f969bbf0535b",
        "fix_byte_order_marker": "7fc58cd7bea6e5e8",
    },
    "5.0.0": {
        "util": "437393a3c1afcbb9",
        "trailing_whitespace_fixer": "4c8910f80a6a03b0",
        "end_of_file_fixer": "a3eed403eefcbe95",
        "check_yaml": "f3ef4ee3cb125a42",
        "check_toml": "c06badc03d71374a",
        "check_json": "af7296cf93004d86",
        "check_merge_conflict": "84338080598a9af1",
        "check_case_conflict": "35311a339448578f",
        "debug_statement_hook": "043d92cfb66c409e",
        "check_added_large_files": "69d2e2b9039f012f",
        "mixed_line_ending": "c544f969bbf0535b",
        "fix_byte_order_marker": "7fc58cd7bea6e5e8",
    },
    "6.0.0": {
        "util": "437393a3c1afcbb9",
        "trailing_whitespace_fixer": "21b314ca2e622ec9",
        "end_of_file_fixer": "ab6eef7888529efb",
        "check_yaml": "1900f07014e7ab79",
        "check_toml": "ebf5665abe3a112e",
        "check_json": "bec2e3a0e14bf652",
        "check_merge_conflict": "505c8e6175aecf58",
        "check_case_conflict": "79499608586ed93c",
        "debug_statement_hook": "52ed036c6590acad",
        "check_added_large_files": "f69267ea0bca33e9",
        "mixed_line_ending": "534695fa5bcb0c26",
        "fix_byte_order_marker": "aee22bea736c9b12",
    },
}


class Entry(NamedTuple):
    """How one entry is implemented, and what it needs."""

    module: str  # pre_commit_hooks/<module>.py
    imports: tuple[str, ...]  # the modules of the repo it imports
    impl: Callable[[str], Impl]  # the implementation for a version
    usable: Callable[[], bool]  # whether this process has what it needs
    # CPU per byte of input, measured on generated files: the pure-Python parsers are
    # slow enough that the real hook's processes on every core beat this process's GIL
    ns_per_byte: float = 0.0
    # whether the run's helper process (pytest_hookrun.helper: no site-packages) can run it
    in_helper: bool = True


def _same(impl: Impl) -> Callable[[str], Impl]:
    return lambda version: impl


def _always() -> bool:
    return True


# by entry: the manifest's, which is the console script's name (debug-statements's is
# debug-statement-hook, trailing-whitespace's trailing-whitespace-fixer)
ENTRIES: Final[dict[str, Entry]] = {
    "trailing-whitespace-fixer": Entry(
        "trailing_whitespace_fixer", (), _same(hooks.trailing_whitespace_fixer), _always
    ),
    "end-of-file-fixer": Entry("end_of_file_fixer", (), _same(hooks.end_of_file_fixer), _always),
    "check-yaml": Entry(  # (ruamel.yaml is in site-packages)
        "check_yaml", (), hooks.check_yaml, hooks.yaml_supported, 6500, in_helper=False
    ),
    "check-toml": Entry("check_toml", (), _same(hooks.check_toml), hooks.toml_supported, 400),
    "check-merge-conflict": Entry(
        "check_merge_conflict", ("util",), _same(hooks.check_merge_conflict), _always
    ),
    "check-case-conflict": Entry(
        "check_case_conflict", ("util",), _same(hooks.check_case_conflict), _always
    ),
    # (420 while it walked every tree; a file that names no debugger is now only parsed)
    "debug-statement-hook": Entry(
        "debug_statement_hook", (), hooks.debug_statement_hook, _always, 230
    ),
    "check-added-large-files": Entry(
        "check_added_large_files", ("util",), _same(hooks.check_added_large_files), _always
    ),
    "mixed-line-ending": Entry("mixed_line_ending", (), _same(hooks.mixed_line_ending), _always),
    "check-json": Entry("check_json", (), _same(hooks.check_json), _always),
    "fix-byte-order-marker": Entry(
        "fix_byte_order_marker", (), _same(hooks.fix_byte_order_marker), _always
    ),
}


def _stat_key(path: Path) -> tuple[str, int, int, int]:
    st = path.stat()
    return str(path), st.st_size, st.st_mtime_ns, st.st_ino


def _digest(path: Path) -> str:
    return _digest_of(_stat_key(path))


@functools.lru_cache(maxsize=256)
def _digest_of(key: tuple[str, int, int, int]) -> str:
    """Once per file as it is (every hook of a repo checks the same modules)."""
    data = Path(key[0]).read_bytes()
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()[:16]


def _version_of(source: Path) -> str | None:
    """The version ``source/setup.cfg`` gives, if it is pre_commit_hooks' setup.cfg."""
    return _version_in(_stat_key(source / "setup.cfg"))


@functools.lru_cache(maxsize=64)
def _version_in(key: tuple[str, int, int, int]) -> str | None:
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read_string(Path(key[0]).read_text(encoding="utf-8"))
    if cfg.get("metadata", "name", fallback=None) != "pre_commit_hooks":
        return None
    return cfg.get("metadata", "version", fallback=None)


def fast_path_for(entry: str, source: Path | None) -> FastPath | None:
    """The in-process version of ``entry`` (the manifest's entry, e.g. "trailing-whitespace-fixer"),
    when ``source`` (the clone of the hook repo) is pre-commit-hooks at a version we match.

    None when there is none: another entry, another repo, another version, a modified
    module. Never raises. Whether this process has what the hook would use is asked
    when a batch runs (the real hook runs when it has not).
    """
    try:
        found = ENTRIES.get(entry)
        if found is None or source is None:
            return None
        version = _version_of(Path(source))
        if version not in _SOURCES:
            return None
        expected = _SOURCES[version]
        for name in (found.module, *found.imports):
            if _digest(Path(source) / "pre_commit_hooks" / f"{name}.py") != expected[name]:
                return None
        impl = found.impl(version)
        return FastHook(entry, version, impl, found.usable, found.ns_per_byte, found.in_helper)
    except Exception:  # an unreadable or strange clone: the real hook will do
        return None
