"""Which files a hook changed: a stat check first, a content hash only where the stat moved."""

from __future__ import annotations

import difflib
import hashlib
import os
import stat
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .tagcache import TagCache

_MISSING = "<missing>"
_KEEP_LIMIT = 256 * 1024  # files up to this size keep their bytes for a diff
_KEEP_BUDGET = 64 * 1024 * 1024  # and no more than this in all

_StatKey = tuple[int, int, int, int]
#: (stat key, digest, bytes kept for a diff or None, vouched): ``vouched``, taken while
#: no hook that may write the file ran (a state a later hook may start from unchecked)
_Entry = tuple[_StatKey | None, str, bytes | None, bool]
_RECOVER_LIMIT = 32  # files whose earlier bytes are fetched from git for one diff

#: A write an in-process hook made: (file name, bytes before, bytes after).
Written = tuple[str, bytes, bytes]


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _key(st: os.stat_result | None) -> _StatKey | None:
    return None if st is None else (st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode)


def _keeps_bytes(key: _StatKey | None) -> bool:
    """A regular file small enough to keep its bytes for a diff."""
    return key is not None and stat.S_ISREG(key[3]) and key[0] <= _KEEP_LIMIT


def _read(path: str, key: _StatKey) -> tuple[str, bytes | None]:
    """(digest, bytes kept for a diff or None) of one file, read once."""
    try:
        if stat.S_ISLNK(key[3]):
            target = os.readlink(path)
            return "link:" + target, None
        if stat.S_ISDIR(key[3]):
            return "dir", None
        with open(path, "rb") as f:
            if key[0] <= _KEEP_LIMIT:
                data = f.read()
                return hashlib.blake2b(data, digest_size=20).hexdigest(), data
            h = hashlib.blake2b(digest_size=20)
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
            return h.hexdigest(), None
    except (FileNotFoundError, NotADirectoryError):
        return _MISSING, None


