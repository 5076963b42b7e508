"""``language: pygrep``: a grep over file contents with Python regexes; a match is a failure.

The flags and output lines are pre-commit's, so hooks written for it behave the same.
It runs in the pytest process (:func:`run`, thread-safe: no global state); as
``python -m pytest_hookrun.languages.pygrep [-i] [--multiline] [--negate] PATTERN FILE...``
it is the fallback for arguments it cannot parse in-process (argparse's usage error).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..changes import Written

Write = Callable[[bytes], None]


class ArgumentsError(Exception):
    """Bad arguments: the subprocess form prints argparse's own message for them."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ArgumentsError(message)


def _parser(parser_class: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = parser_class(description="grep with Python regexes; a match fails.")
    parser.add_argument("-i", "--ignore-case", action="store_true")
    parser.add_argument("--multiline", action="store_true")
    parser.add_argument("--negate", action="store_true")
    parser.add_argument("pattern")
    parser.add_argument("filenames", nargs="*")
    return parser


def _by_line(pattern: re.Pattern[bytes], filename: str, path: str, write: Write) -> int:
    found = 0
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            if pattern.search(line):
                found = 1
                write(f"{filename}:{number}:".encode() + line.rstrip(b"\r\n") + b"\n")
    return found


def _at_once(pattern: re.Pattern[bytes], filename: str, path: str, write: Write) -> int:
    with open(path, "rb") as f:
        contents = f.read()
    match = pattern.search(contents)
    if not match:
        return 0
    number = contents[: match.start()].count(b"\n")
    lines = match[0].split(b"\n")
    lines[0] = contents.split(b"\n")[number]
    write(f"{filename}:{number + 1}:".encode() + b"\n".join(lines) + b"\n")
    return 1


def _negated(
    pattern: re.Pattern[bytes], filename: str, path: str, write: Write, *, multiline: bool
) -> int:
    with open(path, "rb") as f:
        found = bool(pattern.search(f.read())) if multiline else any(map(pattern.search, f))
    if found:
        return 0
    write(filename.encode() + b"\n")
    return 1


def _grep(args: argparse.Namespace, filenames: Sequence[str], cwd: str, write: Write) -> int:
    flags = re.IGNORECASE if args.ignore_case else 0
    if args.multiline:
        flags |= re.MULTILINE | re.DOTALL
    try:
        pattern = re.compile(args.pattern.encode(), flags)
    except re.error as exc:
        write(f"invalid pygrep pattern {args.pattern!r}: {exc}\n".encode())
        return 2
    status = 0
    for filename in filenames:
        path = os.path.join(cwd, filename)
        if args.negate:
            status |= _negated(pattern, filename, path, write, multiline=args.multiline)
        elif args.multiline:
            status |= _at_once(pattern, filename, path, write)
        else:
            status |= _by_line(pattern, filename, path, write)
    return status


def run(
    args: Sequence[str],
    files: Sequence[str],
    cwd: os.PathLike[str] | str,
    limit: int = 1_000_000,
    *,
    writes: list[Written] | None = None,
) -> tuple[int, bytes]:
    """In-process: ``args`` are the flags and the pattern. Raises ArgumentsError.
    It writes no file (``writes`` stays as it is).

    Output past ``limit`` bytes is dropped as it comes (one byte more is kept, so the
    caller sees it was cut): memory stays flat whatever the hook matches.
    """
    parsed = _parser(_Parser).parse_args([*args, "--", *files] if files else list(args))
    chunks: list[bytes] = []
    kept = 0

    def write(data: bytes) -> None:
        nonlocal kept
        if kept <= limit:
            chunks.append(data[: limit + 1 - kept])
            kept += len(chunks[-1])

    code = _grep(parsed, parsed.filenames, os.fspath(cwd), write)
    return code, b"".join(chunks)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser(argparse.ArgumentParser).parse_args(argv)

    def write(data: bytes) -> None:
        sys.stdout.buffer.write(data)

    status = _grep(args, args.filenames, os.getcwd(), write)
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
