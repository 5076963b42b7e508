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
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

try:
    from re import _parser as _sre  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # Python 3.10
    import sre_parse as _sre

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


#: files up to this size are read whole when the pattern has a needle; larger ones
#: are searched line by line as they are read
_WHOLE = 32 * 1024 * 1024


def needle(pattern: re.Pattern[bytes]) -> bytes | None:
    """Bytes every line that matches contains (lowercase when the pattern ignores case):
    the longest run of plain characters at the pattern's top level, up to a newline
    (a line ends there). A file without it has no matching line, and in a file with it
    only the lines holding it can match, so they alone are searched; None: no such run.
    """
    try:
        parsed: Any = _sre.parse(pattern.pattern, pattern.flags)
    except Exception:  # an analysis only: the compiled pattern is valid anyway
        return None
    flags = parsed.state.flags
    if flags & re.LOCALE:
        return None  # the locale's case folding: not bytes.lower()
    items = list(parsed)
    while len(items) == 1 and items[0][0] == _sre.SUBPATTERN and not any(items[0][1][1:3]):
        items = list(items[0][1][3])  # one group around it all, with no flags of its own
    best = run = b""
    for op, value in [*items, (None, None)]:
        if op == _sre.LITERAL and value != 0x0A:
            run += bytes((value,))
            continue
        best = max(best, run, key=len)
        run = b""
    if not best:
        return None
    return best.lower() if flags & re.IGNORECASE else best


def _small(path: str) -> bytes | None:
    """The bytes of the file if it is no larger than ``_WHOLE``, else None. With the
    os calls: a third of ``open()``'s cost, which counts on 50,000 files."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        if size > _WHOLE:
            return None
        data = os.read(fd, size + 1)
        if len(data) <= size:
            return data  # a short read of a file: its end
        chunks = [data]  # it grew since the fstat
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _by_line(
    pattern: re.Pattern[bytes], filename: str, path: str, write: Write, wanted: bytes | None
) -> int:
    lines = _lines_holding(pattern, path, wanted)
    if lines is not None:
        return _report(pattern, filename, lines, write)
    with open(path, "rb") as f:
        return _report(pattern, filename, enumerate(f, start=1), write)


def _lines_holding(
    pattern: re.Pattern[bytes], path: str, wanted: bytes | None
) -> list[tuple[int, bytes]] | None:
    """The lines of the file that may match (those holding ``wanted``), or None: every
    line is to be searched (no needle, or a file larger than ``_WHOLE``)."""
    if wanted is None:
        return None
    contents = _small(path)
    if contents is None:
        return None
    return _holding(contents, wanted, bool(pattern.flags & re.IGNORECASE))


def _report(
    pattern: re.Pattern[bytes], filename: str, lines: Iterable[tuple[int, bytes]], write: Write
) -> int:
    found = 0
    for number, line in lines:
        if pattern.search(line):
            found = 1
            write(f"{filename}:{number}:".encode() + line.rstrip(b"\r\n") + b"\n")
    return found


def _holding(contents: bytes, wanted: bytes, fold: bool) -> list[tuple[int, bytes]]:
    """(number, line) of each line of ``contents`` holding ``wanted`` (lines end at
    b"\\n", as a file's iteration splits them); ``fold``: in lowercase."""
    haystack = contents.lower() if fold else contents
    lines: list[tuple[int, bytes]] = []
    number, counted = 1, 0
    at = haystack.find(wanted)
    while at >= 0:
        start = haystack.rfind(b"\n", 0, at) + 1
        end = haystack.find(b"\n", at)
        end = len(contents) if end < 0 else end + 1
        number += haystack.count(b"\n", counted, start)
        counted = start
        lines.append((number, contents[start:end]))
        at = haystack.find(wanted, end)
    return lines


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
    pattern: re.Pattern[bytes],
    filename: str,
    path: str,
    write: Write,
    *,
    multiline: bool,
    wanted: bytes | None,
) -> int:
    lines = None if multiline else _lines_holding(pattern, path, wanted)
    if lines is not None:
        found = any(pattern.search(line) for _, line in lines)
    else:
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
    wanted = None if args.multiline else needle(pattern)
    for filename in filenames:
        path = os.path.join(cwd, filename)
        if args.negate:
            status |= _negated(
                pattern, filename, path, write, multiline=args.multiline, wanted=wanted
            )
        elif args.multiline:
            status |= _at_once(pattern, filename, path, write)
        else:
            status |= _by_line(pattern, filename, path, write, wanted)
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