class ContentCache:
    """Remembers (stat, hash) per file for one run, shared by every hook.

    Each file is read once, and again only when its stat changed; the scheduler
    guarantees that no other hook writes a hook's files while it runs, so the
    before/after comparison of those files belongs to that hook alone. A hook starts
    from the state the run last saw of its files where that was seen while no hook
    that may write them ran (``held`` snapshots): after the hook before it on those
    files ended, it looked at them, so they are not stat'ed again. Bytes for a diff
    are those read anyway; a file known by its digest alone is not read before a hook
    runs, and if the hook changes it, its earlier bytes come from git when git holds
    exactly them (``changes``).
    """

    def __init__(self, root: Path, known: TagCache | None = None) -> None:
        self.root = root
        # digests of earlier runs by lstat: a file whose lstat is unchanged is not read
        self.known = known
        self._base = str(root) + os.sep
        # name -> entry; dict operations are atomic, and two hooks running at once
        # never share a file they may write
        self._known: dict[str, _Entry] = {}
        self._kept = 0
        self._lock = threading.Lock()
        # a stat taken in the current generation is still true: no hook has started or
        # finished since, and only hooks write (a rerun with nothing to run stats each
        # file once, however many hooks look at it)
        self.generation = 0
        self._checked: dict[str, int] = {}
        # files a hook of this run modified since their state was last taken: a cache
        # key looks at them again (``trusted`` snapshots), and at no other
        self._modified: set[str] = set()
        self.modifications = 0  # how many times hooks reported modified files

    def seed(self, stats: Mapping[str, os.stat_result]) -> None:
        """Files just lstat'ed (by the classification, before any hook ran) whose digest
        an earlier run kept for that lstat: known without another lstat or read."""
        if self.known is None:
            return
        digest, generation = self.known.digest, self.generation
        for name, st in stats.items():
            seen = digest(name, st)
            if seen is not None:
                self._known[name] = (_key(st), seen, None, True)
                self._checked[name] = generation

    def whole_tree(self, names: Sequence[str]) -> None:
        """``names`` are every tracked file, about to be snapshot in a run that listed
        only a few (a commit's, for a hook cached whole on the tree): the digests earlier
        runs kept spare reading them all, as in a run that lists every file."""
        known = self.known
        if known is None or known.listed:
            return
        with self._lock:
            if not known.listed:
                known.listing(set(names))

    def modified(self, names: Sequence[str]) -> None:
        """A hook changed these files: a ``trusted`` snapshot looks at them again."""
        if names:
            with self._lock:
                self._modified.update(names)
                self.modifications += 1

    def hooks_may_write(self) -> None:
        """A hook batch starts or ends: every stat taken so far may be out of date."""
        with self._lock:
            self.generation += 1

    def _current(self, name: str, held: bool = False) -> _Entry:
        """The file's state now; ``held``: no hook that may write it runs (the caller's
        hook holds it), so the state is vouched for."""
        generation = self.generation
        checked = self._checked.get(name) == generation
        known = self._known.get(name)  # read after _checked: written before it
        if checked and known is not None:
            # stat'ed in this generation: no batch started or ended since, so a hook
            # that may write it and ran then would still run (not while it is held)
            if held and not known[3]:
                known = self._known[name] = (known[0], known[1], known[2], True)
            return known
        path = self._base + name
        st = _lstat(path)
        key = _key(st)
        if known is not None and known[0] == key:
            if known[3] != held:
                # a stat taken while a writer of the file may run vouches for nothing:
                # stored after that writer's own last look, it must not pass for it
                known = (known[0], known[1], known[2], held)
            self._known[name] = known
            self._checked[name] = generation
            return known
        if st is None or key is None:
            entry: _Entry = (None, _MISSING, None, held)
        else:
            seen = None if self.known is None else self.known.digest(name, st)
            if seen is not None:
                entry = (key, seen, None, held)
            else:
                now = time.time_ns()
                digest, data = _read(path, key)
                # the permission bits are content too: a chmod is a modification (as git)
                digest = f"{key[3] & 0o777:o}:{digest}"
                if data is not None:
                    with self._lock:
                        if self._kept + len(data) > _KEEP_BUDGET:
                            data = None
                        else:
                            self._kept += len(data)
                entry = (key, digest, data, held)
                if self.known is not None and not digest.endswith(_MISSING):
                    self.known.put_digest(name, st, digest, now)
        self._known[name] = entry
        self._checked[name] = generation
        self._modified.discard(name)
        return entry

    def snapshot(
        self, names: Iterable[str], *, held: bool = False, trusted: bool = False
    ) -> Snapshot:
        """The content state of ``names`` now (each file read at most once per run).

        ``held``: a hook is about to run on them and no hook that may write them runs
        (the scheduling promise): a state vouched for (seen while none ran) and not
        modified since stands; the rest is stat'ed now. ``trusted``: a cache key's view:
        a state taken earlier in the run stands unless a hook modified the file since (a
        hook changes only files it is given, and what it changed is known when it ends),
        so a rerun of many hooks on 50,000 files does not stat them all for each hook."""
        current = self._current
        known, modified = self._known, self._modified
        if held:
            return Snapshot(
                {
                    name: entry
                    if (entry := known.get(name)) is not None and entry[3] and name not in modified
                    else current(name, True)
                    for name in names
                }
            )
        if trusted:
            return Snapshot(
                {
                    name: entry
                    if (entry := known.get(name)) is not None and name not in modified
                    else current(name)
                    for name in names
                }
            )
        return Snapshot({name: current(name) for name in names})

    def changed_since(self, before: Snapshot) -> list[str]:
        """The files of ``before`` (a hook's, taken ``held``) whose content changed since:
        called when the hook's processes ended, still holding its files."""
        current = self._current
        return [name for name, old in before.state.items() if current(name, True)[1] != old[1]]

    def diff(self, before: Snapshot, names: Sequence[str], *, limit: int = 4000) -> str:
        """A unified diff of ``names`` from their state in ``before`` to now (capped)."""
        return diff_text(self.changes(before, names), limit=limit)

    def changes(self, before: Snapshot, names: Sequence[str]) -> list[Change]:
        """(name, bytes in ``before``, bytes now) of each of ``names``, for diff_text.
        Earlier bytes that were not kept (the file was known by its digest and not read)
        come from git's index or HEAD when git's copy has exactly that digest."""
        state = before.state
        wanted = [name for name in names if _side(state[name]) == "unread"][:_RECOVER_LIMIT]
        found = earlier_bytes(self.root, {name: state[name][1] for name in wanted})
        return [
            (name, found.get(name) or _side(state[name]), _side(self._current(name, True)))
            for name in names
        ]

    def forget(self, names: Iterable[str]) -> None:
        """``names`` were written in this process (a fast path): read them again when
        next asked (a rewrite within one timestamp tick may keep size and mtime)."""
        for name in names:
            self._known.pop(name, None)
            self._checked.pop(name, None)


