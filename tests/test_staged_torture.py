"""`pytest --hooks --hooks-staged` under torture: the user's unstaged work always comes back.

The contract (what the installed git pre-commit hook runs):

- hooks run on the staged files, against the staged content: every unstaged change is
  saved in a private directory inside .git (0700) and the work tree reset to the index;
  after the run it is restored: after a pass, a failure, a timeout, an exception,
  SIGINT or SIGTERM to pytest, and every hook process is killed before that;
- hook fixes and unstaged changes to one file are merged three-way (staged content as
  base); a true conflict keeps the user's version and saves the fixes as a patch whose
  `git apply <path>` command is printed;
- a run killed with SIGKILL leaves its state behind: the next `pytest --hooks` restores
  it when that is safe, or touches nothing and prints the command to restore it;
- it refuses (non-zero, touching nothing) on unmerged paths and on a hook config with
  unstaged changes;
- the index after the run is exactly what the user staged; untracked files are never
  touched.

The focused tests check each point; ``test_torture`` checks them all on random cases
(``HOOKRUN_TORTURE_SEED=N`` reruns one case through ``test_torture_one_seed``, and
``HOOKRUN_TORTURE_LOG=FILE`` appends one JSON line per case).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import torture_lib as tl
from .conftest import Repo
from .test_plugin import pid_alive, wait_for

FLAGS = (
    "--hooks-kill-grace",
    "0.2",
    "-v",
    "-rA",
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:benchmark",
)
COMMAND = [sys.executable, "-m", "pytest", "--hooks", "--hooks-staged", "-p", "no:cacheprovider"]
ENV_VARS = ("PYTEST_ADDOPTS", "SKIP", "HOOKRUN_JOBS", "HOOKRUN_TIMEOUT", "HOOKRUN_KILL_GRACE")


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return tl.write_scripts(tmp_path_factory.mktemp("torture-scripts"))


@pytest.fixture
def side(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Outside the repository: the hooks' records and markers."""
    path = tmp_path_factory.mktemp("side")
    (path / "tmp").mkdir()
    return path


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")


# --------------------------------------------------------------------------- helpers


def numbered(name: str, n: int = 12, eol: str = "\n") -> bytes:
    return "".join(f"{name} line {k:02d}{eol}" for k in range(n)).encode()


def edit_line(data: bytes, k: int, text: str) -> bytes:
    lines = data.splitlines(keepends=True)
    end = lines[k][len(lines[k].rstrip(b"\r\n")) :]
    lines[k] = text.encode() + end
    return b"".join(lines)


def probe_hook(scripts: dict[str, Path], side: Path) -> str:
    return tl.hook_yaml(
        "probe",
        tl.entry(scripts["probe"], side / "probe.json", side / "paths.json"),
        always_run=True,
        read_only=True,
        require_serial=True,
    )


def hang_hook(scripts: dict[str, Path], side: Path, how: str = "plain", **extra: object) -> str:
    return tl.hook_yaml(
        "hang",
        tl.entry(scripts["hang"], side / "marker", how),
        pass_filenames=False,
        always_run=True,
        read_only=True,
        **extra,
    )


def fixer_hook(scripts: dict[str, Path], side: Path, prefix: str, files: str) -> str:
    return tl.hook_yaml("fixer", tl.entry(scripts["fixer"], prefix, side / "tmp"), files=files)


def user_state(root: Path, side: Path) -> tl.UserState:
    user = tl.capture(root)
    (side / "paths.json").write_text(json.dumps(user.probe_paths()))
    return user


def probe(side: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((side / "probe.json").read_text())
    return data


def seen(side: Path, path: str) -> tl.Entry:
    """The entry of ``path`` as the probe hook saw it during the run."""
    state = probe(side)["state"]
    assert isinstance(state, dict)
    value = state[path]
    if value is None:
        return None
    return ("file", bytes.fromhex(value[1]), value[2])


def run_inprocess(pytester: pytest.Pytester, *args: str) -> tuple[int, str]:
    result = pytester.runpytest(
        "--hooks", "--hooks-staged", "-p", "no:cacheprovider", *FLAGS, *args
    )
    return int(result.ret), "\n".join(result.outlines + result.errlines)


def start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*COMMAND, *FLAGS, *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )


def rerun(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *FLAGS, *args],
        cwd=root,
        capture_output=True,
        env=env,
        timeout=120,
    )
    return proc.returncode, (proc.stdout + proc.stderr).decode(errors="replace")


def marker_pids(marker: Path) -> list[int]:
    return [int(p) for p in marker.read_text().split()]


def wait_marker(marker: Path, proc: subprocess.Popen[bytes]) -> None:
    if not wait_for(lambda: marker.exists() or proc.poll() is not None, 60):
        proc.kill()
    if not marker.exists():
        proc.kill()
        out = proc.communicate(timeout=30)[0].decode(errors="replace")
        pytest.fail(f"the hook never started:\n{out}")


def kill_orphans(pids: list[int]) -> None:
    """Hook processes a SIGKILLed pytest could not end: ended here, by their group id."""
    for pid in pids:
        if pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)
    assert wait_for(lambda: not any(pid_alive(p) for p in pids), 10)


def no_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env.update(extra)
    return env


def assert_untracked_untouched(root: Path, user: tl.UserState) -> None:
    assert {p: tl.full_stat(root / p) for p in user.untracked} == user.untracked


def assert_nothing_left(root: Path, user: tl.UserState, output: str = "") -> None:
    left = tl.check_leftovers(user, root, output)
    assert left == [], problems_text(left) + "\n" + output[-3000:]


def not_restored(root: Path, user: tl.UserState) -> list[str]:
    after = tl.tree(root)
    return sorted(p for p in set(user.tree) | set(after) if after.get(p) != user.tree.get(p))


def next_run_restores(root: Path, user: tl.UserState, side: Path, skip: str) -> str:
    """For a failure message: does the next `pytest --hooks` put the work back? (On a copy.)"""
    copy = side / "copy-of-repo"
    shutil.copytree(root, copy, symlinks=True)
    ret, out = rerun(copy, "--hooks", env=no_env(TORTURE_NO_HANG="1", SKIP=skip))
    lost = not_restored(copy, user)
    if not lost and tl.index_state(copy) == user.index:
        return f"the next `pytest --hooks` restores it all (exit {ret})"
    return f"the next `pytest --hooks` (exit {ret}) leaves {lost[:5]} unrestored:\n{out[-2000:]}"


def problems_text(problems: list[tl.Problem]) -> str:
    return "\n".join(map(str, problems))


# --------------------------------------------------------------------------- each kind of unstaged change

UNSTAGED_KINDS = [
    "text",
    "binary",
    "crlf",
    "deleted",
    "intent-to-add",
    "mode",
    "staged-and-unstaged",
]


