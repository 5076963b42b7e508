"""identify's answers and content digests kept across runs, so a warm rerun of a large
repo reads no file.

``identify.tags_from_path`` stats a file and often reads its start (a shebang, text
or binary): on 50,000 files that is most of the time spent choosing each hook's
files. Its answer depends only on the file's name, type, permission bits and
content, so it is reused while the file's lstat (size, mtime, ctime, inode and
mode) is what it was when identify answered. The cache lives in pytest's cache
directory (``d/hookrun/tags``, plain data as marshal: cachefile.py); anything unreadable
there counts as empty. The
content digests (what changes.ContentCache computes to see what a hook changed and the
result cache to key on) follow the same rule.

Only runs that list every tracked file use it: they load it (lazily: a staged
commit of three files does not pay for reading 50,000 entries, unless a hook cached
whole on the tree makes it list them all), and what they did not list is forgotten
when it is saved.

A file changed less than ``RACY_NS`` before the run looked at it is not kept: it
could change again within the file system's timestamp granularity and keep its
stat (git's "racily clean" entries). Pure: no pytest.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence, Set
from typing import Any

FORMAT = 1
RACY_NS = 2_000_000_000  # FAT's mtime granularity is 2 s; most file systems are finer


def fingerprint() -> str:
    """What else the answers depend on: identify's code and tables, and who asks
    (``os.access`` decides ``executable``). A change empties the cache."""
    from identify import extensions, identify, interpreters

    parts = [str(os.geteuid()) if hasattr(os, "geteuid") else "-"]
    for module in (identify, extensions, interpreters):
        try:
            st = os.stat(module.__file__ or "")
        except OSError:
            return ""  # unknown: nothing is reused
        parts.append(f"{module.__file__}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def stat_key(st: os.stat_result) -> str:
    """The part of a file's lstat an answer stays valid for."""
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} {st.st_mode}"


def _storable(name: str) -> bool:
    """Names pytest's cache can write as UTF-8 (git names may hold undecodable bytes)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class TagCache:
    """Tags per file name, each valid for one stat key; ``changed`` says whether to save.

    ``load`` returns what ``to_json`` wrote (or anything: garbage gives an empty
    cache); it is called by ``listing``, the first thing a run does with the cache.
    """

    def __init__(self, load: Callable[[], object], *, stamp: str | None = None) -> None:
        self._load: Callable[[], object] | None = load
        self.stamp = stamp
        # name -> "size mtime ctime ino mode INDEX", INDEX into _sets
        self._files: dict[str, Any] = {}
        self._sets: list[frozenset[str]] = []
        self._index: dict[frozenset[str], int] = {}
        self._keep: Set[str] | None = None
        # name -> "size mtime ctime ino mode DIGEST"
        self._digests: dict[str, Any] = {}
        self.changed = False
        self.hits = 0  # answers reused
        self.misses = 0  # answers identify gave

    @classmethod
    def from_json(cls, data: object, *, stamp: str | None = None) -> TagCache:
        """A cache holding ``data`` now (not on first use)."""
        cache = cls(lambda: data, stamp=stamp)
        cache.load()
        return cache

    def load(self) -> None:
        if self._load is None:
            return
        data, self._load = self._load(), None
        if self.stamp is None:
            self.stamp = fingerprint()
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        if not self.stamp or data.get("identify") != self.stamp:
            return
        files, sets = data.get("files"), data.get("sets")
        if not isinstance(files, dict) or not isinstance(sets, list):
            return
        if not all(isinstance(s, list) and all(isinstance(t, str) for t in s) for s in sets):
            return
        self._files = files  # entries are checked when used
        digests = data.get("digests")
        self._digests = digests if isinstance(digests, dict) else {}
        self._sets = [frozenset(s) for s in sets]
        self._index = {tags: i for i, tags in enumerate(self._sets)}

    def listing(self, names: Set[str]) -> None:
        """The run lists these files, and no others exist: load the cache, and forget
        the files outside ``names`` (and those of other calls: one per config) when saving."""
        self.load()
        self._keep = names if self._keep is None else self._keep | names
        if not (self._files.keys() <= self._keep and self._digests.keys() <= self._keep):
            self.changed = True

    @property
    def listed(self) -> bool:
        """Whether a run has listed its files (``listing``): the cache is in use."""
        return self._keep is not None

    def to_json(self) -> dict[str, Any]:
        self.load()
        files, digests = self._files, self._digests
        if self._keep is not None:
            keep = self._keep
            files = {name: entry for name, entry in files.items() if name in keep}
            digests = {name: entry for name, entry in dict(digests).items() if name in keep}
        return {
            "format": FORMAT,
            "identify": self.stamp,
            "sets": [sorted(tags) for tags in self._sets],
            "files": files,
            "digests": digests,
        }

    @property
    def sets(self) -> list[frozenset[str]]:
        """Every tag set an entry may answer with."""
        return self._sets

    def lookup(
        self, names: Sequence[str], stats: Sequence[os.stat_result]
    ) -> dict[str, frozenset[str]]:
        """name -> tags for the names whose stat (``stats``, in order) is unchanged."""
        files, sets, count = self._files, self._sets, len(self._sets)
        found: dict[str, frozenset[str]] = {}
        for name, st in zip(names, stats, strict=True):
            entry = files.get(name)
            if type(entry) is not str:
                continue
            # stat_key(st) + " ", inline: this loop runs once per file of the repo
            key = f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} {st.st_mode} "
            if entry.startswith(key):
                index = entry[len(key) :]
                if index.isascii() and index.isdigit() and int(index) < count:
                    found[name] = sets[int(index)]
        self.hits += len(found)
        return found

    def put(self, name: str, st: os.stat_result, tags: frozenset[str], now_ns: int) -> None:
        """Remember identify's answer for ``name`` as it was stat'ed in ``st``; not when
        the file changed within ``RACY_NS`` of ``now_ns`` (the time of that stat)."""
        self.misses += 1
        if now_ns - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS or not _storable(name):
            if self._files.pop(name, None) is not None:
                self.changed = True
            return
        index = self._index.get(tags)
        if index is None:
            index = self._index[tags] = len(self._sets)
            self._sets.append(tags)
        entry = f"{stat_key(st)} {index}"
        if self._files.get(name) != entry:
            self._files[name] = entry
            self.changed = True

    def digest(self, name: str, st: os.stat_result) -> str | None:
        """The content digest kept for ``name`` while its lstat is ``st``, else None."""
        if self._load is not None:
            return None  # a run that does not list every file: nothing is reused
        entry = self._digests.get(name)
        if type(entry) is not str:
            return None
        key = stat_key(st) + " "
        return entry[len(key) :] if entry.startswith(key) else None

    def put_digest(self, name: str, st: os.stat_result, digest: str, now_ns: int) -> None:
        """Remember ``name``'s content digest as read after the lstat ``st`` taken at
        ``now_ns``; not when the file changed within ``RACY_NS`` of it."""
        if self._load is not None or self._keep is None or name not in self._keep:
            return  # only the files of a run that lists every file are kept
        if now_ns - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS or not _storable(name):
            if self._digests.pop(name, None) is not None:
                self.changed = True
            return
        entry = f"{stat_key(st)} {digest}"
        if self._digests.get(name) != entry:
            self._digests[name] = entry
            self.changed = True
