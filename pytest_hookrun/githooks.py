"""``hookrun install`` / ``hookrun uninstall``: git hook scripts that run the hooks through pytest.

An installed script is a few lines of POSIX sh that only checks that the Python
which installed it still exists and then ``exec``s it on ``hookrun run`` (this
module): one interpreter per git hook, which runs an older hook script first (kept
as ``<hook>.legacy``, pre-commit's migration mode), reads what git passes (the
message file, the pushed refs) and then runs pytest in-process, as
``python -m pytest --hooks ... <config>`` would. Running pytest in-process rather
than ``exec``-ing it from sh lets the exit code be fixed up: "no hooks in this
stage" (pytest's 5) must not block a commit, and a failed legacy hook must.
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .settings import RUN_GC_THRESHOLD

# The line that makes a script ours: uninstall removes only scripts that carry it.
MARKER = "# hookrun-managed-git-hook"
DEFAULT_CONFIG = ".pre-commit-config.yaml"
# The lean start (with PYTEST_DISABLE_PLUGIN_AUTOLOAD=1): this plugin, and none of
# pytest's own that a hook run never uses and that take no option or ini key (so no
# addopts can name them); unraisableexception's clean-up alone runs five full garbage
# collections at exit. No assertion rewriting either: no test module is imported, and
# the rewriting import hook would look at every module the run imports.
LEAN_PLUGIN_ARGS = (
    "-p",
    "pytest_hookrun.plugin",
    *("-p", "no:unraisableexception", "-p", "no:threadexception"),
    *("-p", "no:monkeypatch", "-p", "no:recwarn", "-p", "no:legacypath", "-p", "no:unittest"),
    "--assert=plain",
)

# Hook types hookrun can install, with the number of arguments git passes to each.
# The others (post-checkout, post-commit, post-merge, post-rewrite, pre-rebase) run
# hooks on no files at all in pre-commit, which `pytest --hooks` cannot express yet.
ARG_COUNTS: dict[str, tuple[int, int]] = {
    "pre-commit": (0, 0),
    "pre-merge-commit": (0, 0),
    "pre-push": (2, 2),
    "commit-msg": (1, 1),
    "prepare-commit-msg": (1, 3),
}
SUPPORTED = tuple(ARG_COUNTS)
_NO_VERIFY = {
    "pre-commit": "git commit --no-verify",
    "commit-msg": "git commit --no-verify",
    "pre-merge-commit": "git merge --no-verify",
    "pre-push": "git push --no-verify",
}


class HookrunError(Exception):
    """Something the user must fix; the message is one line, printed without a traceback."""


# --------------------------------------------------------------------------- git


def _git(*args: str) -> str:
    """Run git in the current directory; a failure becomes a HookrunError with git's words."""
    try:
        proc = subprocess.run(("git", *args), capture_output=True, check=False)
    except FileNotFoundError:
        raise HookrunError("git is not installed (not found on PATH)") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        raise HookrunError(lines[-1] if lines else f"`git {' '.join(args)}` failed")
    return os.fsdecode(proc.stdout)


def _git_ok(*args: str) -> bool:
    """True when the git command succeeds (its output is not wanted)."""
    proc = subprocess.run(("git", *args), capture_output=True, check=False)
    return proc.returncode == 0


@dataclass(frozen=True)
class GitRepo:
    """Where hookrun writes: the work tree's top and the hooks directory git reads."""

    toplevel: Path
    hooks_dir: Path
    hooks_path: str | None  # core.hooksPath, when set

    @classmethod
    def here(cls) -> GitRepo:
        try:
            out = _git("rev-parse", "--show-toplevel", "--git-path", "hooks", "--git-common-dir")
        except HookrunError as exc:
            raise HookrunError(f"not in a git work tree ({exc})") from None
        toplevel, hooks, common = out.splitlines()[:3]
        proc = subprocess.run(
            ("git", "config", "--get-all", "core.hooksPath"), capture_output=True, check=False
        )
        values = [v for v in os.fsdecode(proc.stdout).splitlines() if v.strip()]
        hooks_path = values[-1] if values else None
        # with core.hooksPath set, --git-path names that directory, which is not ours
        hooks_dir = Path(common, "hooks") if hooks_path else Path(hooks)
        return cls(Path(toplevel), Path(os.path.abspath(hooks_dir)), hooks_path)