@pytest.mark.parametrize("kind", UNSTAGED_KINDS)
def test_unstaged_change_is_hidden_from_hooks_and_restored(
    kind: str,
    repo: Repo,
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    side: Path,
    clean_env: None,
) -> None:
    root = repo.path
    committed = {
        "text": ("t.txt", numbered("t")),
        "binary": ("t.bin", b"\0\x01binary\xff\xfe" * 8),
        "crlf": ("t.crlf", numbered("t", eol="\r\n")),
        "deleted": ("t.txt", numbered("t")),
        "intent-to-add": (None, b""),
        "mode": ("t.sh", b"#!/bin/sh\necho t\n"),
        "staged-and-unstaged": ("t.txt", numbered("t")),
    }
    target, content = committed[kind]
    repo.write("a.txt", numbered("a"))
    repo.write("exec.sh", b"#!/bin/sh\necho x\n", mode=tl.EXEC_MODE)
    if target:
        repo.write(target, content, mode=tl.FILE_MODE)
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side))
    repo.commit()
    repo.write("a.txt", edit_line(numbered("a"), 3, "a staged"))
    repo.add("a.txt")
    staged_names = ["a.txt"]
    during = content  # what the hooks must see of the target
    if kind == "text":
        repo.write(target, edit_line(content, 8, "t unstaged"))
    elif kind == "binary":
        during = b"\0\x02staged\xff" * 9
        repo.write(target, during)
        repo.add(target)
        staged_names.append(target)
        repo.write(target, b"\0\x03unstaged\xfe" * 7)
    elif kind == "crlf":
        during = edit_line(content, 2, "t staged")
        repo.write(target, during)
        repo.add(target)
        staged_names.append(target)
        mine = edit_line(during, 7, "t unstaged bare lf\n t more").rstrip(b"\r\n")
        repo.write(target, mine)
    elif kind == "deleted":
        (root / target).unlink()
    elif kind == "intent-to-add":
        repo.write("new.txt", numbered("new"))
        tl.git(root, "add", "-N", "new.txt")
        repo.write("exec.sh", b"#!/bin/sh\necho x\n", mode=tl.FILE_MODE)  # and a mode change
    elif kind == "mode":
        (root / target).chmod(tl.EXEC_MODE)
        (root / "exec.sh").chmod(tl.FILE_MODE)
    elif kind == "staged-and-unstaged":
        during = edit_line(content, 1, "t staged")
        repo.write(target, during)
        repo.add(target)
        staged_names.append(target)
        repo.write(target, edit_line(during, 9, "t unstaged"))
    user = user_state(root, side)
    assert user.has_unstaged()

    ret, out = run_inprocess(pytester)

    assert ret == 0, out
    assert sorted(probe(side)["argv"]) == sorted(staged_names)  # type: ignore[arg-type]
    if target:
        assert seen(side, target) == ("file", during, tl.FILE_MODE)
    assert seen(side, "a.txt") == ("file", edit_line(numbered("a"), 3, "a staged"), tl.FILE_MODE)
    assert seen(side, "exec.sh") == ("file", b"#!/bin/sh\necho x\n", tl.EXEC_MODE)
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    if kind == "intent-to-add":
        assert tl.git(root, "diff", "--name-only", "--diff-filter=A") == b"new.txt\n"
        assert tl.git(root, "diff", "--cached", "--name-only") == b"a.txt\n"
    assert_nothing_left(root, user)


def test_deleted_file_and_intent_to_add_file_with_the_same_content(
    repo: Repo,
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    side: Path,
    clean_env: None,
) -> None:
    """git pairs an unstaged deletion with an intent-to-add file of the same content as
    a rename (`git diff` shows `R a.txt -> b.txt`): both are still unstaged changes."""
    root = repo.path
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side))
    repo.commit()
    repo.write("a.txt", b"same content\n")
    repo.add("a.txt")  # staged: a new file
    (root / "a.txt").unlink()  # unstaged: deleted
    repo.write("b.txt", b"same content\n")
    tl.git(root, "add", "-N", "b.txt")  # unstaged: intent to add
    assert tl.git(root, "diff", "--name-status") == b"R100\ta.txt\tb.txt\n"
    user = user_state(root, side)

    ret, out = run_inprocess(pytester)

    assert ret == 0, out
    assert sorted(probe(side)["argv"]) == ["a.txt"]  # type: ignore[arg-type]
    assert seen(side, "a.txt") == ("file", b"same content\n", tl.FILE_MODE)
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


def test_intent_to_add_file_is_out_of_reach_of_whole_tree_hooks(
    repo: Repo, pytester: pytest.Pytester, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """An intent-to-add file is unstaged work: saved aside like the rest, so a formatter
    that walks the whole tree (pass_filenames: false) cannot rewrite it."""
    root = repo.path
    repo.write("a.txt", numbered("a"))
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD
        + tl.hook_yaml(
            "format-tree",
            tl.entry(scripts["format-tree"], "FORMATTED-"),
            pass_filenames=False,
            always_run=True,
        ),
    )
    repo.commit()
    staged = edit_line(numbered("a"), 1, "staged")
    repo.write("a.txt", staged)
    repo.add("a.txt")
    repo.write("new.txt", b"my new file, not staged yet\n")
    tl.git(root, "add", "-N", "new.txt")
    user = tl.capture(root)

    ret, out = run_inprocess(pytester)

    assert ret == 1, out  # the formatter modified a.txt
    assert (root / "a.txt").read_bytes() == b"FORMATTED-" + staged
    assert (root / "new.txt").read_bytes() == b"my new file, not staged yet\n", out
    assert tl.index_state(root) == user.index


def test_saved_in_a_private_directory_inside_git(
    repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    root = repo.path
    repo.write("a.txt", numbered("a"))
    repo.write("b.txt", numbered("b"))
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD + probe_hook(scripts, side) + hang_hook(scripts, side, depends_on=["probe"]),
    )
    repo.commit()
    repo.write("a.txt", edit_line(numbered("a"), 0, "a staged"))
    repo.add("a.txt")
    secret = "b unstaged 7f3a9c secret work"
    repo.write("b.txt", edit_line(numbered("b"), 5, secret))
    user = user_state(root, side)
    dirs_before = tl.git_dirs(root)

    proc = start(root)
    try:
        wait_marker(side / "marker", proc)
        new = {d: m for d, m in tl.git_dirs(root).items() if d not in dirs_before}
        private = [d for d, m in new.items() if m == 0o700]
        holders = [
            Path(top) / name
            for d in private
            for top, _, names in os.walk(root / d)
            for name in names
        ]
        saved = [p for p in holders if secret.encode() in p.read_bytes()]
        during = (root / "b.txt").read_bytes()
        proc.send_signal(signal.SIGINT)
        out = proc.communicate(timeout=60)[0].decode(errors="replace")
    finally:
        proc.kill()
    assert private, f"no new 0700 directory in .git: {new}"
    assert all(any(d == p or d.startswith(p + "/") for p in private) for d in new), new
    assert saved, f"the unstaged change is in no file of {private}"
    assert during == numbered("b")
    assert proc.returncode > 0, out
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


