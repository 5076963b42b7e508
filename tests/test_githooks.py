"""`hookrun install` / `uninstall`: real git commits and pushes through the installed scripts.

Every repository is a real one in a tmp dir; commits and pushes (to a local bare
repository) go through the scripts `hookrun install` wrote, so each hook run is a
real `git` -> sh script -> Python -> pytest -> hook chain. The hooks are small
Python scripts outside the repository that log what they were given (files and
PRE_COMMIT_* variables) as JSON lines, so the tests can check exactly which files
each stage checked.
"""

from __future__ import annotations

import gc
import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_hookrun import githooks
from pytest_hookrun.githooks import MARKER
from pytest_hookrun.settings import RUN_GC_THRESHOLD

PY = sys.executable

NO_BAD = """\
import json, os, sys
files = sys.argv[1:]
with open(LOG, "a") as log:
    env = {k: v for k, v in os.environ.items() if k.startswith("PRE_COMMIT_")}
    log.write(json.dumps({"hook": "no-bad", "files": sorted(files), "env": env}) + "\\n")
bad = [f for f in files if b"BAD" in open(f, "rb").read()]
for f in bad:
    print(f"{f}: contains BAD")
sys.exit(1 if bad else 0)
"""

TICKET = """\
import json, os, re, sys
files = sys.argv[1:]
with open(LOG, "a") as log:
    env = {k: v for k, v in os.environ.items() if k.startswith("PRE_COMMIT_")}
    text = open(files[0]).read() if len(files) == 1 else None
    log.write(json.dumps({"hook": HOOK_ID, "files": files, "env": env, "text": text}) + "\\n")
if HOOK_ID == "ticket" and not re.match(r"[A-Z]+-[0-9]+ ", open(files[0]).read()):
    print("the commit message must start with a ticket id, like ABC-12")
    sys.exit(1)
if HOOK_ID == "add-ticket":
    text = open(files[0]).read()
    if not text.startswith("ABC-1 "):
        open(files[0], "w").write("ABC-1 " + text)
"""


