"""Unstaged changes saved aside while hooks run on the staged content, and restored after.

The saved state lives in a private directory inside ``.git`` (mode 0700): a patch
(for people: ``git apply`` restores it by hand), a byte-exact copy of every file
with unstaged changes, and a ``state.json`` written last. A run killed with
SIGKILL leaves that state behind; the next run finds it and restores it when
nothing changed since, or stops and says how to restore it.

Restoring never throws anything away. Where hook fixes and the user's changes
touch one file, they are merged three-way with the staged content as the base;
where they truly conflict, the user's version wins in the work tree and the
hook's fixes are kept as a patch beside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

STATE = "state.json"


class StashError(Exception):
    """The run must not start (or the state cannot be restored); the message says why."""


def _git(root: Path, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
    proc = subprocess.run(
        ("git", "-c", "core.hooksPath=/dev/null", *args),
        cwd=root,
        input=input,
        capture_output=True,
        check=False,
    )
    if check and proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()
        raise StashError(f"`git {' '.join(args)}` failed: {err}")
    return proc.stdout


def _git_paths(root: Path, args: Sequence[str], paths: Sequence[str]) -> bytes:
    """A git command over ``paths`` given on stdin: any number of them fits."""
    listing = b"".join(os.fsencode(p) + b"\0" for p in paths)
    return _git(root, *args, "--pathspec-from-file=-", "--pathspec-file-nul", input=listing)


def _git_chunked(root: Path, args: Sequence[str], paths: Sequence[str]) -> bytes:
    """A git command (without --pathspec-from-file) over ``paths``, a few at a time."""
    out = []
    step = 500
    for start in range(0, len(paths), step):
        out.append(_git(root, *args, "--", *paths[start : start + step]))
    return b"".join(out)


def _zsplit(out: bytes) -> list[str]:
    return [os.fsdecode(n) for n in out.split(b"\0") if n]


def private_dir(root: Path, git_dir: Path | None = None) -> Path:
    """``<git dir>/hookrun``, created 0700: only the user can read their saved work
    (``git_dir``: root's, when the caller asked git already)."""
    if git_dir is None:
        git_dir = Path(os.fsdecode(_git(root, "rev-parse", "--absolute-git-dir").strip()))
    path = git_dir / "hookrun"
    path.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)
    return path


@dataclass
class SavedFile:
    path: str
    base: str | None  # index blob id at save time; None when not in the index
    kind: str  # "file", "link" or "deleted"
    mode: int = 0o644
    copy: str | None = None  # the user's version: a byte-exact copy in the state directory
    clean: str | None = None  # the work tree version after the reset (hooks' starting point)
    clean_mode: int | None = None  # its permission bits


@dataclass
class Stash:
    """What was saved aside by one run."""

    root: Path
    directory: Path
    patch: Path
    files: list[SavedFile] = field(default_factory=list)
    intent_to_add: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ persistence

    def write_state(self) -> None:
        data = {
            "patch": self.patch.name,
            "intent_to_add": self.intent_to_add,
            "files": [vars(f) for f in self.files],
            "pid": os.getpid(),
            "pid_start": _process_start(os.getpid()),
            "created": time.time(),
        }
        tmp = self.directory / (STATE + ".tmp")
        tmp.write_text(json.dumps(data, indent=1))
        os.replace(tmp, self.directory / STATE)

    @classmethod
    def read_state(cls, root: Path, directory: Path) -> Stash:
        data = json.loads((directory / STATE).read_text())
        return cls(
            root=root,
            directory=directory,
            patch=directory / data["patch"],
            files=[SavedFile(**f) for f in data["files"]],
            intent_to_add=list(data["intent_to_add"]),
        )

    def restore_command(self) -> str:
        """What a person runs to put the saved changes back by hand (index included)."""
        command = f"cd {shlex.quote(str(self.root))} && git apply {shlex.quote(str(self.patch))}"
        if self.intent_to_add:
            files = " ".join(shlex.quote(p) for p in self.intent_to_add)
            command += f" && git add --intent-to-add -- {files}"
        return command