# --------------------------------------------------------------------------- however the run ends

OUTCOMES = {
    "pass": ("true", {}, 0),
    "fail": ("false", {}, 1),
    "timeout": (None, {"timeout": 1}, 1),
    "crash": (None, {}, 1),
    "exception": ("true", {}, 3),
}


def every_kind_of_change(repo: Repo) -> None:
    """A committed repository, then staged and unstaged changes of each kind."""
    repo.write("a.txt", numbered("a"))
    repo.write("t.txt", numbered("t"))
    repo.write("t.bin", b"\0bin\xff" * 10)
    repo.write("t.crlf", numbered("t", eol="\r\n"))
    repo.write("gone.txt", numbered("gone"))
    repo.write("m.sh", b"echo m\n", mode=tl.FILE_MODE)
    repo.write("both.txt", numbered("both"))
    repo.commit()
    repo.write("a.txt", edit_line(numbered("a"), 2, "a staged"))
    repo.write("both.txt", edit_line(numbered("both"), 1, "both staged"))
    repo.add("a.txt", "both.txt")
    repo.write("both.txt", edit_line(edit_line(numbered("both"), 1, "both staged"), 10, "mine"))
    repo.write("t.txt", edit_line(numbered("t"), 6, "t unstaged"))
    repo.write("t.bin", b"\0bin\xfe" * 11)
    repo.write("t.crlf", edit_line(numbered("t", eol="\r\n"), 4, "t unstaged"))
    (repo.path / "gone.txt").unlink()
    (repo.path / "m.sh").chmod(tl.EXEC_MODE)
    repo.write("ita.txt", numbered("ita"))
    tl.git(repo.path, "add", "-N", "ita.txt")
    repo.write("untracked.txt", b"mine, untracked\n")
    repo.write("ignored.ign", b"mine, ignored\n")


@pytest.mark.parametrize("how", list(OUTCOMES))
def test_restored_however_the_run_ends(
    how: str,
    repo: Repo,
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    side: Path,
    clean_env: None,
) -> None:
    command, extra, code = OUTCOMES[how]
    if how == "timeout":
        command = tl.entry(scripts["hang"], side / "marker", "stubborn")
    elif how == "crash":
        command = tl.entry(scripts["crash"])
    assert command is not None
    repo.write(".gitignore", "*.ign\n")
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD
        + probe_hook(scripts, side)
        + tl.hook_yaml(how, command, read_only=True, **extra),
    )
    every_kind_of_change(repo)
    if how == "exception":
        repo.write("conftest.py", tl.EXCEPTION_CONFTEST)
    root = repo.path
    user = user_state(root, side)

    ret, out = run_inprocess(pytester)

    assert ret == code, out
    assert ("INTERNALERROR" in out) == (how == "exception"), out
    problems = tl.check_probe(user, side / "probe.json")
    assert problems == [], problems_text(problems)
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert_untracked_untouched(root, user)
    assert_nothing_left(root, user)
    if how == "timeout":
        assert not pid_alive(marker_pids(side / "marker")[0])


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_to_pytest_kills_every_hook_before_restoring(
    sig: signal.Signals, repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """A stubborn formatter (and its child) keeps writing stale content over a file with
    unstaged changes; restoring before they are dead would let them clobber it."""
    root = repo.path
    stale = b"STALE CONTENT FROM A SLOW FORMATTER\n"
    writer = tl.hook_yaml(
        "writer",
        tl.entry(scripts["writer"], side / "marker", "w.txt", stale.hex()),
        pass_filenames=False,
        always_run=True,
        depends_on=["probe"],
    )
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side) + writer)
    every_kind_of_change(repo)
    repo.write("w.txt", numbered("w"))
    repo.add("w.txt")
    repo.write("w.txt", edit_line(numbered("w"), 5, "w unstaged"))
    user = user_state(root, side)

    proc = start(root)
    try:
        wait_marker(side / "marker", proc)
        pids = marker_pids(side / "marker")
        assert len(pids) == 2
        assert wait_for(lambda: (root / "w.txt").read_bytes() == stale, 30)
        proc.send_signal(sig)  # to pytest alone, as an IDE's stop button does
        out = proc.communicate(timeout=60)[0].decode(errors="replace")
        alive = [p for p in pids if pid_alive(p)]
    finally:
        proc.kill()
        kill_orphans(marker_pids(side / "marker"))
    assert alive == [], out
    assert proc.returncode > 0, out  # pytest ended the run itself (not killed by the signal)
    problems = tl.check_probe(user, side / "probe.json")
    assert problems == [], problems_text(problems)
    assert tl.tree(root) == user.tree, out
    assert tl.index_state(root) == user.index
    assert_untracked_untouched(root, user)
    assert_nothing_left(root, user, out)


@pytest.mark.parametrize("presses", [2, 200])
def test_ctrl_c_again_while_restoring(
    presses: int, repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """A user who presses Ctrl-C twice (or keeps pressing it) must not cut the restore
    in half: the presses come 5 ms apart, until pytest has exited."""
    root = repo.path
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD + probe_hook(scripts, side) + hang_hook(scripts, side, depends_on=["probe"]),
    )
    names = [f"many/f{i:03d}.txt" for i in range(150)]
    for name in names:
        repo.write(name, numbered(name))
    repo.commit()
    repo.write("many/f000.txt", edit_line(numbered("many/f000.txt"), 0, "staged"))
    repo.add("many/f000.txt")
    for name in names[1:]:
        repo.write(name, edit_line(numbered(name), 6, f"{name} unstaged"))
    user = user_state(root, side)

    proc = start(root)
    try:
        wait_marker(side / "marker", proc)
        sent = 0
        while proc.poll() is None and sent < presses:
            proc.send_signal(signal.SIGINT)
            sent += 1
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.005)
        out = proc.communicate(timeout=60)[0].decode(errors="replace")
    finally:
        proc.kill()
        kill_orphans(marker_pids(side / "marker"))
    lost = not_restored(root, user)
    assert lost == [], (
        f"{len(lost)} files not restored after {sent} SIGINTs: {lost[:5]}; "
        + next_run_restores(root, user, side, "probe,hang")
        + f"\n{out}"
    )
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