def run(cwd: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def git(cwd: Path, *args: str) -> str:
    return run(cwd, "git", *args, check=True).stdout.strip()


class World:
    """A repository (with a bare remote on demand), the hook scripts, and their log."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.repo = base / "repo"
        self.tools = base / "tools"
        self.log = base / "hooks.log"
        self.tools.mkdir()
        self.repo.mkdir()
        git(self.repo, "init", "-q", "-b", "main")
        git(self.repo, "config", "user.name", "Test")
        git(self.repo, "config", "user.email", "test@example.com")
        git(self.repo, "config", "commit.gpgsign", "false")
        for name, body, hook_id in (
            ("no_bad.py", NO_BAD, "no-bad"),
            ("ticket.py", TICKET, "ticket"),
            ("add_ticket.py", TICKET, "add-ticket"),
            ("msg_source.py", TICKET, "msg-source"),
        ):
            script = self.tools / name
            header = f"#!{PY}\nLOG = {str(self.log)!r}\nHOOK_ID = {hook_id!r}\n"
            script.write_text(header + body)
            script.chmod(0o755)

    def config(self, hooks: str, top: str = "") -> None:
        """Write and stage the hook config: ``hooks`` under one ``repo: local``."""
        text = textwrap.dedent(top) + "repos:\n  - repo: local\n    hooks:\n"
        text += textwrap.indent(textwrap.dedent(hooks).format(tools=self.tools), " " * 6)
        self.write(".pre-commit-config.yaml", text)
        git(self.repo, "add", ".pre-commit-config.yaml")

    def write(self, name: str, text: str) -> None:
        path = self.repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def hookrun(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return run(cwd or self.repo, PY, "-m", "pytest_hookrun.githooks", *args)

    def commit(self, *names: str, message: str = "change") -> subprocess.CompletedProcess[str]:
        if names:
            git(self.repo, "add", *names)
        return run(self.repo, "git", "commit", "-m", message)

    def quiet_commit(self, *names: str, message: str = "setup") -> None:
        """A commit that skips the hooks: setting the scene, not under test."""
        git(self.repo, "add", *names)
        git(self.repo, "commit", "-q", "--no-verify", "-m", message)

    def head(self, ref: str = "HEAD") -> str:
        return git(self.repo, "rev-parse", ref)

    def entries(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def hooks_dir(self) -> Path:
        return self.repo / ".git" / "hooks"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    # nothing from an outer run (git hook, CI, pytest -n) may reach the repos or the hooks
    for name in list(os.environ):
        if name.startswith(("GIT_", "PYTEST_", "HOOKRUN_", "PRE_COMMIT")) or name == "SKIP":
            monkeypatch.delenv(name)
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))  # no user hooksPath/templates
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    yield World(tmp_path)


NO_BAD_HOOK = """\
- id: no-bad
  name: no BAD in text files
  entry: {tools}/no_bad.py
  language: system
  files: \\.txt$
  require_serial: true  # one batch: one log entry per run
  stages: [pre-commit, pre-push]
"""


def assert_clean_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit code 1, one line on stderr naming the problem, no traceback."""
    assert proc.returncode == 1, proc
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


# --------------------------------------------------------------------------- pre-commit


def test_commit_blocked_by_failing_hook_then_allowed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.config(NO_BAD_HOOK)
    # the project's pytest settings are for its tests: the git hook must run hooks only
    world.write("pyproject.toml", '[tool.pytest.ini_options]\naddopts = "--no-such-option"\n')
    world.write("tests/test_fails.py", "def test_fails():\n    assert False\n")
    world.quiet_commit(".", message="project")
    monkeypatch.setenv("PYTEST_ADDOPTS", "--no-such-option-either")

    proc = world.hookrun("install")
    assert proc.returncode == 0, proc
    assert "pre-commit hook installed" in proc.stdout
    script = world.hooks_dir() / "pre-commit"
    assert MARKER in script.read_text()
    assert PY in script.read_text()
    assert script.stat().st_mode & stat.S_IXUSR
    assert sorted(p.name for p in world.hooks_dir().iterdir() if "sample" not in p.name) == [
        "pre-commit"
    ]

    before = world.head()
    world.write("a.txt", "BAD\n")
    world.write("b.txt", "fine\n")
    proc = world.commit("a.txt", "b.txt")
    assert proc.returncode != 0
    assert "a.txt: contains BAD" in proc.stdout + proc.stderr
    assert world.head() == before
    assert world.entries()[-1]["files"] == ["a.txt", "b.txt"]  # the staged files

    world.write("a.txt", "good\n")
    proc = world.commit("a.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert world.head() != before
    assert world.entries()[-1]["files"] == ["a.txt", "b.txt"]


def test_the_git_hooks_process_collects_garbage_rarely_from_its_start(world: World) -> None:
    """pytest's start-up allocates what lives until the exit: the git hook's process,
    which runs hooks only, raises the collector's threshold before importing pytest."""
    world.config(NO_BAD_HOOK)
    notes = world.base / "threshold.txt"
    world.write(
        "conftest.py",
        "import gc\n"
        "def pytest_configure(config):\n"
        f"    open({str(notes)!r}, 'w').write(str(gc.get_threshold()[0]))\n",
    )
    world.quiet_commit(".")
    assert world.hookrun("install").returncode == 0
    world.write("a.txt", "fine\n")
    proc = world.commit("a.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert notes.read_text() == str(RUN_GC_THRESHOLD)
    # `pytest --hooks` itself raises it for the run only, after pytest's start-up
    run(world.repo, PY, "-m", "pytest", "--hooks", "-p", "no:randomly", check=True)
    assert notes.read_text() == str(gc.get_threshold()[0])


def test_unstaged_changes_are_kept_across_the_hook_run(world: World) -> None:
    world.config(NO_BAD_HOOK)
    world.write("a.txt", "one\n")
    world.write("b.txt", "two\n")
    world.quiet_commit(".")
    assert world.hookrun("install", "-t", "pre-commit").returncode == 0

    # staged: good; unstaged on top: BAD. The hook checks what is committed.
    world.write("a.txt", "one\nstaged\n")
    git(world.repo, "add", "a.txt")
    world.write("a.txt", "one\nstaged\nBAD unstaged\n")
    world.write("b.txt", "two\nunstaged too\n")
    proc = world.commit()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert git(world.repo, "show", "HEAD:a.txt") == "one\nstaged"
    assert (world.repo / "a.txt").read_text() == "one\nstaged\nBAD unstaged\n"
    assert (world.repo / "b.txt").read_text() == "two\nunstaged too\n"
    assert world.entries()[-1]["files"] == ["a.txt"]

    # staged: BAD; unstaged: the fix. Blocked, and both versions are still where they were.
    world.write("b.txt", "two\nBAD\n")
    git(world.repo, "add", "b.txt")
    world.write("b.txt", "two\nfixed\n")
    before = world.head()
    proc = world.commit()
    assert proc.returncode != 0
    assert "b.txt: contains BAD" in proc.stdout + proc.stderr
    assert world.head() == before
    assert git(world.repo, "show", ":b.txt") == "two\nBAD"
    assert (world.repo / "b.txt").read_text() == "two\nfixed\n"
    assert (world.repo / "a.txt").read_text() == "one\nstaged\nBAD unstaged\n"


def test_pre_merge_commit_checks_what_the_merge_brings(world: World) -> None:
    world.config(NO_BAD_HOOK.replace("[pre-commit, pre-push]", "[pre-merge-commit]"))
    world.write("a.txt", "good\n")
    world.quiet_commit(".")
    git(world.repo, "checkout", "-q", "-b", "side")
    world.write("side.txt", "BAD\n")
    world.quiet_commit("side.txt")
    git(world.repo, "checkout", "-q", "main")
    world.write("main.txt", "good\n")
    world.quiet_commit("main.txt")
    assert world.hookrun("install", "-t", "pre-merge-commit").returncode == 0
    before = world.head()
    proc = run(world.repo, "git", "merge", "--no-ff", "--no-edit", "side")
    assert proc.returncode != 0
    assert "side.txt: contains BAD" in proc.stdout + proc.stderr
    assert world.head() == before
    assert world.entries()[-1]["files"] == ["side.txt"]


LEGACY = """\
#!/bin/sh
echo "legacy $*" >> {log}
test ! -e {stop}
"""


def test_legacy_hook_is_kept_run_first_and_restored_by_uninstall(world: World) -> None:
    world.config(NO_BAD_HOOK)
    legacy_log, stop = world.base / "legacy.log", world.base / "stop"
    old = world.hooks_dir() / "pre-commit"
    old.write_text(LEGACY.format(log=legacy_log, stop=stop))
    old.chmod(0o755)
    original = old.read_bytes()

    proc = world.hookrun("install")
    assert proc.returncode == 0, proc
    assert "kept as .git/hooks/pre-commit.legacy and runs first" in proc.stdout
    assert (world.hooks_dir() / "pre-commit.legacy").read_bytes() == original
    assert MARKER in old.read_text()

    world.write("a.txt", "good\n")
    proc = world.commit("a.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert legacy_log.read_text() == "legacy \n"
    assert len(world.entries()) == 1

    # the legacy hook fails: the commit is blocked, though the hooks (which still run) pass
    stop.touch()
    before = world.head()
    world.write("b.txt", "good\n")
    proc = world.commit("b.txt")
    assert proc.returncode != 0
    assert world.head() == before
    assert legacy_log.read_text() == "legacy \nlegacy \n"
    assert world.entries()[-1]["files"] == ["b.txt"]

    proc = world.hookrun("uninstall")
    assert proc.returncode == 0, proc
    assert "restored the previous pre-commit hook" in proc.stdout
    assert old.read_bytes() == original
    assert old.stat().st_mode & stat.S_IXUSR
    assert not (world.hooks_dir() / "pre-commit.legacy").exists()


# --------------------------------------------------------------------------- messages


def test_commit_msg_hook_gets_the_message_file(world: World) -> None:
    world.config(
        NO_BAD_HOOK
        + """\
- id: ticket
  name: ticket id first
  entry: {tools}/ticket.py
  language: system
  stages: [commit-msg]
"""
    )
    world.quiet_commit(".")
    assert world.hookrun("install", "-t", "commit-msg").returncode == 0

    before = world.head()
    world.write("a.txt", "BAD but not checked at this stage\n")
    proc = world.commit("a.txt", message="fix things")
    assert proc.returncode != 0
    assert "must start with a ticket id" in proc.stdout + proc.stderr
    assert world.head() == before

    proc = world.commit(message="ABC-12 fix things")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert git(world.repo, "log", "-1", "--format=%s") == "ABC-12 fix things"
    # only the commit-msg stage ran, and its hook got the message file and nothing else
    assert [e["hook"] for e in world.entries()] == ["ticket", "ticket"]
    assert world.entries()[-1]["files"] == [".git/COMMIT_EDITMSG"]
    assert world.entries()[-1]["text"].startswith("ABC-12 fix things")


def test_prepare_commit_msg_gets_the_message_file_and_its_source(world: World) -> None:
    world.config(
        """\
- id: msg-source
  name: records the message and its source
  entry: {tools}/msg_source.py
  language: system
  stages: [prepare-commit-msg]
"""
    )
    world.quiet_commit(".")
    assert world.hookrun("install", "-t", "prepare-commit-msg").returncode == 0
    world.write("a.txt", "x\n")
    proc = world.commit("a.txt", message="hello")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (entry,) = world.entries()
    assert entry["files"] == [".git/COMMIT_EDITMSG"]
    assert entry["text"].startswith("hello")
    assert entry["env"]["PRE_COMMIT_COMMIT_MSG_SOURCE"] == "message"


def test_a_stage_without_hooks_does_not_block(world: World) -> None:
    world.config(NO_BAD_HOOK)  # no hook runs at the commit-msg stage
    world.quiet_commit(".")
    assert world.hookrun("install", "-t", "commit-msg").returncode == 0
    world.write("a.txt", "BAD, not checked at this stage\n")
    proc = world.commit("a.txt", message="anything")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no tests ran" in proc.stdout + proc.stderr  # pytest did run, and found nothing
    assert world.entries() == []


def test_prepare_commit_msg_hook_may_edit_the_message(world: World) -> None:
    world.config(
        """\
- id: add-ticket
  name: adds a ticket id
  entry: {tools}/add_ticket.py
  language: system
  stages: [prepare-commit-msg]
"""
    )
    world.quiet_commit(".")
    assert world.hookrun("install", "-t", "prepare-commit-msg").returncode == 0
    world.write("a.txt", "x\n")
    proc = world.commit("a.txt", message="hello")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert git(world.repo, "log", "-1", "--format=%s") == "ABC-1 hello"


# --------------------------------------------------------------------------- pre-push


def remote(world: World) -> Path:
    bare = world.base / "remote.git"
    git(world.base, "init", "-q", "--bare", str(bare))
    git(world.repo, "remote", "add", "origin", str(bare))
    return bare


def push(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    return run(world.repo, "git", "push", "origin", *args)


def test_pre_push_existing_branch_checks_only_the_pushed_commits(world: World) -> None:
    bare = remote(world)
    world.config(NO_BAD_HOOK)
    world.write("old.txt", "BAD, already on the remote\n")
    world.quiet_commit(".")
    git(world.repo, "push", "-q", "--no-verify", "origin", "main")
    assert world.hookrun("install", "-t", "pre-push").returncode == 0
    pushed = world.head()

    world.write("b.txt", "good\n")
    world.quiet_commit("b.txt")
    world.write("c.txt", "good\n")
    world.quiet_commit("c.txt")
    proc = push(world, "main")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert git(bare, "rev-parse", "main") == world.head()
    (entry,) = world.entries()
    assert entry["files"] == ["b.txt", "c.txt"]
    assert entry["env"] == {
        "PRE_COMMIT_FROM_REF": pushed,
        "PRE_COMMIT_TO_REF": world.head(),
        "PRE_COMMIT_ORIGIN": pushed,
        "PRE_COMMIT_SOURCE": world.head(),
        "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main",
        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
        "PRE_COMMIT_REMOTE_NAME": "origin",
        "PRE_COMMIT_REMOTE_URL": str(bare),
    }

    remote_main = world.head()
    world.write("d.txt", "BAD\n")
    world.quiet_commit("d.txt")
    proc = push(world, "main")
    assert proc.returncode != 0
    assert "d.txt: contains BAD" in proc.stdout + proc.stderr
    assert git(bare, "rev-parse", "main") == remote_main
    assert world.entries()[-1]["files"] == ["d.txt"]


def test_pre_push_new_branch_checks_the_commits_the_remote_lacks(world: World) -> None:
    bare = remote(world)
    world.config(NO_BAD_HOOK)
    world.write("a.txt", "good\n")
    world.quiet_commit(".")
    assert world.hookrun("install", "-t", "pre-push").returncode == 0

    # the first push brings the root commit: every file is checked
    proc = push(world, "main")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert world.entries()[-1]["files"] == ["a.txt"]
    assert "PRE_COMMIT_FROM_REF" not in world.entries()[-1]["env"]

    # BAD reaches the remote unchecked; a new branch on top of it changes other files
    world.write("old.txt", "BAD, already on the remote\n")
    world.quiet_commit("old.txt")
    git(world.repo, "push", "-q", "--no-verify", "origin", "main")
    base = world.head()
    git(world.repo, "checkout", "-q", "-b", "feature")
    world.write("b.txt", "good\n")
    world.quiet_commit("b.txt")
    world.write("c.txt", "good\n")
    world.quiet_commit("c.txt")
    proc = push(world, "feature")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert git(bare, "rev-parse", "feature") == world.head("feature")
    entry = world.entries()[-1]
    assert entry["files"] == ["b.txt", "c.txt"]
    assert entry["env"]["PRE_COMMIT_FROM_REF"] == base
    assert entry["env"]["PRE_COMMIT_REMOTE_BRANCH"] == "refs/heads/feature"

    # a new branch with BAD in its commits: blocked, the remote has no such branch
    git(world.repo, "checkout", "-q", "-b", "feature2", "feature")
    world.write("d.txt", "BAD\n")
    world.quiet_commit("d.txt")
    proc = push(world, "feature2")
    assert proc.returncode != 0
    assert "d.txt: contains BAD" in proc.stdout + proc.stderr
    assert run(bare, "git", "rev-parse", "--verify", "-q", "feature2").returncode != 0
    assert world.entries()[-1]["files"] == ["d.txt"]

    # deleting a remote branch checks nothing (the BAD files in the work tree stay unseen)
    count = len(world.entries())
    proc = push(world, "--delete", "feature")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert run(bare, "git", "rev-parse", "--verify", "-q", "feature").returncode != 0
    assert len(world.entries()) == count


# --------------------------------------------------------------------------- install, uninstall


def test_install_takes_the_configs_default_install_hook_types(world: World) -> None:
    world.config(NO_BAD_HOOK, top="default_install_hook_types: [pre-push, commit-msg]\n")
    sub = world.repo / "sub"
    sub.mkdir()
    proc = world.hookrun("install", cwd=sub)  # the config at the top, not sub/'s
    assert proc.returncode == 0, proc
    installed = sorted(p.name for p in world.hooks_dir().iterdir() if "sample" not in p.name)
    assert installed == ["commit-msg", "pre-push"]
    assert "--config .pre-commit-config.yaml " in (world.hooks_dir() / "pre-push").read_text()

    world.config(NO_BAD_HOOK, top="default_install_hook_types: [pre-commit, post-checkout]\n")
    proc = world.hookrun("install")
    assert_clean_error(proc, "post-checkout", "default_install_hook_types", "not supported")
    assert not (world.hooks_dir() / "pre-commit").exists()  # nothing written


def test_uninstall_removes_only_hookruns_scripts(world: World) -> None:
    world.config(NO_BAD_HOOK)
    assert world.hookrun("install", "-t", "pre-commit", "-t", "pre-push").returncode == 0
    foreign = world.hooks_dir() / "commit-msg"
    foreign.write_text("#!/bin/sh\nexit 0\n")
    foreign.chmod(0o755)

    proc = world.hookrun("uninstall", "-t", "commit-msg")
    assert proc.returncode == 0, proc
    assert "not hookrun's script: left alone" in proc.stdout
    assert foreign.read_text() == "#!/bin/sh\nexit 0\n"

    proc = world.hookrun("uninstall")
    assert proc.returncode == 0, proc
    assert not (world.hooks_dir() / "pre-commit").exists()
    assert not (world.hooks_dir() / "pre-push").exists()
    assert foreign.read_text() == "#!/bin/sh\nexit 0\n"
    assert "no hookrun git hook to remove" in world.hookrun("uninstall").stdout


@pytest.mark.parametrize("manager", ["pre-commit", "prek"])
def test_pre_commits_or_preks_own_script_is_not_taken_as_legacy(world: World, manager: str) -> None:
    world.config(NO_BAD_HOOK)
    theirs = world.hooks_dir() / "pre-commit"
    text = f"#!/bin/sh\n# File generated by {manager}: https://example.com\n"
    theirs.write_text(text)
    theirs.chmod(0o755)
    assert_clean_error(world.hookrun("install"), f"`{manager} uninstall", "--overwrite")
    assert theirs.read_text() == text

    proc = world.hookrun("install", "--overwrite")
    assert proc.returncode == 0, proc
    assert MARKER in theirs.read_text()
    assert not (world.hooks_dir() / "pre-commit.legacy").exists()


def test_core_hooks_path_is_refused(world: World) -> None:
    world.config(NO_BAD_HOOK)
    git(world.repo, "config", "core.hooksPath", ".githooks")
    assert_clean_error(world.hookrun("install"), "core.hooksPath", ".githooks")
    assert not (world.hooks_dir() / "pre-commit").exists()
    assert not (world.repo / ".githooks").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("install", "-t", "pre-comit"), ("unknown hook type 'pre-comit'",)),
        (("install", "-t", "post-commit"), ("'post-commit'", "not supported")),
        (("uninstall", "-t", "nope"), ("unknown hook type 'nope'",)),
        (("install", "--bogus"), ("unrecognized arguments: --bogus",)),
        (("install",), ("not in a git work tree",)),
    ],
)
def test_cli_errors_are_one_line(world: World, args: tuple[str, ...], words: tuple[str]) -> None:
    outside = world.base / "not-a-repo"
    outside.mkdir()
    assert_clean_error(world.hookrun(*args, cwd=outside), *words)


def test_missing_interpreter_gives_a_clear_message(world: World) -> None:
    world.config(NO_BAD_HOOK)
    world.quiet_commit(".")
    venv_python = world.base / "bin" / "python"
    venv_python.parent.mkdir()
    venv_python.symlink_to(PY)  # stands for a virtualenv's python, deleted later
    proc = run(world.repo, str(venv_python), "-m", "pytest_hookrun.githooks", "install")
    assert proc.returncode == 0, proc
    assert str(venv_python) in (world.hooks_dir() / "pre-commit").read_text()

    venv_python.unlink()
    before = world.head()
    world.write("a.txt", "good\n")
    proc = world.commit("a.txt")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"the Python that installed this git hook is gone: {venv_python}" in proc.stderr
    assert "hookrun install" in proc.stderr
    assert world.head() == before
    assert world.entries() == []


def test_missing_config_blocks_with_a_clear_message(world: World) -> None:
    proc = world.hookrun("install")
    assert proc.returncode == 0, proc
    assert ".pre-commit-config.yaml does not exist yet" in proc.stdout
    world.write("a.txt", "x\n")
    proc = world.commit("a.txt")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "no .pre-commit-config.yaml here, so the pre-commit hook cannot run" in proc.stderr
    assert run(world.repo, "git", "rev-parse", "--verify", "-q", "HEAD").returncode != 0


def test_install_from_a_linked_worktree(world: World) -> None:
    world.config(NO_BAD_HOOK)
    world.quiet_commit(".")
    tree = world.base / "tree"
    git(world.repo, "worktree", "add", "-q", "-b", "side", str(tree))
    proc = world.hookrun("install", cwd=tree)
    assert proc.returncode == 0, proc
    assert is_script(world.hooks_dir() / "pre-commit")  # the hooks directory they share

    (tree / "x.txt").write_text("BAD\n")
    git(tree, "add", "x.txt")
    proc = run(tree, "git", "commit", "-m", "in the worktree")
    assert proc.returncode != 0
    assert "x.txt: contains BAD" in proc.stdout + proc.stderr
    assert world.entries()[-1]["files"] == ["x.txt"]


def is_script(path: Path) -> bool:
    return path.is_file() and MARKER in path.read_text()


def test_the_bench_measures_the_lean_start_the_git_hooks_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """bench/_common.py (stdlib only, run against any revision) restates the lean start."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "bench" / "_common.py"
    spec = importlib.util.spec_from_file_location("bench_common", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    assert ("--disable-plugin-autoload", *githooks.LEAN_PLUGIN_ARGS) == module.LEAN_START