# --------------------------------------------------------------------------- checks


_GITLINK = "160000"  # a submodule's mode in the index


def unstaged_changes(root: Path) -> list[tuple[str, str]]:
    """(status letter, path) of each difference between the index and the work tree: one
    git call serves the checks and the save. An unmerged path is listed (U, also as M);
    an intent-to-add file as A; a submodule's changes are its own and left out, unless
    unmerged. ``--no-renames``: a deleted file and a new one with its content are two."""
    fields = _zsplit(_git(root, "diff", "--no-renames", "--no-ext-diff", "--raw", "-z"))
    changes = []
    for meta, path in zip(fields[::2], fields[1::2], strict=True):
        modes, status = meta.split()[:2], meta.split()[-1]
        if status != "U" and _GITLINK in (m.lstrip(":") for m in modes):
            continue
        changes.append((status, path))
    return changes


def check_can_stash(root: Path, config_path: Path, unstaged: Sequence[tuple[str, str]]) -> None:
    """Refuse, touching nothing, when the run could not be made safe."""
    unmerged = list(dict.fromkeys(path for status, path in unstaged if status == "U"))
    if unmerged:
        raise StashError(
            "unmerged paths (" + ", ".join(unmerged[:5]) + "): resolve the merge first; "
            "nothing was changed"
        )
    try:
        rel = config_path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return
    if any(path == rel for _status, path in unstaged):
        raise StashError(
            f"your hook config {rel} has unstaged changes: `git add {rel}` first; "
            "nothing was changed"
        )