# --------------------------------------------------------------------------- fixes and unstaged work


@pytest.mark.parametrize("variant", ["lf", "crlf", "mode-only", "binary-mode-only"])
def test_hook_fix_merged_with_unstaged_changes(
    variant: str,
    repo: Repo,
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    side: Path,
    clean_env: None,
) -> None:
    root = repo.path
    eol = "\r\n" if variant == "crlf" else "\n"
    name = "t.bin" if variant == "binary-mode-only" else "t.txt"
    committed = b"\0binary\xff" * 8 if name == "t.bin" else numbered("t", 14, eol)
    repo.write(name, committed)
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD + probe_hook(scripts, side) + fixer_hook(scripts, side, "FIXED-", r"^t\."),
    )
    repo.commit()
    staged = committed + b"staged\n" if name == "t.bin" else edit_line(committed, 2, "t staged")
    repo.write(name, staged)
    repo.add(name)
    if variant.endswith("mode-only"):
        (root / name).chmod(tl.EXEC_MODE)
        expected = ("file", tl.fix(staged, b"FIXED-"), tl.EXEC_MODE)
    else:
        mine = edit_line(staged, 10, "t unstaged")
        repo.write(name, mine)
        expected = ("file", tl.fix(mine, b"FIXED-"), tl.FILE_MODE)
    user = user_state(root, side)

    ret, out = run_inprocess(pytester)

    assert ret == 1, out  # the fixer modified a file
    assert seen(side, name) == ("file", staged, tl.FILE_MODE)
    assert tl.entry_of(root / name) == expected, out
    assert tl.index_state(root) == user.index  # the fix is left unstaged
    assert tl.git(root, "show", f":{name}") == staged
    assert_nothing_left(root, user, out)


def test_hook_mode_fix_kept_with_unstaged_content_change(
    repo: Repo, pytester: pytest.Pytester, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """The hook changes only the mode, the user only the content: no overlap, both kept."""
    root = repo.path
    repo.write("run.sh", b"#!/bin/sh\necho run\n" + numbered("run"), mode=tl.FILE_MODE)
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD
        + probe_hook(scripts, side)
        + tl.hook_yaml("chmodx", tl.entry(scripts["chmodx"]), files=r"\.sh$"),
    )
    repo.commit()
    staged = edit_line(b"#!/bin/sh\necho run\n" + numbered("run"), 3, "staged")
    repo.write("run.sh", staged)
    repo.add("run.sh")
    mine = edit_line(staged, 11, "mine")
    repo.write("run.sh", mine)
    user = user_state(root, side)

    ret, out = run_inprocess(pytester)

    assert ret == 1, out  # the hook modified a file (its mode)
    assert tl.index_state(root) == user.index
    assert tl.entry_of(root / "run.sh") == ("file", mine, tl.EXEC_MODE), out


@pytest.mark.slow
def test_more_unstaged_files_than_one_command_line_holds(
    repo: Repo, pytester: pytest.Pytester, clean_env: None
) -> None:
    """10,000 files with unstaged changes and 250-byte paths: 2.5 MB of names, more than
    one command line (ARG_MAX) takes. Every file comes back; no INTERNALERROR."""
    root = repo.path
    folder = "d" * 100 + "/" + "e" * 48
    names = [f"{folder}/{'f' * 92}{i:05d}.txt" for i in range(10_000)]
    (root / folder).mkdir(parents=True)
    for name in names:
        (root / name).write_bytes(b"committed\n")
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD + tl.hook_yaml("ok", "true", pass_filenames=False, always_run=True),
    )
    repo.commit()
    repo.write("staged.txt", b"staged\n")
    repo.add("staged.txt")
    for name in names:
        (root / name).write_bytes(b"committed\nunstaged\n")
    before_tree, before_index = tl.tree(root), tl.index_state(root)

    ret, out = run_inprocess(pytester)

    assert "INTERNALERROR" not in out, out[-3000:]
    assert ret == 0, out[-3000:]
    assert tl.tree(root) == before_tree
    assert tl.index_state(root) == before_index


FIXER_REPORT_RAISES = """\
def pytest_runtest_logreport(report):
    if report.when == "call" and report.nodeid.endswith("::fixer"):
        raise RuntimeError("an exception inside the pytest run, the fixer done")
"""


@pytest.mark.parametrize("internal_error", [False, True])
def test_conflicting_fix_is_saved_as_a_patch(
    repo: Repo,
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    side: Path,
    clean_env: None,
    internal_error: bool,
) -> None:
    """... and where it went is said, after an internal error too (pytest shows no
    terminal summary then)."""
    root = repo.path
    repo.write("t.txt", numbered("t"))
    repo.write("u.txt", numbered("u"))
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD
        + probe_hook(scripts, side)
        + fixer_hook(scripts, side, "FIXED-", r"^[tu]\.txt$"),
    )
    repo.commit()
    staged = edit_line(numbered("t"), 4, "t staged")
    repo.write("t.txt", staged)
    repo.write("u.txt", edit_line(numbered("u"), 4, "u staged"))
    repo.add("t.txt", "u.txt")
    mine = edit_line(staged, 0, "my own first line")  # the very line the fixer changes
    repo.write("t.txt", mine)
    if internal_error:
        repo.write(".gitignore", "conftest.py\n__pycache__/\n")
        repo.write("conftest.py", FIXER_REPORT_RAISES)
    user = user_state(root, side)

    ret, out = run_inprocess(pytester)

    assert ret == (pytest.ExitCode.INTERNAL_ERROR if internal_error else 1), out
    assert ("INTERNALERROR" in out) == internal_error, out
    assert tl.entry_of(root / "t.txt") == ("file", mine, tl.FILE_MODE)  # the user's version
    # no conflict on u.txt: its fix is simply there
    assert (root / "u.txt").read_bytes() == b"FIXED-" + edit_line(numbered("u"), 4, "u staged")
    assert tl.index_state(root) == user.index
    patches = tl.patch_paths(out)
    assert len(patches) == 1, out
    patch = patches[0]
    assert patch.exists(), out
    assert b"+FIXED-t line 00" in patch.read_bytes()
    # by hand: the patch turns the staged version into the hook's fix
    (root / "t.txt").write_bytes(staged)
    applied = subprocess.run(("git", "apply", str(patch)), cwd=root, capture_output=True)
    assert applied.returncode == 0, applied.stderr.decode()
    assert (root / "t.txt").read_bytes() == b"FIXED-" + staged
    (root / "t.txt").write_bytes(mine)
    assert_nothing_left(root, user, out)


