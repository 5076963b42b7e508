"""pytest_hookrun.changes: what a hook changed, and the diff people read."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pytest_hookrun.changes import ContentCache, diff_text, written_changes

BIG = 10**9


def test_diff_text_of_each_kind_of_change() -> None:
    text = diff_text(
        [
            ("a.txt", b"one\ntwo\n", b"one\n2\n"),
            ("new.txt", "missing", b"x\n"),
            ("gone.txt", b"x\n", "missing"),
            ("blob.bin", b"\0\1", b"\0\2"),
            ("large.txt", None, b"kept after only\n"),
        ]
    )
    assert text.splitlines() == [
        "--- a/a.txt",
        "+++ b/a.txt",
        "@@ -1,2 +1,2 @@",
        " one",
        "-two",
        "+2",
        "new.txt: created",
        "gone.txt: deleted",
        "Binary or large file blob.bin changed",
        "Binary or large file large.txt changed",
    ]


def test_a_line_without_newline_still_ends_its_line() -> None:
    assert diff_text([("a", b"x", b"y")]).endswith("-x\n+y\n")


texts = st.binary(max_size=60).map(lambda b: b.replace(b"\0", b"."))
pairs = st.lists(
    st.tuples(st.from_regex(r"[a-z]{1,8}\.txt", fullmatch=True), texts, texts), max_size=12
)


@given(pairs, st.integers(min_value=0, max_value=400))
def test_a_cut_diff_is_the_head_of_the_whole_one(
    changes: list[tuple[str, bytes, bytes]], limit: int
) -> None:
    """Files past the limit are not diffed at all, and the text is the same."""
    whole = diff_text(changes, limit=BIG)
    cut = diff_text(changes, limit=limit)
    if len(whole) <= limit:
        assert cut == whole
    else:
        assert cut == whole[:limit] + f"\n... diff cut at {limit} characters\n"


def test_written_changes_keep_the_first_before_and_the_last_after() -> None:
    writes = [
        ("a", b"1", b"2"),
        ("b", b"x", b"y"),
        ("a", b"2", b"3"),
        ("c", b"same", b"other"),
        ("c", b"other", b"same"),  # put back: no change
    ]
    assert written_changes(writes) == [("a", b"1", b"3"), ("b", b"x", b"y")]


def test_forget_reads_a_same_size_rewrite_within_one_timestamp(tmp_path: Path) -> None:
    """A file written in this process with its size and mtime put back is read again
    once forgotten, where its lstat alone would say it did not change."""
    path = tmp_path / "f.txt"
    path.write_bytes(b"aaaa\n")
    cache = ContentCache(tmp_path)
    before = cache.snapshot(["f.txt"], contents=True)
    st = path.stat()
    path.write_bytes(b"bbbb\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    cache.hooks_may_write()
    assert cache.changed_since(before) == []  # the stat is all it looks at
    cache.forget(["f.txt"])
    assert cache.changed_since(before) == ["f.txt"]
    assert "-aaaa\n+bbbb\n" in cache.diff(before, ["f.txt"])