def _index_entries(root: Path, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
    """path -> (mode, blob id) from the index."""
    out = _git_chunked(root, ("ls-files", "-s", "-z"), paths) if paths else b""
    entries = {}
    for record in _zsplit(out):
        meta, _, name = record.partition("\t")
        mode, blob, _stage = meta.split()
        entries[name] = (mode, blob)
    return entries


_holding = False


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Keep SIGINT/SIGTERM from cutting a save or a restore in half.

    The signals are noted, not acted on, until the block ends; then a noted one
    interrupts as it would have (KeyboardInterrupt). Python runs signal handlers
    in the main thread only, so elsewhere this holds nothing.
    """
    global _holding
    if _holding or threading.current_thread() is not threading.main_thread():
        yield  # nested: the outer block notes the signals
        return
    noted: list[int] = []

    def note(signum: int, frame: object) -> None:
        noted.append(signum)

    previous = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
    _holding = True
    try:
        yield
    finally:
        _holding = False
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if noted:
        raise KeyboardInterrupt(f"signal {noted[0]} during a save or restore")


@contextlib.contextmanager
def interrupt_once() -> Iterator[None]:
    """The first SIGINT or SIGTERM interrupts the block (KeyboardInterrupt); the later
    ones are ignored until it ends. A second Ctrl-C then cannot land between the
    interrupted run and the restore, while the interrupt makes its way out through the
    run's clean-up (signals_held takes over for the restore itself)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def interrupt(signum: int, frame: object) -> None:
        nonlocal fired
        if fired:
            return
        fired = True
        raise KeyboardInterrupt("SIGTERM") if signum == signal.SIGTERM else KeyboardInterrupt()

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# --------------------------------------------------------------------------- save


def save(root: Path, config_path: Path, directory: Path | None = None) -> Stash | None:
    """Save every unstaged change aside and reset the work tree to the index.

    Returns None when there is nothing unstaged. Raises StashError, having
    changed nothing, when the run must not start. ``directory``: ``private_dir(root)``,
    when already known.
    """
    unstaged = unstaged_changes(root)
    check_can_stash(root, config_path, unstaged)
    directory = directory or private_dir(root)
    if (directory / STATE).exists():
        raise StashError(
            f"saved unstaged changes from an earlier run are still in {directory}; "
            "run again without --hooks-staged to restore them"
        )
    with signals_held():
        ita = [path for status, path in unstaged if status == "A"]
        changed = list(dict.fromkeys(path for status, path in unstaged if status != "A"))
        if not changed and not ita:
            return None
        for name in changed:
            full = root / name
            for parent in Path(name).parents:
                if (
                    str(parent) != "."
                    and (root / parent).exists()
                    and not ((root / parent).is_dir() and not (root / parent).is_symlink())
                ):
                    raise StashError(
                        f"{parent} is in the way of the tracked {name} (a file where git "
                        "expects a directory); move it aside first; nothing was changed"
                    )
            if full.is_dir() and not full.is_symlink():
                raise StashError(
                    f"{name} is tracked as a file but is a directory in the work tree; "
                    "move it aside or stage the change first; nothing was changed"
                )
        diff_args = ("diff", "--no-renames", "--ignore-submodules", "--binary", "--no-color")
        # ita files too: `git apply` of the patch brings them back by hand
        patch_bytes = _git_chunked(root, (*diff_args, "--no-ext-diff"), [*changed, *ita])
        stamp = f"{int(time.time())}-{os.getpid()}"
        stash = Stash(root, directory, directory / f"unstaged-{stamp}.patch")
        stash.patch.write_bytes(patch_bytes)
        stash.intent_to_add = ita
        index = _index_entries(root, changed)
        ita_set = set(ita)
        copies = directory / f"files-{stamp}"
        copies.mkdir(mode=0o700)
        for number, name in enumerate([*changed, *ita]):
            full = root / name
            # intent-to-add files leave the index and the work tree for the run (base None)
            base = None if name in ita_set else index.get(name, (None, None))[1]
            if not os.path.lexists(full):
                stash.files.append(SavedFile(name, base, "deleted"))
                continue
            st = os.lstat(full)
            copy = f"{copies.name}/{number}"
            if full.is_symlink():
                (directory / copy).write_text(os.readlink(full))
                stash.files.append(SavedFile(name, base, "link", copy=copy))
            else:
                (directory / copy).write_bytes(full.read_bytes())
                stash.files.append(SavedFile(name, base, "file", st.st_mode & 0o777, copy))
        stash.write_state()  # from here on, a killed run leaves a restorable state
        if ita:
            _git_paths(root, ("rm", "--cached", "-q"), ita)
            for name in ita:  # out of reach of hooks that walk the whole tree
                with contextlib.suppress(FileNotFoundError):
                    (root / name).unlink()
        if changed:
            _git_paths(root, ("-c", "submodule.recurse=0", "checkout"), changed)
        for number, saved in enumerate(stash.files):
            # what the reset wrote (filters and eol conversion applied): the merge base
            data = _current(root / saved.path)
            if data is not None:
                saved.clean = f"{copies.name}/clean-{number}"
                (directory / saved.clean).write_bytes(data)
                saved.clean_mode = os.lstat(root / saved.path).st_mode & 0o777
        stash.write_state()
    return stash


# --------------------------------------------------------------------------- restore


def _process_start(pid: int) -> int | None:
    """A process's start time (clock ticks since boot), to tell it from a reused pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _clean(stash: Stash, saved: SavedFile) -> bytes | None:
    """The file as the reset left it; a state cut before that point falls back to the blob."""
    if saved.clean is not None:
        return (stash.directory / saved.clean).read_bytes()
    if saved.base is None:
        return None
    return _git(stash.root, "cat-file", "blob", saved.base)


def _current(path: Path) -> bytes | None:
    if path.is_symlink():
        return b"link:" + os.fsencode(os.readlink(path))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write(path: Path, saved: SavedFile, data: bytes | None, mode: int | None = None) -> None:
    if path.is_symlink() or (path.exists() and saved.kind != "file"):
        path.unlink()
    if saved.kind == "deleted":
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if saved.kind == "link":
        assert data is not None
        os.symlink(os.fsdecode(data), path)
        return
    assert data is not None
    tmp = path.with_name(f".{path.name}.hookrun-tmp")
    tmp.write_bytes(data)
    tmp.chmod(saved.mode if mode is None else mode)
    os.replace(tmp, path)


def _merge(base: bytes, ours: bytes, theirs: bytes) -> bytes | None:
    """Three-way merge with git merge-file; None on a real conflict or binary data."""
    if ours == theirs or theirs == base:
        return ours  # one side only (e.g. the user changed just the mode): nothing to merge
    if ours == base:
        return theirs
    if b"\0" in base + ours + theirs:
        return None
    with tempfile.TemporaryDirectory(prefix="hookrun-merge-") as tmp:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_bytes(data)
            paths.append(str(p))
        proc = subprocess.run(
            ("git", "merge-file", "-p", "-q", *paths), capture_output=True, check=False
        )
    if proc.returncode != 0:
        return None
    return proc.stdout


def restore(stash: Stash, *, merge: bool = True) -> list[str]:
    """Put the saved changes back over whatever the hooks fixed; returns messages.

    ``merge=False`` (by hand, after a killed run): the saved versions come back as
    they were, and whatever stands in their place now is kept as a patch beside.
    """
    root, messages = stash.root, stash.messages
    conflicts: list[tuple[SavedFile, bytes | None]] = []
    with signals_held():
        for saved in stash.files:
            full = root / saved.path
            base = _clean(stash, saved)
            now = _current(full)
            mine = (
                None
                if saved.kind == "deleted"
                else (stash.directory / saved.copy).read_bytes()
                if saved.copy
                else None
            )
            if not merge:
                if now not in (base, mine) and now is not None:
                    conflicts.append((saved, now))
                _write(full, saved, mine)
                continue
            # the mode merges too: a hook's chmod stays unless the user changed the mode
            mode = saved.mode
            if saved.kind == "file" and now is not None and saved.clean_mode is not None:
                now_mode = os.lstat(full).st_mode & 0o777
                if saved.mode == saved.clean_mode and now_mode != saved.clean_mode:
                    mode = now_mode
            if now == base or saved.kind != "file" or now is None or base is None:
                # the hooks left this content alone (or it is no plain file): the user's
                if now != base and now is not None:
                    conflicts.append((saved, now))
                _write(full, saved, mine, mode)
                continue
            assert mine is not None
            merged = _merge(base, now, mine)
            if merged is None:
                conflicts.append((saved, now))
                _write(full, saved, mine)
            else:
                _write(full, saved, merged, mode)
                if merged != mine:
                    messages.append(f"{saved.path}: hook fixes merged with your unstaged changes")
        if stash.intent_to_add:
            _git_paths(root, ("add", "--intent-to-add"), stash.intent_to_add)
        if conflicts:
            fixes = _fixes_patch(stash, conflicts)
            messages.append(
                "hook fixes conflict with your unstaged changes in "
                + ", ".join(s.path for s, _ in conflicts)
                + f": your changes are in the work tree; the hook fixes are saved in {fixes}"
                + f" (apply them with: cd {shlex.quote(str(root))} && git apply --3way "
                + f"{shlex.quote(str(fixes))})"
            )
        _forget(stash)
    return messages


def _fixes_patch(stash: Stash, conflicts: list[tuple[SavedFile, bytes | None]]) -> Path:
    """A patch from the staged content to what the hooks made of it, kept for the user.

    Written by ``git diff --no-index --no-prefix`` over ``a/<path>`` and ``b/<path>``
    copies, so git itself quotes odd file names and ``git apply`` reads it back.
    """
    chunks = []
    with tempfile.TemporaryDirectory(prefix="hookrun-fixes-") as tmp:
        for saved, fixed in conflicts:
            old = Path(tmp, "a", saved.path)
            new = Path(tmp, "b", saved.path)
            for path, data in ((old, _clean(stash, saved)), (new, fixed)):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data or b"")
                path.chmod(saved.mode if saved.kind == "file" else 0o644)
            proc = subprocess.run(
                (
                    "git",
                    "diff",
                    "--no-index",
                    "--no-prefix",
                    "--binary",
                    "--no-color",
                    "--no-ext-diff",
                    "--",
                    f"a/{saved.path}",
                    f"b/{saved.path}",
                ),
                cwd=tmp,
                capture_output=True,
                check=False,
            )
            chunks.append(proc.stdout)
    path = stash.directory / f"hook-fixes-{int(time.time())}-{os.getpid()}.patch"
    path.write_bytes(b"".join(chunks))
    return path


def _forget(stash: Stash) -> None:
    """Drop the saved state once everything is back in the work tree."""
    (stash.directory / STATE).unlink(missing_ok=True)
    stash.patch.unlink(missing_ok=True)
    folders = set()
    for saved in stash.files:
        for name in (saved.copy, saved.clean):
            if name:
                (stash.directory / name).unlink(missing_ok=True)
                folders.add((stash.directory / name).parent)
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


# --------------------------------------------------------------------------- leftovers


def recover_leftover(root: Path, directory: Path | None = None) -> list[str]:
    """Restore the state a killed run left, when safe; raise StashError when not.
    ``directory``: ``private_dir(root)``, when already known."""
    directory = directory or private_dir(root)
    if not (directory / STATE).exists():
        return []
    data = json.loads((directory / STATE).read_text())
    pid, start = data.get("pid"), data.get("pid_start")
    if pid and start is not None and _process_start(pid) == start:
        raise StashError(
            f"another pytest-hookrun run (pid {pid}) has saved unstaged changes in {directory} "
            "and is still running; let it finish (nothing was touched)"
        )
    stash = Stash.read_state(root, directory)
    index = _index_entries(root, [f.path for f in stash.files])
    unsafe = []
    for saved in stash.files:
        moved = index.get(saved.path, (None, None))[1] != saved.base
        now = _current(root / saved.path)
        mine = (stash.directory / saved.copy).read_bytes() if saved.copy else None
        if saved.kind == "link" and mine is not None:
            mine = b"link:" + mine
        # as the killed run left it: reset to the staged content, or not yet reset at all
        if moved or now not in (_clean(stash, saved), mine):
            unsafe.append(saved.path)
    if unsafe:
        raise StashError(
            "an earlier run was killed before it restored your unstaged changes, and "
            + ", ".join(unsafe[:5])
            + " changed since; nothing was touched. Your changes are saved in "
            + f"{stash.patch} (a byte-exact copy of each file is in "
            + f"{stash.directory / Path(stash.files[0].copy or 'files').parent}, listed in "
            + f"{directory / STATE}); put them back with: {force_restore_command(root)}"
            + " (it merges what changed since; on a conflict your saved version wins and "
            + "the current one is kept as a patch); or, on files reset to the staged content, "
            + f"by hand: {stash.restore_command()}"
        )
    messages = restore(stash)
    return ["restored the unstaged changes that an earlier, killed run had saved", *messages]


def force_restore_command(root: Path) -> str:
    """The command that puts a leftover state back whatever changed since."""
    return f"{shlex.quote(sys.executable)} -m pytest_hookrun.stash restore {shlex.quote(str(root))}"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m pytest_hookrun.stash restore [REPO]``: put saved changes back by hand.

    What changed since the save is merged three-way with the saved versions (the
    content the save reset to as the base), as at the end of a run; where they
    truly conflict, the saved version wins and the current one is kept as a patch.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "restore":
        print("usage: python -m pytest_hookrun.stash restore [REPO]", file=sys.stderr)
        return 2
    root = Path(args[1] if len(args) > 1 else ".").resolve()
    try:
        directory = private_dir(root)
        if not (directory / STATE).exists():
            print(f"nothing to restore: no saved state in {directory}")
            return 0
        stash = Stash.read_state(root, directory)
        messages = restore(stash)
    except (StashError, OSError) as exc:
        print(f"pytest-hookrun: {exc}", file=sys.stderr)
        return 1
    print("restored the saved unstaged changes")
    for message in messages:
        print(message)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