@pytest.mark.parametrize(
    "name",
    ["sp ace.txt", "\u00fcn\u00ef.txt", 'dq"x.txt', "sp ace.bin", "\u00fcn\u00ef.bin", 'dq"x.bin'],
)
def test_conflict_patch_applies_whatever_the_file_name(
    name: str,
    repo: Repo,
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    side: Path,
    clean_env: None,
) -> None:
    root = repo.path
    binary = name.endswith(".bin")
    base = b"\0binary\xff" * 6 if binary else numbered("t")
    repo.write(name, base)
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD + probe_hook(scripts, side) + fixer_hook(scripts, side, "FIXED-", "."),
    )
    repo.commit()
    staged = base + b"staged\n"
    repo.write(name, staged)
    repo.add(name)
    mine = b"\1" + staged if binary else edit_line(staged, 0, "my own first line")
    repo.write(name, mine)
    user = user_state(root, side)

    ret, out = run_inprocess(pytester)

    assert ret == 1, out
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    patches = tl.patch_paths(out)
    assert len(patches) == 1, out
    (side / "scratch").mkdir()
    (side / "scratch" / name).write_bytes(staged)
    applied = subprocess.run(
        ("git", "apply", str(patches[0])), cwd=side / "scratch", capture_output=True, check=False
    )
    assert applied.returncode == 0, applied.stderr.decode() + patches[0].read_text(errors="replace")
    assert (side / "scratch" / name).read_bytes() == tl.fix(staged, b"FIXED-")


# --------------------------------------------------------------------------- SIGKILL, then the next run


def killed_run(root: Path, side: Path) -> str:
    """Start a staged run, SIGKILL pytest once its hook hangs, end the orphaned hook."""
    proc = start(root)
    try:
        wait_marker(side / "marker", proc)
        proc.kill()
        proc.wait(timeout=30)
    finally:
        proc.kill()
        if (side / "marker").exists():
            kill_orphans(marker_pids(side / "marker"))
    return proc.communicate(timeout=30)[0].decode(errors="replace")


def sigkill_setup(
    repo: Repo, scripts: dict[str, Path], side: Path, *, hang: bool = True
) -> tl.UserState:
    repo.write(".gitignore", "*.ign\n")
    config = tl.CONFIG_HEAD + probe_hook(scripts, side)
    if hang:
        config += hang_hook(scripts, side, depends_on=["probe"])
    repo.write(".pre-commit-config.yaml", config)
    every_kind_of_change(repo)
    return user_state(repo.path, side)


