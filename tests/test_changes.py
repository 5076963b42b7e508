"""pytest_hookrun.changes: what a hook changed, and the diff people read."""

from __future__ import annotations

import os
import subprocess
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
    before = cache.snapshot(["f.txt"], held=True)
    st = path.stat()
    path.write_bytes(b"bbbb\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    cache.hooks_may_write()
    assert cache.changed_since(before) == []  # the stat is all it looks at
    cache.forget(["f.txt"])
    assert cache.changed_since(before) == ["f.txt"]
    assert "-aaaa\n+bbbb\n" in cache.diff(before, ["f.txt"])


def _blake(data: bytes) -> str:
    import hashlib

    return "644:" + hashlib.blake2b(data, digest_size=20).hexdigest()


def test_earlier_bytes_come_from_the_index_or_head_only_when_they_match(tmp_path: Path) -> None:
    """git's copy stands for a file's earlier bytes only if it has the digest the run
    took: the index's (staged), HEAD's, and neither for an edit not staged or a file git
    stores with other line endings."""
    from pytest_hookrun.changes import earlier_bytes

    from .conftest import Repo

    repo = Repo(tmp_path)
    repo.write(".gitattributes", "crlf.txt text eol=crlf\n")
    repo.write("a.txt", "committed\n")
    repo.write("crlf.txt", "one\ntwo\n")
    repo.commit()
    repo.write("a.txt", "staged\n")
    repo.add("a.txt")
    assert (tmp_path / "crlf.txt").read_bytes() == b"one\ntwo\n"  # as written, not checked out
    (tmp_path / "crlf.txt").unlink()
    subprocess.run(["git", "checkout", "--", "crlf.txt"], cwd=tmp_path, check=True)
    crlf = (tmp_path / "crlf.txt").read_bytes()
    assert crlf == b"one\r\ntwo\r\n"  # git keeps LF: its copy is not these bytes

    found = earlier_bytes(
        tmp_path,
        {
            "a.txt": _blake(b"staged\n"),  # the index has them
            "crlf.txt": _blake(crlf),
            "gone.txt": _blake(b"x\n"),
        },
    )
    assert found == {"a.txt": b"staged\n"}
    assert earlier_bytes(tmp_path, {"a.txt": _blake(b"committed\n")}) == {
        "a.txt": b"committed\n"  # HEAD's
    }
    assert earlier_bytes(tmp_path, {"a.txt": _blake(b"edited, not staged\n")}) == {}
    assert earlier_bytes(tmp_path / "no-such-dir", {"a.txt": _blake(b"staged\n")}) == {}


def test_a_file_known_by_digest_is_not_read_before_a_hook_and_its_diff_comes_from_git(
    tmp_path: Path,
) -> None:
    """A held snapshot takes a file the tag cache knows (same lstat) without reading
    it; when the hook then changes it, the diff's earlier side is git's copy. A file
    git has other bytes of is named as changed, without a made-up diff."""
    import time

    from pytest_hookrun.tagcache import TagCache

    from .conftest import Repo

    repo = Repo(tmp_path)
    repo.write("clean.txt", "old line\n")
    repo.write("edited.txt", "committed\n")
    repo.commit()
    repo.write("edited.txt", "edited, not staged\n")
    names = ["clean.txt", "edited.txt"]
    known = TagCache.from_json({})
    known.listing(set(names))
    past = time.time_ns() + 10**10  # the files are older than the racy window by then
    stats = {name: os.lstat(tmp_path / name) for name in names}
    for name, data in (("clean.txt", b"old line\n"), ("edited.txt", b"edited, not staged\n")):
        known.put_digest(name, stats[name], _blake(data), past)

    cache = ContentCache(tmp_path, known)
    cache.seed(stats)
    before = cache.snapshot(names, held=True)
    assert all(entry[2] is None for entry in before.state.values())  # nothing was read
    (tmp_path / "clean.txt").write_text("new line\n")
    (tmp_path / "edited.txt").write_text("fixed\n")
    cache.hooks_may_write()
    assert cache.changed_since(before) == names
    text = cache.diff(before, names)
    assert "-old line\n+new line\n" in text
    assert "edited.txt: changed (not diffed: its content was not kept)\n" in text
    assert "committed" not in text  # HEAD's bytes are not what the file held


def test_earlier_bytes_read_past_names_with_spaces_and_a_submodule(tmp_path: Path) -> None:
    """git's answer for each name is read whole whatever it is (a missing path whose name
    looks like a header, a submodule's commit object), so the names after it still get
    their own bytes; a name that is not UTF-8 is asked for with its own bytes."""
    from pytest_hookrun.changes import earlier_bytes

    from .conftest import Repo, git

    repo = Repo(tmp_path)
    repo.write("x blob 5", "spaced\n")
    repo.write("a.txt", "after\n")
    latin1 = os.fsdecode(b"caf\xe9.txt")  # not UTF-8: listed with a surrogate escape
    (tmp_path / latin1).write_bytes(b"latin-1 name\n")
    repo.commit()
    head = git(tmp_path, "rev-parse", "HEAD").strip()
    git(tmp_path, "update-index", "--add", "--cacheinfo", f"160000,{head},sub")  # a gitlink
    found = earlier_bytes(
        tmp_path,
        {
            "sub": _blake(b"x"),  # the index has a commit there: its content is skipped
            "gone blob": _blake(b"x"),  # ":gone blob missing": three words, as a header
            "x blob 5": _blake(b"spaced\n"),
            "a.txt": _blake(b"after\n"),
            latin1: _blake(b"latin-1 name\n"),
        },
    )
    assert found == {"x blob 5": b"spaced\n", "a.txt": b"after\n", latin1: b"latin-1 name\n"}