def earlier_bytes(root: Path, digests: Mapping[str, str]) -> dict[str, bytes]:
    """The bytes of the files ``digests`` names, from git's index or else HEAD, where
    those bytes have that digest (an eol or filter attribute makes git's copy differ,
    and an edit not staged is in neither): for the diff of a file not read before a
    hook changed it. One ``git cat-file --batch``; nothing where git cannot say."""
    names = [name for name in digests if "\n" not in name]
    if not names:
        return {}
    specs = b"".join(os.fsencode(f":{name}\nHEAD:{name}\n") for name in names)  # as listed
    try:
        out = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=root,
            input=specs,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    found: dict[str, bytes] = {}
    pos = 0
    for name in names:
        for _ in range(2):  # the index's copy, then HEAD's
            end = out.find(b"\n", pos)
            if end < 0:
                return found
            header = out[pos:end].split()
            pos = end + 1
            if len(header) != 3 or not header[2].isdigit():
                continue  # "<spec> missing": no content follows
            size = int(header[2])
            data = out[pos : pos + size]
            pos += size + 1  # any object's content (a submodule's commit too) and a newline
            if header[1] != b"blob" or name in found:
                continue
            if hashlib.blake2b(data, digest_size=20).hexdigest() == digests[name].partition(":")[2]:
                found[name] = data
    return found


_Side = bytes | None | Literal["missing", "unread"]
#: (name, before, after): bytes, None (not kept: a large file), "missing" (no file) or
#: "unread" (a small file not kept: known by its digest alone and git has other bytes,
#: or past the memory budget)
Change = tuple[str, _Side, _Side]


def _side(entry: _Entry) -> _Side:
    if entry[1] == _MISSING:
        return "missing"
    if entry[2] is None and _keeps_bytes(entry[0]):
        return "unread"
    return entry[2]


def diff_text(pairs: Iterable[Change], *, limit: int = 4000) -> str:
    """A unified diff of (name, bytes before, bytes after) triples, capped at ``limit``
    characters; ``None``: bytes not kept (a large file), ``"missing"``: no such file,
    ``"unread"``: a small file's bytes not kept."""
    chunks: list[str] = []
    size = 0
    for name, old, new in pairs:
        if size > limit:
            break  # the text is cut there: no need to diff the other files
        if old == "missing" or new == "missing":
            what = "created" if old == "missing" else "deleted"
            lines = [f"{name}: {what}\n"]
        elif old == "unread" or new == "unread":
            lines = [f"{name}: changed (not diffed: its content was not kept)\n"]
        elif old is None or new is None or b"\0" in old + new:
            lines = [f"Binary or large file {name} changed\n"]
        else:
            lines = list(
                difflib.unified_diff(
                    old.decode(errors="replace").splitlines(keepends=True),
                    new.decode(errors="replace").splitlines(keepends=True),
                    fromfile=f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
        chunks.extend(lines)
        size += sum(len(line) + (not line.endswith("\n")) for line in lines)  # as joined
    text = "".join(line if line.endswith("\n") else line + "\n" for line in chunks)
    if len(text) > limit:
        text = text[:limit] + f"\n... diff cut at {limit} characters\n"
    return text


def written_changes(writes: Iterable[Written]) -> list[Written]:
    """What an in-process hook's writes changed, per file in the order first written:
    the bytes before its first write and after its last, where they differ."""
    first: dict[str, tuple[bytes, bytes]] = {}
    for name, old, new in writes:
        first[name] = (first[name][0] if name in first else old, new)
    return [(name, old, new) for name, (old, new) in first.items() if old != new]


@dataclass(frozen=True)
class Snapshot:
    state: dict[str, _Entry]