@pytest.mark.parametrize("next_run", [["--hooks"], ["--hooks", "--hooks-staged"]])
def test_sigkill_leaves_state_the_next_run_restores(
    next_run: list[str], repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    root = repo.path
    user = sigkill_setup(repo, scripts, side)

    killed_run(root, side)
    # the unstaged work is not in the work tree any more: it waits in .git
    assert (root / "t.txt").read_bytes() == numbered("t")
    assert (root / "gone.txt").exists()
    assert tl.git_files(root) - user.git_files

    ret, out = rerun(root, *next_run, env=no_env(TORTURE_NO_HANG="1"))

    assert ret == 0, out
    assert tl.tree(root) == user.tree, out
    assert tl.index_state(root) == user.index
    assert_untracked_untouched(root, user)
    assert_nothing_left(root, user, out)


def test_sigkill_then_changed_file_stops_the_next_run(
    repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    root = repo.path
    user = sigkill_setup(repo, scripts, side)
    killed_run(root, side)
    # the user edits a file whose unstaged change is saved aside (far from that change)
    later = edit_line(numbered("t"), 0, "edited after the kill")
    (root / "t.txt").write_bytes(later)
    before_tree, before_index = tl.tree(root), tl.index_state(root)
    (side / "probe.json").unlink()

    ret, out = rerun(root, "--hooks", env=no_env(TORTURE_NO_HANG="1"))

    assert ret != 0, out
    assert not (side / "probe.json").exists(), "hooks ran"
    assert tl.tree(root) == before_tree
    assert tl.index_state(root) == before_index
    command = tl.restore_command(out)
    assert command, f"no `git apply ...` command printed:\n{out}"
    # following the printed command brings the saved work back (over the later edit)
    applied = subprocess.run(command, shell=True, cwd=root, capture_output=True, check=False)
    assert applied.returncode == 0, command + "\n" + applied.stderr.decode()
    expected = dict(user.tree)
    expected["t.txt"] = (
        "file",
        edit_line(edit_line(numbered("t"), 6, "t unstaged"), 0, "edited after the kill"),
        tl.FILE_MODE,
    )
    assert tl.tree(root) == expected
    assert tl.index_state(root) == user.index, "the printed command does not restore the index"


def test_second_run_leaves_a_live_runs_saved_state_alone(
    repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """The saved state of a run that is still going is not a killed run's leftover: a
    `pytest --hooks` started meanwhile (an IDE, a test of the project's own hooks) must
    not restore it under the running hooks, nor pull it away from the first run."""
    root = repo.path
    user = sigkill_setup(repo, scripts, side)
    first = start(root)
    try:
        wait_marker(side / "marker", first)
        during_tree, during_index = tl.tree(root), tl.index_state(root)
        second_ret, second_out = rerun(root, "--hooks", env=no_env(SKIP="probe,hang"))
        after_second = tl.tree(root), tl.index_state(root)
        first.send_signal(signal.SIGINT)
        out = first.communicate(timeout=60)[0].decode(errors="replace")
    finally:
        first.kill()
        kill_orphans(marker_pids(side / "marker"))
    assert after_second == (during_tree, during_index), (
        "the second run changed the work tree under the first run's hooks: "
        f"{sorted(p for p in set(during_tree) | set(after_second[0]) if during_tree.get(p) != after_second[0].get(p))}"
        f"\nsecond run (exit {second_ret}):\n{second_out}"
    )
    assert "INTERNALERROR" not in out, out
    assert not_restored(root, user) == [], out
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


def test_a_submodule_checked_out_elsewhere_is_left_alone(
    repo: Repo, pytester: pytest.Pytester, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """A submodule whose checkout is not the commit the index records is the submodule's
    own business (git stash and pre-commit leave it too): neither saved nor reset, while
    the file edits beside it are put aside and back as always."""
    root = repo.path
    source = repo.outside("sub-source")
    source.mkdir()
    sub = Repo(source)
    sub.write("s.txt", "one\n")
    sub.commit("one")
    repo.write("a.txt", numbered("a"))
    repo.write("c.txt", numbered("c"))
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side))
    repo.commit()
    tl.git(
        root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", source.as_uri(), "sub"
    )
    repo.commit("add the submodule")
    (root / "sub" / "s.txt").write_text("two\n")  # a new commit checked out in it
    who = ("-c", "user.email=test@example.com", "-c", "user.name=Test")
    tl.git(root / "sub", *who, "commit", "-q", "-am", "two")
    moved = tl.git(root / "sub", "rev-parse", "HEAD")
    repo.write("c.txt", edit_line(numbered("c"), 0, "c staged"))
    repo.add("c.txt")
    repo.write("a.txt", edit_line(numbered("a"), 3, "a unstaged"))
    user = user_state(root, side)
    assert " M sub" in os.fsdecode(tl.git(root, "status", "--porcelain"))

    ret, out = run_inprocess(pytester)

    assert ret == 0, out
    assert seen(side, "a.txt") == ("file", numbered("a"), 0o644)  # the staged one
    assert tl.git(root / "sub", "rev-parse", "HEAD") == moved
    assert (root / "sub" / "s.txt").read_text() == "two\n"
    assert not_restored(root, user) == [], out
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


# --------------------------------------------------------------------------- refusals


def test_refuses_on_unmerged_paths(
    repo: Repo, pytester: pytest.Pytester, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    root = repo.path
    repo.write("c.txt", numbered("c"))
    repo.write("a.txt", numbered("a"))
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side))
    repo.commit()
    tl.git(root, "checkout", "-q", "-b", "other")
    repo.write("c.txt", edit_line(numbered("c"), 0, "theirs"))
    repo.commit("theirs")
    tl.git(root, "checkout", "-q", "main")
    repo.write("c.txt", edit_line(numbered("c"), 0, "ours"))
    repo.commit("ours")
    merge = subprocess.run(("git", "merge", "-q", "other"), cwd=root, capture_output=True)
    assert merge.returncode != 0
    repo.write("a.txt", edit_line(numbered("a"), 3, "a unstaged"))
    user = user_state(root, side)
    assert " 1\tc.txt" in user.index[0].replace("\0", "\n")

    ret, out = run_inprocess(pytester)

    assert ret not in (0, 1), out  # refused: not a run with failing hooks
    assert "c.txt" in out
    assert "Traceback" not in out
    assert not (side / "probe.json").exists()
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert tl.git_files(root) - user.git_files == set()


def test_refuses_when_the_config_has_unstaged_changes(
    repo: Repo, pytester: pytest.Pytester, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    root = repo.path
    repo.write("a.txt", numbered("a"))
    repo.write("b.txt", numbered("b"))
    config = tl.CONFIG_HEAD + probe_hook(scripts, side)
    repo.write(".pre-commit-config.yaml", config)
    repo.commit()
    repo.write("a.txt", edit_line(numbered("a"), 3, "a staged"))
    repo.add("a.txt")
    repo.write("b.txt", edit_line(numbered("b"), 3, "b unstaged"))
    repo.write(".pre-commit-config.yaml", config + "# an unstaged comment\n")
    user = user_state(root, side)

    ret, out = run_inprocess(pytester)

    assert ret not in (0, 1), out
    assert ".pre-commit-config.yaml" in out
    assert "Traceback" not in out
    assert not (side / "probe.json").exists()
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert tl.git_files(root) - user.git_files == set()


# --------------------------------------------------------------------------- interrupted while saving


def fake_git(side: Path, action: str, word: str = "checkout") -> dict[str, str]:
    """A `git` first on PATH that, the first time it is asked to `checkout` (the reset of
    the work tree; or ``word``), runs ``action`` (kill its parent, pytest) before the real
    git, or after it when the action ends with "-after"."""
    real = shutil.which("git")
    assert real is not None
    bin_dir = side / "bin"
    bin_dir.mkdir()
    flag = side / "signalled"
    after_reset = action.endswith("-after")
    before, after = (":", action.removesuffix("-after")) if after_reset else (action, ":")
    script = f"""#!/bin/sh
hit=
for a in "$@"; do [ "$a" = {word} ] && [ ! -e {flag} ] && hit=1; done
if [ -n "$hit" ]; then : > {flag}; {before}; fi
{real} "$@"; status=$?
if [ -n "$hit" ]; then {after}; fi
exit $status
"""
    (bin_dir / "git").write_text(script)
    (bin_dir / "git").chmod(0o755)
    return no_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize("sig", ["INT", "TERM"])
def test_signal_while_saving_still_restores(
    sig: str, repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    root = repo.path
    user = sigkill_setup(repo, scripts, side, hang=False)
    env = fake_git(side, f"kill -{sig} $PPID")

    proc = start(root, env=env)
    try:
        out = proc.communicate(timeout=120)[0].decode(errors="replace")
    finally:
        proc.kill()
        if (side / "marker").exists():
            kill_orphans(marker_pids(side / "marker"))
    assert (side / "signalled").exists(), out
    assert proc.returncode > 0, out
    lost = not_restored(root, user)
    assert lost == [], (
        f"not restored when pytest exited: {lost}; "
        + next_run_restores(root, user, side, "probe")
        + f"\n{out}"
    )
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


@pytest.mark.parametrize("when", ["before-reset", "after-reset"])
def test_sigkill_while_saving_next_run_restores(
    when: str, repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    root = repo.path
    user = sigkill_setup(repo, scripts, side, hang=False)
    # killed before the reset: the real git never runs
    action = "kill -KILL $PPID-after" if when == "after-reset" else "kill -KILL $PPID; exit 1"
    env = fake_git(side, action)

    proc = start(root, env=env)
    try:
        proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert (side / "signalled").exists()
    assert proc.returncode == -signal.SIGKILL

    ret, out = rerun(root, "--hooks", env=no_env(TORTURE_NO_HANG="1"))

    assert ret == 0, out
    assert not_restored(root, user) == [], out
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


def test_sigkill_while_restoring_then_the_work_comes_back(
    repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """pytest is killed in the middle of the restore (at the three-way merge of m.txt,
    after a.txt was put back). The next run restores the rest, or the command it prints
    does; either way every unstaged change comes back."""
    root = repo.path
    for name in ("a.txt", "m.txt", "z.txt"):
        repo.write(name, numbered(name))
    repo.write(
        ".pre-commit-config.yaml",
        tl.CONFIG_HEAD + fixer_hook(scripts, side, "FIXED-", r"^m\.txt$"),
    )
    repo.commit()
    staged_m = edit_line(numbered("m.txt"), 2, "m staged")
    repo.write("m.txt", staged_m)
    repo.add("m.txt")
    for name in ("a.txt", "m.txt", "z.txt"):
        repo.write(name, edit_line((root / name).read_bytes(), 9, f"{name} unstaged"))
    user = tl.capture(root)
    env = fake_git(side, "kill -KILL $PPID; exit 1", word="merge-file")

    proc = start(root, env=env)
    try:
        proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert (side / "signalled").exists()
    assert proc.returncode == -signal.SIGKILL

    ret, out = rerun(root, "--hooks", env=no_env(SKIP="fixer"))
    if ret != 0:
        command = tl.restore_command(out)
        assert command, f"the next run stopped without a restore command:\n{out}"
        applied = subprocess.run(command, shell=True, cwd=root, capture_output=True, check=False)
        assert applied.returncode == 0, (
            f"the next run stopped, and its command fails:\n{command}\n"
            f"{applied.stderr.decode()}\n{out[-2000:]}"
        )
    after = tl.tree(root)
    assert after["a.txt"] == user.tree["a.txt"]
    assert after["z.txt"] == user.tree["z.txt"]
    mine = user.tree["m.txt"]
    assert mine is not None
    assert after["m.txt"] in (mine, ("file", tl.fix(mine[1], b"FIXED-"), mine[2]))  # type: ignore[arg-type]
    assert tl.index_state(root) == user.index


# --------------------------------------------------------------------------- untracked files


def test_untracked_files_are_never_touched(
    repo: Repo, pytester: pytest.Pytester, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    root = repo.path
    repo.write(".gitignore", "*.ign\nbuild/\n")
    repo.write("d/a.txt", numbered("a"))
    repo.write("d/b.txt", numbered("b"))
    repo.write("keep.txt", numbered("keep"))
    repo.write("gone/only.txt", numbered("only"))
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side))
    repo.commit()
    repo.write("d/a.txt", edit_line(numbered("a"), 1, "staged"))
    repo.add("d/a.txt")
    repo.write("d/a.txt", edit_line(edit_line(numbered("a"), 1, "staged"), 9, "unstaged"))
    (root / "gone/only.txt").unlink()  # its directory goes with it
    tl.git(root, "rm", "-q", "--cached", "keep.txt")  # staged deletion, file kept: untracked
    for name in ("d/notes.txt", "new.txt", "cache.ign", "build/out.bin", ".hidden", "gone/x.ign"):
        repo.write(name, f"untracked {name}\n".encode())
    (root / "new.txt").chmod(tl.EXEC_MODE)
    user = user_state(root, side)
    assert set(user.untracked) == {
        "keep.txt",
        "d/notes.txt",
        "new.txt",
        "cache.ign",
        "build/out.bin",
        ".hidden",
        "gone/x.ign",
    }

    ret, out = run_inprocess(pytester)

    assert ret == 0, out
    for name, (data, mode, _, _) in user.untracked.items():
        assert seen(side, name) == ("file", data, mode & 0o7777)
    assert_untracked_untouched(root, user)
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


def test_untracked_file_where_a_deleted_tracked_directory_was(
    repo: Repo, pytester: pytest.Pytester, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """`d/x.txt` is tracked; the user deleted the directory `d` and wrote an untracked
    file `d` in its place. Resetting d/x.txt for the hooks must not cost that file."""
    root = repo.path
    repo.write("d/x.txt", numbered("x"))
    repo.write("a.txt", numbered("a"))
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side))
    repo.commit()
    repo.write("a.txt", edit_line(numbered("a"), 1, "staged"))
    repo.add("a.txt")
    shutil.rmtree(root / "d")
    repo.write("d", b"precious untracked work, in a file named like the old directory\n")
    user = user_state(root, side)
    assert set(user.untracked) == {"d"}

    ret, out = run_inprocess(pytester)

    assert tl.entry_of(root / "d") == user.tree["d"], f"the untracked file d is gone\n{out}"
    assert_untracked_untouched(root, user)
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert ret in (0, pytest.ExitCode.USAGE_ERROR), out
    assert_nothing_left(root, user, out)


def test_tracked_file_replaced_by_a_directory(
    repo: Repo, pytester: pytest.Pytester, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    """`d` is tracked; the user deleted it and made `d/` a directory of untracked work.
    Run or refuse, but touch nothing of it and never crash."""
    root = repo.path
    repo.write("d", numbered("d"))
    repo.write("a.txt", numbered("a"))
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side))
    repo.commit()
    repo.write("a.txt", edit_line(numbered("a"), 1, "staged"))
    repo.add("a.txt")
    repo.write("a.txt", edit_line(edit_line(numbered("a"), 1, "staged"), 9, "unstaged"))
    (root / "d").unlink()
    repo.write("d/precious.txt", b"untracked work in a new directory\n")
    user = user_state(root, side)

    ret, out = run_inprocess(pytester)

    assert_untracked_untouched(root, user)
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert "INTERNALERROR" not in out and "Traceback" not in out, out
    assert ret in (0, pytest.ExitCode.USAGE_ERROR), out
    assert_nothing_left(root, user, out)


# --------------------------------------------------------------------------- xdist


def test_staged_run_under_xdist(
    repo: Repo, scripts: dict[str, Path], side: Path, clean_env: None
) -> None:
    pytest.importorskip("xdist")
    root = repo.path
    repo.write(".pre-commit-config.yaml", tl.CONFIG_HEAD + probe_hook(scripts, side))
    every_kind_of_change(repo)
    user = user_state(root, side)

    ret, out = rerun(root, "--hooks", "--hooks-staged", "-n", "2", env=no_env())

    assert ret == 0, out
    problems = tl.check_probe(user, side / "probe.json")
    assert problems == [], problems_text(problems)
    assert tl.tree(root) == user.tree
    assert tl.index_state(root) == user.index
    assert_nothing_left(root, user, out)


# --------------------------------------------------------------------------- the random torture

BATCHES = 20
PER_BATCH = 10
FIRST_SEED = 7000


def run_case(
    seed: int,
    work: Path,
    scripts: dict[str, Path],
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[tl.Plan, list[tl.Problem], str, float]:
    started = time.monotonic()
    plan = tl.plan_case(seed)
    root, side = work / f"case-{seed}", work / f"side-{seed}"
    tl.build_case(plan, root, side, scripts)
    user = user_state(root, side)
    problems: list[tl.Problem] = []
    fixed_any = any(t in user.staged for _, targets in plan.fixers.values() for t in targets)

    if plan.interrupt == "none":
        monkeypatch.chdir(root)
        ret, out = run_inprocess(pytester)
        fixes = "maybe" if plan.exception else "all"
        if plan.exception:
            want = pytest.ExitCode.INTERNAL_ERROR
        elif fixed_any or "slow" in plan.others or (plan.others and user.staged):
            want = pytest.ExitCode.TESTS_FAILED
        else:
            want = pytest.ExitCode.OK
        if ret != want:
            problems.append(tl.Problem("exit-code", f"{ret}, expected {int(want)}"))
        if "INTERNALERROR" in out and not plan.exception:
            problems.append(tl.Problem("internal-error", "INTERNALERROR in the output"))
        problems += tl.check_probe(user, side / "probe.json")
        problems += finish(plan, user, root, side, out, fixes)
        return plan, problems, out, time.monotonic() - started

    marker = side / "marker"
    proc = start(root)
    try:
        if not wait_for(lambda: marker.exists() or proc.poll() is not None, 60) or (
            not marker.exists()
        ):
            proc.kill()
            out = proc.communicate(timeout=30)[0].decode(errors="replace")
            problems.append(tl.Problem("no-start", "the hanging hook never started"))
            return plan, problems, out, time.monotonic() - started
        time.sleep(plan.delay)  # the drawn moment of the interruption (the marker synchronised)
        hanger = marker_pids(marker)
        if plan.interrupt == "SIGKILL":
            proc.kill()
            proc.wait(timeout=30)
            kill_orphans(hanger)
            out = proc.communicate(timeout=30)[0].decode(errors="replace")
        else:
            proc.send_signal(getattr(signal, plan.interrupt))
            try:
                out = proc.communicate(timeout=60)[0].decode(errors="replace")
            except subprocess.TimeoutExpired:
                proc.kill()
                out = proc.communicate(timeout=30)[0].decode(errors="replace")
                problems.append(tl.Problem("no-exit", f"pytest ignored {plan.interrupt} for 60 s"))
            alive = [p for p in hanger if pid_alive(p)]
            if alive:
                problems.append(tl.Problem("HOOK-ALIVE", f"hook pids {alive} outlived pytest"))
            kill_orphans(hanger)
            if proc.returncode is not None and proc.returncode <= 0:
                problems.append(
                    tl.Problem("exit-code", f"{proc.returncode} after {plan.interrupt}")
                )
    finally:
        proc.kill()
    problems += tl.check_probe(user, side / "probe.json")
    if plan.interrupt != "SIGKILL":
        fixes = "none" if plan.hanger_first else "all"
        problems += finish(plan, user, root, side, out, fixes)
        return plan, problems, out, time.monotonic() - started

    # SIGKILL: the next run restores, or (a hook fixed a file whose changes are saved)
    # stops, touching nothing; the user then drops the hooks' edits and runs again
    env = no_env(TORTURE_NO_HANG="1", SKIP=",".join(plan.order))
    args = ["--hooks", "--hooks-staged"] if plan.rerun_staged else ["--hooks"]
    fixes = "none" if plan.hanger_first else "all"
    unsafe = not plan.hanger_first and any(
        t in user.staged and user.tree.get(t) != user.staged_entry(t)
        for _, targets in plan.fixers.values()
        for t in targets
    )
    if unsafe:
        before = tl.tree(root), tl.index_state(root)
        ret, again = rerun(root, *args, env=env)
        out += "\n----- next run -----\n" + again
        if ret == 0:
            problems.append(tl.Problem("unsafe-restore", "the next run did not stop"))
        if (tl.tree(root), tl.index_state(root)) != before:
            problems.append(tl.Problem("TOUCHED-WHEN-UNSAFE", "the stopped run changed files"))
        if not tl.patch_paths(again):
            problems.append(tl.Problem("no-restore-command", "no `git apply PATH` printed"))
        edited = tl.zsplit(tl.git(root, "diff", "--name-only", "-z"))
        if edited:
            tl.git(root, "checkout", "--", *edited)
        fixes = "none"
    ret, again = rerun(root, *args, env=env)
    out += "\n----- next run -----\n" + again
    if ret != 0:
        problems.append(tl.Problem("exit-code", f"next run after SIGKILL: {ret}"))
    problems += finish(plan, user, root, side, out, fixes)
    return plan, problems, out, time.monotonic() - started


def finish(
    plan: tl.Plan, user: tl.UserState, root: Path, side: Path, out: str, fixes: str
) -> list[tl.Problem]:
    exp = tl.expect(plan, user, fixes=fixes)
    problems = tl.check_tree(user, tl.tree(root), exp)
    problems += tl.check_untracked(user, root)
    index = tl.index_state(root)
    if index != user.index:
        problems.append(
            tl.Problem(
                "INDEX-CHANGED",
                f"ls-files -s {index[0]!r} vs {user.index[0]!r}; "
                f"diff --cached {index[1]!r} vs {user.index[1]!r}",
            )
        )
    problems += tl.check_patches(out, exp, user, side / "scratch", required=exp.conflicts)
    problems += tl.check_leftovers(user, root, out)
    return problems


def report(plan: tl.Plan, problems: list[tl.Problem], out: str, root: Path) -> str:
    tail = "\n".join(out.splitlines()[-40:])
    return (
        f"=== seed {plan.seed}: {len(problems)} problem(s); repo kept at {root}\n"
        + "\n".join(f"  {p}" for p in problems[:20])
        + f"\n--- case\n{plan.describe()}\n--- recipe\n"
        + "\n".join(plan.log)
        + f"\n--- output (tail)\n{tail}\n"
        + f"--- rerun: HOOKRUN_TORTURE_SEED={plan.seed} python -m pytest "
        + "tests/test_staged_torture.py -k one_seed -p no:cacheprovider\n"
    )


def torture(
    seeds: list[int],
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = pytester.path
    failures = []
    counts: dict[str, int] = {}
    log = os.environ.get("HOOKRUN_TORTURE_LOG")
    for seed in seeds:
        plan, problems, out, took = run_case(seed, work, scripts, pytester, monkeypatch)
        counts[plan.interrupt] = counts.get(plan.interrupt, 0) + 1
        if log:
            with open(log, "a") as f:
                record = {
                    "seed": seed,
                    "interrupt": plan.interrupt,
                    "exception": plan.exception,
                    "others": plan.others,
                    "seconds": round(took, 2),
                    "problems": [[p.category, p.detail] for p in problems],
                }
                f.write(json.dumps(record) + "\n")
        if problems:
            failures.append(report(plan, problems, out, work / f"case-{seed}"))
    print(f"{len(seeds)} cases {counts}; {len(failures)} with problems")
    assert not failures, (
        f"{len(failures)} of {len(seeds)} cases lost or broke something:\n" + "\n".join(failures)
    )


@pytest.mark.parametrize("batch", range(BATCHES))
def test_torture(
    batch: int,
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    first = FIRST_SEED + batch * PER_BATCH
    torture(list(range(first, first + PER_BATCH)), pytester, scripts, monkeypatch)


def test_torture_one_seed(
    pytester: pytest.Pytester,
    scripts: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
) -> None:
    seed = os.environ.get("HOOKRUN_TORTURE_SEED")
    if not seed:
        pytest.skip("set HOOKRUN_TORTURE_SEED=N to rerun one case of test_torture")
    torture([int(seed)], pytester, scripts, monkeypatch)