def _display(path: Path) -> str:
    """A path as short as it can be: relative to the current directory when under it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- scripts


def script_text(hook_type: str, python: str, config: str) -> str:
    """The sh script for one hook type: check the interpreter, then exec ``hookrun run``."""
    skip = _NO_VERIFY.get(hook_type)
    skip_hint = f" (`{skip}` skips the hooks once)" if skip else ""
    return "\n".join(
        [
            "#!/bin/sh",
            f"{MARKER}: written by `hookrun install` (pytest-hookrun),",
            "# removed by `hookrun uninstall`. It runs the hooks of this stage with",
            "# `python -m pytest --hooks`; a hook script that was here before is kept",
            "# beside it as <this file>.legacy and runs first.",
            f"PYTHON={shlex.quote(python)}",
            'if [ ! -x "$PYTHON" ]; then',
            "    echo 'hookrun: the Python that installed this git hook is gone:' \"$PYTHON\" >&2",
            "    echo "
            + shlex.quote(
                "hookrun: run `hookrun install` again from an environment that has "
                f"pytest-hookrun, or `hookrun uninstall`{skip_hint}."
            )
            + " >&2",
            "    exit 1",
            "fi",
            f'exec "$PYTHON" -m pytest_hookrun.githooks run {hook_type} '
            f'--config {shlex.quote(config)} --script "$0" -- "$@"',
            "",
        ]
    )


def is_ours(path: Path) -> bool:
    """True for a script ``hookrun install`` wrote (it carries the marker line)."""
    try:
        return path.is_file() and MARKER.encode() in path.read_bytes()
    except OSError:
        return False


def _other_manager(path: Path) -> str | None:
    """pre-commit's or prek's own script: kept as our legacy hook, it would run itself."""
    try:
        data = path.read_bytes() if path.is_file() else b""
    except OSError:
        return None
    if b"File generated by pre-commit" in data or b"-mpre_commit" in data:
        return "pre-commit"
    if b"File generated by prek" in data:
        return "prek"
    return None


# --------------------------------------------------------------------------- install


def _known_types() -> tuple[str, ...]:
    from .config import HOOK_TYPES

    return HOOK_TYPES


def _check_types(types: Sequence[str], where: str = "") -> None:
    known = _known_types()
    for hook_type in types:
        if hook_type not in known:
            raise HookrunError(
                f"unknown hook type {hook_type!r}{where} (one of: {', '.join(known)})"
            )
        if hook_type not in SUPPORTED:
            raise HookrunError(
                f"hook type {hook_type!r}{where} is not supported yet: pre-commit runs its "
                f"hooks on no files, which `pytest --hooks` cannot do "
                f"(supported: {', '.join(SUPPORTED)})"
            )


def _default_types(config: Path) -> list[str]:
    """pre-commit's rule: the config's ``default_install_hook_types``, else pre-commit."""
    if not config.exists():
        print(f"hookrun: note: {_display(config)} does not exist yet; the hooks fail until it does")
        return ["pre-commit"]
    from .config import ConfigError, load_config

    try:
        types = list(load_config(config).default_install_hook_types)
    except ConfigError as exc:
        raise HookrunError(f"{exc} (fix it, or choose hook types with -t)") from None
    _check_types(types, f" (from default_install_hook_types in {_display(config)})")
    return types


def install(hook_types: Sequence[str], config: str | None, overwrite: bool) -> int:
    """Write one script per hook type; an existing foreign script becomes ``<hook>.legacy``."""
    _check_types(hook_types)
    repo = GitRepo.here()
    if repo.hooks_path:
        raise HookrunError(
            f"core.hooksPath is set ({repo.hooks_path}): git runs the hooks from there, not "
            "from the repository's hooks directory; refusing to install "
            "(`git config --unset-all core.hooksPath` first)"
        )
    # -c is relative to where you are; the default is the one at the top of the work tree
    config_abs = Path(os.path.abspath(config)) if config else repo.toplevel / DEFAULT_CONFIG
    try:
        # relative to the top: git runs hooks there, and every worktree has its own config
        config_arg = str(config_abs.relative_to(repo.toplevel))
    except ValueError:
        config_arg = str(config_abs)
    types = list(dict.fromkeys(hook_types)) or _default_types(config_abs)
    python = sys.executable
    if not python:
        raise HookrunError("cannot tell which Python this is (sys.executable is empty)")

    # refuse before writing anything
    for hook_type in types:
        hook, legacy = _paths(repo, hook_type)
        if not os.path.lexists(hook) or is_ours(hook) or overwrite:
            continue
        manager = _other_manager(hook)
        if manager:
            # as our legacy hook it would look for <hook>.legacy, find itself, and loop
            raise HookrunError(
                f"{_display(hook)} is {manager}'s own script: run `{manager} uninstall "
                f"-t {hook_type}` first, or --overwrite to replace it"
            )
        if os.path.lexists(legacy):
            raise HookrunError(
                f"{_display(hook)} and {_display(legacy)} both exist and neither is hookrun's: "
                "move one away, or --overwrite to replace both"
            )

    repo.hooks_dir.mkdir(parents=True, exist_ok=True)
    for hook_type in types:
        hook, legacy = _paths(repo, hook_type)
        if os.path.lexists(hook) and not is_ours(hook):
            if overwrite:
                hook.unlink()
                print(f"hookrun: removed the {hook_type} hook that was there (--overwrite)")
            else:
                os.replace(hook, legacy)
        if overwrite and os.path.lexists(legacy):
            legacy.unlink()
            print(f"hookrun: removed {_display(legacy)} (--overwrite)")
        tmp = hook.with_name(f".{hook.name}.hookrun-tmp")
        tmp.write_text(script_text(hook_type, python, config_arg))
        tmp.chmod(0o755)
        os.replace(tmp, hook)
        print(f"hookrun: {hook_type} hook installed at {_display(hook)}")
        if os.path.lexists(legacy):
            print(
                f"hookrun: the {hook_type} hook that was there is kept as {_display(legacy)} "
                "and runs first (--overwrite drops it)"
            )
    return 0


def _paths(repo: GitRepo, hook_type: str) -> tuple[Path, Path]:
    hook = repo.hooks_dir / hook_type
    return hook, hook.with_name(f"{hook_type}.legacy")


def uninstall(hook_types: Sequence[str]) -> int:
    """Remove our scripts (all types unless some are given) and put ``.legacy`` ones back."""
    known = _known_types()
    for hook_type in hook_types:
        if hook_type not in known:
            raise HookrunError(f"unknown hook type {hook_type!r} (one of: {', '.join(known)})")
    repo = GitRepo.here()
    removed = 0
    for hook_type in hook_types or known:
        hook, legacy = _paths(repo, hook_type)
        if not is_ours(hook):
            if hook_types and os.path.lexists(hook):
                print(f"hookrun: {_display(hook)} is not hookrun's script: left alone")
            continue
        hook.unlink()
        removed += 1
        print(f"hookrun: {hook_type} hook removed from {_display(hook)}")
        if os.path.lexists(legacy):
            os.replace(legacy, hook)
            print(f"hookrun: restored the previous {hook_type} hook")
    if not removed:
        print("hookrun: no hookrun git hook to remove")
    return 0


# --------------------------------------------------------------------------- run


def _is_zero(sha: str) -> bool:
    return set(sha) == {"0"}


def pre_push_selection(
    remote_name: str, remote_url: str, stdin: bytes
) -> tuple[list[str], dict[str, str]] | None:
    """pre-commit's pre-push rule: the first pushed ref with commits the remote lacks.

    Returns the pytest options that select its files (none: every file, when the
    push brings a root commit) and the environment pre-commit sets; None when
    nothing needs checking (deletions only, or nothing new).
    """
    for line in stdin.decode(errors="surrogateescape").splitlines():
        parts = line.rsplit(maxsplit=3)
        if len(parts) != 4:
            raise HookrunError(f"pre-push: unexpected line from git on stdin: {line!r}")
        local_ref, local_sha, remote_ref, remote_sha = parts
        if _is_zero(local_sha):
            continue  # deleting a remote ref: nothing to check
        env = {
            "PRE_COMMIT_LOCAL_BRANCH": local_ref,
            "PRE_COMMIT_REMOTE_BRANCH": remote_ref,
            "PRE_COMMIT_REMOTE_NAME": remote_name,
            "PRE_COMMIT_REMOTE_URL": remote_url,
        }
        if not _is_zero(remote_sha) and _git_ok("cat-file", "-e", f"{remote_sha}^{{commit}}"):
            from_ref = remote_sha
        else:
            # a new ref (or one we have not fetched): the commits no remote-tracking ref has
            new = _git(
                "rev-list", local_sha, "--topo-order", "--reverse", "--not",
                f"--remotes={remote_name}",
            ).split()  # fmt: skip
            if not new:
                continue
            parent = subprocess.run(
                ("git", "rev-parse", "--verify", "--quiet", f"{new[0]}^"),
                capture_output=True,
                check=False,
            )
            if parent.returncode != 0:
                return [], env  # the push brings a root commit: every file
            from_ref = os.fsdecode(parent.stdout).strip()
        env.update(
            PRE_COMMIT_FROM_REF=from_ref,
            PRE_COMMIT_TO_REF=local_sha,
            PRE_COMMIT_ORIGIN=from_ref,  # pre-commit's older names
            PRE_COMMIT_SOURCE=local_sha,
        )
        return [f"--hooks-from-ref={from_ref}", f"--hooks-to-ref={local_sha}"], env
    return None


def pytest_args(
    hook_type: str, config: Path, args: Sequence[str], stdin: bytes
) -> tuple[list[str], dict[str, str]] | None:
    """The pytest command line and extra environment for one git hook call (None: skip).

    ``-o addopts=``: the project's ini ``addopts`` are for its test runs (coverage,
    JUnit files, xdist workers, test-only plugins); a git hook runs only the hooks.
    ``--hooks-staged`` wherever pre-commit stashes unstaged changes: the commit
    stages, and pre-push unless it checks every file (a root commit); with refs given,
    the refs choose the files and ``--hooks-staged`` only sets unstaged work aside.
    """
    select: list[str]
    env: dict[str, str] = {}
    if hook_type == "pre-push":
        found = pre_push_selection(args[0], args[1], stdin)
        if found is None:
            return None
        select, env = found
        if select:
            # as pre-commit: unstaged changes are set aside unless every file is checked
            select = ["--hooks-staged", *select]
    elif hook_type in ("commit-msg", "prepare-commit-msg"):
        # the hooks of these stages get the message file, and only it
        select = ["--hooks-staged", f"--hooks-files={args[0]}"]
        if len(args) > 1:
            env["PRE_COMMIT_COMMIT_MSG_SOURCE"] = args[1]
        if len(args) > 2:
            env["PRE_COMMIT_COMMIT_OBJECT_NAME"] = args[2]
    else:
        select = ["--hooks-staged"]
    argv = [
        "--hooks",
        f"--hooks-stage={hook_type}",
        f"--hooks-config={config}",
        *select,
        "-q",
        "-o",
        "addopts=",
        str(config),  # the only path: hooks, no test collection
    ]
    return argv, env


def _run_legacy(legacy: Path, args: Sequence[str], stdin: bytes | None) -> int:
    """Run the hook script that was there before ours, as git would (ENOEXEC: through sh)."""
    if legacy.is_dir() or not os.access(legacy, os.X_OK):
        return 0
    cmd = [str(legacy), *args]
    try:
        return subprocess.run(cmd, input=stdin, check=False).returncode
    except OSError as exc:
        if exc.errno == errno.ENOEXEC:
            return subprocess.run(["/bin/sh", *cmd], input=stdin, check=False).returncode
        raise HookrunError(f"cannot run {legacy}: {exc.strerror}") from None


def run(hook_type: str, config: str, script: str, args: Sequence[str]) -> int:
    """What an installed script runs: the legacy hook, then the hooks of this stage."""
    if hook_type not in ARG_COUNTS:
        raise HookrunError(f"hook type {hook_type!r} is not supported")
    low, high = ARG_COUNTS[hook_type]
    if not low <= len(args) <= high:
        raise HookrunError(f"{hook_type} got {len(args)} arguments from git: {list(args)}")
    stdin = sys.stdin.buffer.read() if hook_type == "pre-push" else None
    legacy_status = _run_legacy(Path(script + ".legacy"), args, stdin)
    config_path = Path(os.path.abspath(config))  # git runs hooks at the work tree's top
    if not config_path.is_file():
        skip = _NO_VERIFY.get(hook_type)
        print(
            f"hookrun: no {config} here, so the {hook_type} hook cannot run; add it, or "
            "`hookrun uninstall`" + (f" (`{skip}` skips the hooks once)" if skip else ""),
            file=sys.stderr,
        )
        return 1
    found = pytest_args(hook_type, config_path, args, stdin or b"")
    if found is None:
        return 1 if legacy_status else 0
    argv, env = found
    os.environ.update(env)
    os.environ.pop("PYTEST_ADDOPTS", None)  # the user's options for test runs, as addopts
    if os.environ.get("HOOKRUN_GITHOOK_AUTOLOAD", "") not in ("1", "true", "yes"):
        # start-up: only this plugin, not every installed one (about half the time here);
        # conftest.py files still load, and `pytest_plugins` in them still works
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        argv = [*LEAN_PLUGIN_ARGS, *argv]
    # this process runs hooks only: pytest's import and start-up allocate what lives
    # until the exit, which Python's collector would walk again and again (about 13 ms
    # of a run here); the plugin does the same for the run of any `pytest --hooks`
    gc.set_threshold(RUN_GC_THRESHOLD, *gc.get_threshold()[1:])

    import pytest

    status = int(pytest.main(argv))
    if status == pytest.ExitCode.NO_TESTS_COLLECTED:
        status = 0  # no hook in this stage: nothing to block
    return status or (1 if legacy_status else 0)


# --------------------------------------------------------------------------- CLI


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 1, like every other error."""

    def error(self, message: str) -> NoReturn:
        raise HookrunError(f"{message} (see `{self.prog} --help`)")


