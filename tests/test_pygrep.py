"""pygrep's search: the lines it reports are those a plain line-by-line search reports.

The in-process grep looks only at the lines that hold the pattern's plain run of
characters (its needle); the reference is pre-commit's loop, every line searched.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pytest_hookrun.languages import pygrep

PIECES = [
    "a",
    "b",
    "ab",
    "A",
    " ",
    "#",
    r"\(",
    "bab",
    "^",
    "$",
    r"\A",
    r"\Z",
    r"\b",
    r"\B",
    "[ab]",
    ".",
    r"\s",
    r"\n",
    r"\r",
    "(a|b)",
    "(ab)",
    "a*",
    "b+",
    "a?",
    "(?=a)",
    "(?!b)",
    "(?<=a)",
    "(?<!\\s)",
    "(?i:a)",
]
patterns = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join)
contents = st.lists(st.sampled_from([b"a", b"A", b"b", b" ", b"#", b"(", b"\n", b"\r", b"\0"]))


def _reference(pattern: re.Pattern[bytes], name: str, data: bytes) -> tuple[int, bytes]:
    """pre-commit's pygrep without --multiline: every line searched, in file order."""
    out = b""
    for number, line in enumerate(io.BytesIO(data), start=1):
        if pattern.search(line):
            out += f"{name}:{number}:".encode() + line.rstrip(b"\r\n") + b"\n"
    return int(bool(out)), out


@settings(max_examples=400, deadline=None)
@given(patterns, st.booleans(), st.lists(contents.map(b"".join), min_size=1, max_size=3))
def test_the_needle_finds_every_line_a_full_search_finds(
    tmp_path_factory: pytest.TempPathFactory, text: str, ignore_case: bool, files: list[bytes]
) -> None:
    flags = re.IGNORECASE if ignore_case else 0
    try:
        pattern = re.compile(text.encode(), flags)
    except re.error:
        assume(False)
        raise
    root = tmp_path_factory.mktemp("grep")
    names = []
    expected_code, expected = 0, b""
    for number, data in enumerate(files):
        name = f"f{number}.txt"
        (root / name).write_bytes(data)
        names.append(name)
        code, out = _reference(pattern, name, data)
        expected_code |= code
        expected += out
    args = ["-i", text] if ignore_case else [text]
    assert pygrep.run(args, names, root) == (expected_code, expected)
    # --negate: a file fails when no line matches
    negated = b"".join(
        f"{name}\n".encode()
        for name, data in zip(names, files, strict=True)
        if not _reference(pattern, name, data)[0]
    )
    assert pygrep.run(["--negate", *args], names, root) == (int(bool(negated)), negated)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (r"breakpoint\(", b"breakpoint("),
        ("^<<<<<<< ", b"<<<<<<< "),
        ("(?i)# noqa(?!: )", b"# noqa"),
        ("(?i)TODO", b"todo"),
        ("(x(y)z)", b"x"),  # inner groups end a run
        ("(xyz)", b"xyz"),  # one group around it all
        (r"ab\ncd", b"ab"),  # a line ends at its newline
        ("a|bc", None),
        ("x+", None),
        (r"x\d+abc", b"abc"),
    ],
)
def test_the_needle_is_the_longest_plain_run(text: str, needle: bytes | None) -> None:
    assert pygrep.needle(re.compile(text.encode())) == needle


def test_a_large_file_is_searched_as_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the size read whole, lines are searched as they come: the same report."""
    data = b"x\nbreakpoint()\n" * 3
    (tmp_path / "big.py").write_bytes(data)
    expected = (1, b"".join(f"big.py:{n}:breakpoint()\n".encode() for n in (2, 4, 6)))
    assert pygrep.run([r"breakpoint\("], ["big.py"], tmp_path) == expected
    monkeypatch.setattr(pygrep, "_WHOLE", 8)
    assert pygrep.run([r"breakpoint\("], ["big.py"], tmp_path) == expected
