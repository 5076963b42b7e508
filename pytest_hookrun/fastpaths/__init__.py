"""In-process versions of the most used pre-commit/pre-commit-hooks hooks.

Each of those hooks starts a Python interpreter per batch (about 0.1 s) to do a few
microseconds of work per file. These fast paths do the same work in the pytest process,
with the same argument parsing, output, exit status and file writes as the console
script (``tests/test_fastpaths.py`` runs both on the same files and requires identical
results).

Which hooks: the hook ids of pre-commit/pre-commit-hooks counted over the 133 configs of
``shared/corpus/precommit-configs`` (112 of them use the repo)::

    99 trailing-whitespace       46 check-case-conflict   19 check-executables-have-shebangs
    97 end-of-file-fixer         43 debug-statements      17 check-ast
    76 check-yaml                34 check-added-large-files   16 check-symlinks
    52 check-toml                33 mixed-line-ending     14 requirements-txt-fixer
    52 check-merge-conflict      30 check-json            11 fix-byte-order-marker, ...

Implemented: the eleven above check-executables-have-shebangs, plus fix-byte-order-marker
(keyed by their manifest ``entry``, see ``ENTRIES``).

When a fast path is used: ``fast_path_for`` identifies the clone by content, not URL: its
``setup.cfg`` names ``pre_commit_hooks`` at a version of ``SUPPORTED_VERSIONS`` and the
hook's module (and ``util.py`` where it is used) is byte for byte that release's. Beyond
that, the hook must run with this process's interpreter (``language_version: default``,
which is how the runner builds the environment): argparse's messages, ``json``'s errors,
``tomllib`` and ``ast`` come from the running Python. check-yaml also needs ruamel.yaml
0.19 importable here (pre-commit-hooks' one dependency, what its environment installs
today); check-toml needs Python 3.11+ (tomllib).

What a fast path cannot reproduce it does not guess: a file the real hook would crash on
(missing, unreadable, undecodable where the hook decodes), a file ``debug-statements``
cannot parse (its message is a traceback through the installed hook), a ruamel.yaml
warning, non-ASCII output to a non-UTF-8 stdout. The call then raises
:class:`FastPathError` with every file as it found it, and the runner runs the real hook.
It never raises anything else but ``BaseException``\\ s such as ``KeyboardInterrupt``.

Known difference: check-added-large-files prints its over-size files in the order they
were given; the real hook prints them in the order of a Python set, which hash
randomization changes from one run to the next.

Thread safety: a fast path keeps no state between calls and never changes the process
(no chdir, no global streams): batches may run in several threads at once.
"""

from __future__ import annotations

import configparser
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, NamedTuple, Protocol

from . import hooks
from ._base import FastHook, FastPathError, Impl

__all__ = ["ENTRIES", "SUPPORTED_VERSIONS", "FastPath", "FastPathError", "fast_path_for"]


class FastPath(Protocol):
    """A hook's console script, run in-process."""

    def __call__(self, args: Sequence[str], files: Sequence[str], cwd: Path) -> tuple[int, bytes]:
        """Run on ``files`` (relative to ``cwd``) with the hook's ``args``.

        Returns the exit status and stdout and stderr merged as in one pipe; raises
        :class:`FastPathError` (files untouched) when the real hook must run instead.
        """
        ...


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


class _Entry(NamedTuple):
    module: str  # pre_commit_hooks/<module>.py
    imports: tuple[str, ...]  # the modules of the repo it imports
    impl: Callable[[str], Impl]  # the implementation for a version
    usable: Callable[[], bool]  # whether this process has what it needs


def _same(impl: Impl) -> Callable[[str], Impl]:
    return lambda version: impl


def _always() -> bool:
    return True


# by entry: the manifest's, which is the console script's name (debug-statements's is
# debug-statement-hook, trailing-whitespace's trailing-whitespace-fixer)
ENTRIES: Final[dict[str, _Entry]] = {
    "trailing-whitespace-fixer": _Entry(
        "trailing_whitespace_fixer", (), _same(hooks.trailing_whitespace_fixer), _always
    ),
    "end-of-file-fixer": _Entry("end_of_file_fixer", (), _same(hooks.end_of_file_fixer), _always),
    "check-yaml": _Entry("check_yaml", (), hooks.check_yaml, hooks.yaml_supported),
    "check-toml": _Entry("check_toml", (), _same(hooks.check_toml), hooks.toml_supported),
    "check-merge-conflict": _Entry(
        "check_merge_conflict", ("util",), _same(hooks.check_merge_conflict), _always
    ),
    "check-case-conflict": _Entry(
        "check_case_conflict", ("util",), _same(hooks.check_case_conflict), _always
    ),
    "debug-statement-hook": _Entry("debug_statement_hook", (), hooks.debug_statement_hook, _always),
    "check-added-large-files": _Entry(
        "check_added_large_files", ("util",), _same(hooks.check_added_large_files), _always
    ),
    "mixed-line-ending": _Entry("mixed_line_ending", (), _same(hooks.mixed_line_ending), _always),
    "check-json": _Entry("check_json", (), _same(hooks.check_json), _always),
    "fix-byte-order-marker": _Entry(
        "fix_byte_order_marker", (), _same(hooks.fix_byte_order_marker), _always
    ),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()[:16]


def _version_of(source: Path) -> str | None:
    """The version ``source/setup.cfg`` gives, if it is pre_commit_hooks' setup.cfg."""
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read_string((source / "setup.cfg").read_text(encoding="utf-8"))
    if cfg.get("metadata", "name", fallback=None) != "pre_commit_hooks":
        return None
    return cfg.get("metadata", "version", fallback=None)


def fast_path_for(entry: str, source: Path | None) -> FastPath | None:
    """The in-process version of ``entry`` (the manifest's entry, e.g. "trailing-whitespace-fixer"),
    when ``source`` (the clone of the hook repo) is pre-commit-hooks at a version we match.

    None when there is none: another entry, another repo, another version, a modified
    module, or this process lacks what the hook would use. Never raises.
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
        if not found.usable():
            return None
        return FastHook(entry, version, found.impl(version))
    except Exception:  # an unreadable or strange clone: the real hook will do
        return None
