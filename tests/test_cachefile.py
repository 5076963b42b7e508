"""cachefile: plain data in a file of pytest's cache, written at once, read or absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_hookrun import cachefile

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(value=plain)
def test_what_is_written_is_read_back(
    tmp_path_factory: pytest.TempPathFactory, value: object
) -> None:
    path = tmp_path_factory.mktemp("c") / "d" / "entry"  # its directory is made
    assert cachefile.write(path, value)
    assert cachefile.read(path) == value
    assert os.listdir(path.parent) == ["entry"]  # no temporary file left


@pytest.mark.parametrize("content", [b"", b"\x00garbage", b'{"format": 1}'])
def test_an_unreadable_file_counts_as_absent(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "entry"
    path.write_bytes(content)
    assert cachefile.read(path) is None
    assert cachefile.read(tmp_path / "missing") is None


def test_a_file_that_cannot_be_written_is_no_cache(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    assert not cachefile.write(tmp_path / "a-file" / "entry", {"x": 1})  # not a directory
    assert not cachefile.write(tmp_path / "entry", {"x": object()})  # not plain data
    assert not (tmp_path / "entry").exists()


def test_a_rewrite_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "entry"
    assert cachefile.write(path, {"n": list(range(1000))})
    before = path.stat().st_ino
    assert cachefile.write(path, {"n": 1})
    assert cachefile.read(path) == {"n": 1}
    assert path.stat().st_ino != before  # a new file renamed over the old one
