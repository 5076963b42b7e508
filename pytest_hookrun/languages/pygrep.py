"""``language: pygrep``: a grep over file contents with Python regexes; a match is a failure.

Run as ``python -m pytest_hookrun.languages.pygrep [-i] [--multiline] [--negate] PATTERN FILE...``;
the flags and output lines are pre-commit's, so hooks written for it behave the same.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence


def _write(text: bytes) -> None:
    sys.stdout.buffer.write(text)


def _by_line(pattern: re.Pattern[bytes], filename: str) -> int:
    found = 0
    with open(filename, "rb") as f:
        for number, line in enumerate(f, start=1):
            if pattern.search(line):
                found = 1
                _write(f"{filename}:{number}:".encode() + line.rstrip(b"\r\n") + b"\n")
    return found


def _at_once(pattern: re.Pattern[bytes], filename: str) -> int:
    with open(filename, "rb") as f:
        contents = f.read()
    match = pattern.search(contents)
    if not match:
        return 0
    number = contents[: match.start()].count(b"\n")
    lines = match[0].split(b"\n")
    lines[0] = contents.split(b"\n")[number]
    _write(f"{filename}:{number + 1}:".encode() + b"\n".join(lines) + b"\n")
    return 1


def _negated(pattern: re.Pattern[bytes], filename: str, *, multiline: bool) -> int:
    with open(filename, "rb") as f:
        found = bool(pattern.search(f.read())) if multiline else any(map(pattern.search, f))
    if found:
        return 0
    _write(filename.encode() + b"\n")
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="grep with Python regexes; a match fails.")
    parser.add_argument("-i", "--ignore-case", action="store_true")
    parser.add_argument("--multiline", action="store_true")
    parser.add_argument("--negate", action="store_true")
    parser.add_argument("pattern")
    parser.add_argument("filenames", nargs="*")
    args = parser.parse_args(argv)
    flags = re.IGNORECASE if args.ignore_case else 0
    if args.multiline:
        flags |= re.MULTILINE | re.DOTALL
    try:
        pattern = re.compile(args.pattern.encode(), flags)
    except re.error as exc:
        print(f"invalid pygrep pattern {args.pattern!r}: {exc}", file=sys.stderr)
        return 2
    status = 0
    for filename in args.filenames:
        if args.negate:
            status |= _negated(pattern, filename, multiline=args.multiline)
        elif args.multiline:
            status |= _at_once(pattern, filename)
        else:
            status |= _by_line(pattern, filename)
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