def _parser() -> _Parser:
    parser = _Parser(
        prog="hookrun",
        description="Install git hooks that run the .pre-commit-config.yaml hooks with pytest.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    inst = sub.add_parser("install", help="write git hook scripts")
    inst.add_argument(
        "-t",
        "--hook-type",
        action="append",
        default=[],
        metavar="TYPE",
        help=f"hook type (repeatable; default: the config's default_install_hook_types, "
        f"else pre-commit): {', '.join(SUPPORTED)}",
    )
    inst.add_argument(
        "-c", "--config", help=f"hook config (default: {DEFAULT_CONFIG} at the work tree's top)"
    )
    inst.add_argument(
        "-f",
        "--overwrite",
        action="store_true",
        help="replace an existing hook script instead of keeping it as <hook>.legacy",
    )
    uninst = sub.add_parser("uninstall", help="remove hookrun's scripts, restore the old ones")
    uninst.add_argument(
        "-t",
        "--hook-type",
        action="append",
        default=[],
        metavar="TYPE",
        help="hook type (repeatable; default: every hookrun script installed)",
    )
    runp = sub.add_parser("run", help="what an installed script runs (not for direct use)")
    runp.add_argument("hook_type")
    runp.add_argument("--config", default=DEFAULT_CONFIG)
    runp.add_argument("--script", required=True, help="the installed script's path ($0)")
    runp.add_argument("args", nargs="*", help="what git passed to the hook")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hookrun`` command; errors are one line and exit code 1."""
    command = "hookrun"
    argv = list(sys.argv[1:] if argv is None else argv)
    git_args: list[str] = []
    if argv[:1] == ["run"] and "--" in argv:
        # what git passed goes after `--` (argparse mishandles `--` after a subcommand)
        cut = argv.index("--")
        argv, git_args = argv[:cut], argv[cut + 1 :]
    try:
        ns = _parser().parse_args(argv)
        command = f"hookrun {ns.command}"
        if ns.command == "install":
            return install(ns.hook_type, ns.config, ns.overwrite)
        if ns.command == "uninstall":
            return uninstall(ns.hook_type)
        return run(ns.hook_type, ns.config, ns.script, [*ns.args, *git_args])
    except HookrunError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"{command}: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
