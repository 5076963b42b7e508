"""Which files a hook changed: a stat check first, a content hash only where the stat moved."""

from __future__ import annotations

import difflib
import hashlib
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

_MISSING = "<missing>"


@dataclass(frozen=True)
class _Stat:
    size: int
    mtime_ns: int
    ino: int
    mode: int


def _stat(path: Path) -> _Stat | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return _Stat(st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode)


def _digest(path: Path) -> str:
    try:
        if path.is_symlink():
            return "link:" + os.readlink(path)
        h = hashlib.blake2b(digest_size=20)
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except FileNotFoundError:
        return _MISSING
    except IsADirectoryError:
        return "dir"


class ContentCache:
    """Remembers (stat, hash) per file for one run, shared by every hook.

    Each file is hashed once, and again only when its stat changed; the scheduler
    guarantees that no other hook writes a hook's files while it runs, so the
    before/after comparison of those files belongs to that hook alone.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, tuple[_Stat | None, str]] = {}
        self._lock = threading.Lock()
        self._contents: dict[str, bytes | None] = {}

    def _current(self, name: str) -> tuple[_Stat | None, str]:
        path = self.root / name
        stat = _stat(path)
        with self._lock:
            known = self._known.get(name)
        if known is not None and known[0] == stat:
            return known
        entry = (stat, _MISSING if stat is None else _digest(path))
        with self._lock:
            self._known[name] = entry
        return entry

    def snapshot(self, names: Iterable[str], *, keep_contents: bool = True) -> Snapshot:
        """Hash state of ``names`` now; small text contents are kept for a diff later."""
        state = {}
        for name in names:
            state[name] = self._current(name)[1]
            if keep_contents:
                self._remember_contents(name)
        return Snapshot(state)

    def _remember_contents(self, name: str) -> None:
        path = self.root / name
        try:
            if path.is_symlink() or path.stat().st_size > 256 * 1024:
                data = None
            else:
                data = path.read_bytes()
        except OSError:
            data = None
        with self._lock:
            self._contents[name] = data

    def changed_since(self, before: Snapshot) -> list[str]:
        return [name for name, digest in before.state.items() if self._current(name)[1] != digest]

    def diff(self, names: Sequence[str], *, limit: int = 4000) -> str:
        """A unified diff of ``names`` against their remembered contents (capped)."""
        chunks: list[str] = []
        for name in names:
            with self._lock:
                old = self._contents.get(name)
            try:
                new = (self.root / name).read_bytes()
            except OSError:
                new = b""
            if old is None or b"\0" in old or b"\0" in new:
                chunks.append(f"Binary or large file {name} changed\n")
                continue
            chunks.extend(
                difflib.unified_diff(
                    old.decode(errors="replace").splitlines(keepends=True),
                    new.decode(errors="replace").splitlines(keepends=True),
                    fromfile=f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
        text = "".join(line if line.endswith("\n") else line + "\n" for line in chunks)
        if len(text) > limit:
            text = text[:limit] + f"\n... diff cut at {limit} characters\n"
        return text


@dataclass(frozen=True)
class Snapshot:
    state: dict[str, str]
