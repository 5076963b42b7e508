"""Remote hook repositories and their environments.

The hook repositories are real git repositories made by ``tests/hookrepos.py`` and
reached through ``file://`` URLs; every run is a real ``pytest --hooks`` process in a
real project, with its own store (``HOOKRUN_HOME``) or the module's shared one where
reuse is not the point. Outcomes come from the run's JUnit report, and the terminal
output is checked for the ``hookrun:`` lines of cloning and installing.

The last test is differential: pre-commit (the oracle) and ``pytest --hooks`` run one
config of python, node, script, system and local python hooks over two copies of a
project; each hook must get the same verdict and the trees must end byte-identical.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from . import hookrepos
from .conftest import Repo, git
from .hookrepos import HookRepo
from .test_differential import tree, tree_diff

CONFIG = ".pre-commit-config.yaml"
# items are named by hook id; a repeated id gets "#2", "#3", ... (see the README)
PY_VERSION = "{}.{}".format(*sys.version_info[:2])
# every config leaves itself out: some hooks take their args from it (and would find
# the words they look for in it)
EXCLUDE_CONFIG = r"^\.pre-commit-config\.yaml$"
RUN_TIMEOUT = 600
# pytester makes each test's project directory its HOME: the runs get the real one back,
# so that uv's, pip's and npm's caches neither land in the project nor start empty
REAL_HOME = os.environ.get("HOME", str(Path.home()))

# --------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class HookRepos:
    python: HookRepo
    node: HookRepo
    script: HookRepo
    other: HookRepo


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> HookRepos:
    root = tmp_path_factory.mktemp("hookrepos")
    return HookRepos(
        python=hookrepos.python_repo(root),
        node=hookrepos.node_repo(root),
        script=hookrepos.script_repo(root),
        other=hookrepos.other_repo(root),
    )


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for the tests of this module that are not about the store itself."""
    return tmp_path_factory.mktemp("store")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of an outer run (or of the outer git hook) leaks into the runs."""
    for var in list(os.environ):
        if (
            var in ("PYTEST_ADDOPTS", "SKIP", "PRE_COMMIT_HOME", "PRE_COMMIT", "VIRTUAL_ENV")
            or var.startswith(("HOOKRUN_", "GIT_", "PRE_COMMIT_"))
            or var.startswith("PYTEST_XDIST_")
            or var == hookrepos.GATE_VARIABLE
        ):
            monkeypatch.delenv(var)


@dataclass
class Outcome:
    status: str  # passed failed modified timeout skipped error
    text: str = ""  # failure text, skip reason or error text


@dataclass
class Run:
    ret: int
    out: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    def status(self) -> dict[str, str]:
        return {name: o.status for name, o in self.outcomes.items()}

    def lines(self, word: str) -> list[str]:
        """The ``hookrun: WORD ...`` lines of the output."""
        return [line for line in self.out.splitlines() if line.startswith(f"hookrun: {word}")]


def parse_junit(path: Path) -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        name = case.get("name", "")
        failure, skipped, error = (case.find(tag) for tag in ("failure", "skipped", "error"))
        if error is not None:  # before failure: an error in setup is one of its own
            out[name] = Outcome("error", (error.get("message") or "") + "\n" + (error.text or ""))
        elif failure is not None:
            text = failure.text or failure.get("message", "")
            word = text.splitlines()[0].rsplit(": ", 1)[-1].lower() if text else "failed"
            out[name] = Outcome(word, text)
        elif skipped is not None:
            out[name] = Outcome("skipped", skipped.get("message", ""))
        else:
            out[name] = Outcome("passed")
    return out


def pytest_command(junit: Path, *options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "--hooks",
        CONFIG,
        "-p",
        "no:cacheprovider",
        "-v",
        "-rA",
        f"--junitxml={junit}",
        *options,
    ]


def environ(home: Path | None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["HOME"] = REAL_HOME
    env.pop("HOOKRUN_HOME", None)
    if home is not None:
        env["HOOKRUN_HOME"] = str(home)
    env.update(extra)
    return env


_runs = iter(range(10**9))


def run_hooks(
    project: Path, home: Path | None, *options: str, env: Mapping[str, str] | None = None
) -> Run:
    """``pytest --hooks`` in ``project`` with ``home`` as the store."""
    junit = project.parent / f"junit-{project.name}-{next(_runs)}.xml"
    proc = subprocess.run(
        pytest_command(junit, *options),
        cwd=project,
        env={**environ(home), **(env or {})},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    out = proc.stdout + proc.stderr
    # 0: all passed, 1: some failed, 5: nothing collected (--co excepted); else a crash
    assert proc.returncode in (0, 1, 5), out
    assert "INTERNALERROR" not in out, out
    # neither the installs nor the hooks leave files in the project
    assert git(project, "ls-files", "--others", "--exclude-standard") == "", out
    outcomes = parse_junit(junit) if junit.exists() else {}
    return Run(proc.returncode, out, outcomes)


def project_repo(path: Path) -> Repo:
    path.mkdir(parents=True, exist_ok=True)
    return Repo(path)


def remote(
    hook_repo: HookRepo, *hooks: dict[str, Any] | str, rev: str | None = None
) -> dict[str, Any]:
    return {
        "repo": hook_repo.url,
        "rev": rev or hook_repo.tag,
        "hooks": [{"id": h} if isinstance(h, str) else h for h in hooks],
    }


def local(*hooks: dict[str, Any]) -> dict[str, Any]:
    return {"repo": "local", "hooks": list(hooks)}


def setup_project(
    repo: Repo, repos: list[dict[str, Any]], files: Mapping[str, str], **top: Any
) -> None:
    """Write ``files`` and the config of ``repos`` into ``repo`` and commit them."""
    config = {"exclude": EXCLUDE_CONFIG, **top, "repos": repos}
    for name, text in files.items():
        repo.write(name, text)
    repo.write(CONFIG, yaml.safe_dump(config, sort_keys=False, width=1000))
    repo.commit("project")


def store_entries(home: Path, kind: str) -> list[Path]:
    """The entries of ``repos/`` or ``envs/`` in the store."""
    where = home / kind
    return sorted(where.iterdir()) if where.is_dir() else []


def store_snapshot(home: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file of the store's clones and environments.

    Byte-code caches are left out (an interpreter may write them when a hook imports
    its package the first time); a rebuilt or replaced environment changes the rest.
    """
    out: dict[str, tuple[int, int]] = {}
    for kind in ("repos", "envs"):
        for dirpath, dirnames, filenames in os.walk(home / kind):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            for name in filenames:
                path = Path(dirpath, name)
                st = path.lstat()
                out[path.relative_to(home).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return out


def venv_configs(home: Path) -> list[str]:
    """The ``pyvenv.cfg`` of each python environment in the store."""
    return [p.read_text() for p in (home / "envs").glob("*/pyvenv.cfg")]


INSTALLED_TIME = r"\(\d+(?:\.\d+)? s\)"


def installing(language: str, hook_repo: HookRepo | None, rev: str | None = None) -> str:
    what = "local hooks" if hook_repo is None else f"{hook_repo.url} at {rev or hook_repo.tag}"
    return f"hookrun: installing {language} environment for {what}"


def cloning(hook_repo: HookRepo, rev: str | None = None) -> str:
    return f"hookrun: cloning {hook_repo.url} at {rev or hook_repo.tag}"


# --------------------------------------------------------------------------- each language


@dataclass(frozen=True)
class LanguageCase:
    repo: str  # attribute of HookRepos
    hooks: tuple[dict[str, Any] | str, ...]
    dirty: dict[str, str]  # files that make each hook fail or fix something
    expect: dict[str, tuple[str, tuple[str, ...]]]  # item: (status, texts in its report)
    absent: dict[str, tuple[str, ...]]  # item: texts its report must not have
    after: dict[str, str]  # the dirty files as the fixers leave them
    clean: dict[str, str | None]  # the same files, fixed (None: removed): every hook passes
    clean_skipped: tuple[str, ...] = ()  # ... or has no files left to check


LANGUAGE_CASES = {
    "python": LanguageCase(
        "python",
        (
            "py-upper-check",
            "py-fixer",
            {
                "id": "py-env-check",
                "args": ["--python", PY_VERSION, "--import", "hookrun_test_hooks"],
            },
        ),
        dirty={
            "bad.txt": "a BAD word\n",
            "ok.txt": "fine\n",
            "trail.md": "x  \ny\t\nz\n",
            "blob.bin": "\x00BAD  \n",  # binary: the manifest's types: [text] leave it out
        },
        expect={
            "py-upper-check": ("failed", ("BAD found in bad.txt",)),
            "py-fixer": ("modified", ("trail.md", "fixed trail.md")),
            "py-env-check": ("passed", ()),
        },
        absent={"py-upper-check": ("found in ok.txt", "found in trail.md", "blob.bin")},
        after={
            "bad.txt": "a BAD word\n",
            "ok.txt": "fine\n",
            "trail.md": "x\ny\nz\n",
            "blob.bin": "\x00BAD  \n",
        },
        clean={"bad.txt": "a good word\n"},
    ),
    "node": LanguageCase(
        "node",
        (
            "node-number-check",
            "node-tab-fixer",
            {
                "id": "node-require",
                "args": ["is-number", hookrepos.NODE_DEPENDENCY_MODULE],
                "additional_dependencies": [hookrepos.NODE_DEPENDENCY],
            },
        ),
        dirty={"n.txt": "1\n42\nabc\n", "ok.txt": "four two\n", "tab.md": "\tx\n"},
        expect={
            "node-number-check": ("failed", ("n.txt:1: a bare number", "n.txt:2: a bare number")),
            "node-tab-fixer": ("modified", ("tab.md", "fixed tab.md")),
            "node-require": ("passed", ()),
        },
        absent={"node-number-check": ("n.txt:3", "ok.txt:")},
        after={"n.txt": "1\n42\nabc\n", "ok.txt": "four two\n", "tab.md": "  x\n"},
        clean={"n.txt": "one\nforty-two\nabc\n"},
    ),
    "script": LanguageCase(
        "script",
        ("script-todo", "script-final-newline", "system-fixme", "pygrep-print", "fail-rej"),
        dirty={
            "todo.py": "# TODO\nprint(1)\n",
            "nl.txt": "no newline",
            "fix.md": "a\nFIXME here\nprint(2)\n",
            "x.rej": "a rejected hunk\n",
        },
        expect={
            "script-todo": ("failed", ("TODO in todo.py",)),
            "script-final-newline": ("modified", ("nl.txt", "fixed nl.txt")),
            "system-fixme": ("failed", ("fix.md:2:FIXME here",)),
            "pygrep-print": ("failed", ("todo.py:2:print(1)",)),
            "fail-rej": ("failed", ("leftover .rej files", "x.rej")),
        },
        absent={
            "script-todo": ("in nl.txt", "in fix.md"),
            "system-fixme": ("todo.py",),
            "pygrep-print": ("fix.md",),
        },
        after={
            "todo.py": "# TODO\nprint(1)\n",
            "nl.txt": "no newline\n",
            "fix.md": "a\nFIXME here\nprint(2)\n",
            "x.rej": "a rejected hunk\n",
        },
        clean={"todo.py": "# done\n", "fix.md": "a\nfixed here\n", "x.rej": None},
        clean_skipped=("fail-rej",),
    ),
}


@pytest.mark.parametrize("case_name", list(LANGUAGE_CASES))
def test_each_language_passes_fails_and_fixes(
    case_name: str, repo: Repo, hooks: HookRepos, shared_store: Path
) -> None:
    case = LANGUAGE_CASES[case_name]
    hook_repo = getattr(hooks, case.repo)
    setup_project(repo, [remote(hook_repo, *case.hooks)], case.dirty)

    run = run_hooks(repo.path, shared_store)
    assert run.ret == 1, run.out
    assert run.status() == {item: status for item, (status, _) in case.expect.items()}, run.out
    for item, (_, texts) in case.expect.items():
        for text in texts:
            assert text in run.outcomes[item].text, (item, run.outcomes[item].text)
    for item, texts in case.absent.items():
        for text in texts:
            assert text not in run.outcomes[item].text, (item, run.outcomes[item].text)
    assert {name: repo.read(name) for name in case.after} == case.after

    for name, text in {**case.after, **case.clean}.items():
        if text is None:
            (repo.path / name).unlink()
        else:
            repo.write(name, text)
    repo.commit("fixed")
    run = run_hooks(repo.path, shared_store)
    assert run.ret == 0, run.out
    assert run.status() == {
        item: "skipped" if item in case.clean_skipped else "passed" for item in case.expect
    }, run.out
    assert not run.lines("installing") and not run.lines("cloning"), run.out


def test_additional_dependencies_are_in_that_hooks_environment_only(
    repo: Repo, hooks: HookRepos, shared_store: Path
) -> None:
    six = hookrepos.PY_DEPENDENCY_MODULE
    is_odd = hookrepos.NODE_DEPENDENCY_MODULE
    setup_project(
        repo,
        [
            remote(
                hooks.python,
                {
                    "id": "py-env-check",
                    "args": ["--import", six],
                    "additional_dependencies": [hookrepos.PY_DEPENDENCY],
                },
                {"id": "py-env-check", "name": "without six", "args": ["--import", six]},
            ),
            remote(
                hooks.node,
                {
                    "id": "node-require",
                    "args": [is_odd],
                    "additional_dependencies": [hookrepos.NODE_DEPENDENCY],
                },
                {"id": "node-require", "name": "without is-odd", "args": [is_odd]},
            ),
            local(
                {
                    "id": "local-six",
                    "name": "local six",
                    "entry": _venv_import_entry(six),
                    "language": "python",
                    "additional_dependencies": [hookrepos.PY_DEPENDENCY],
                    "pass_filenames": False,
                    "always_run": True,
                }
            ),
        ],
        {"a.txt": "a\n"},
    )
    run = run_hooks(repo.path, shared_store)
    assert run.status() == {
        "py-env-check": "passed",
        "py-env-check#2": "failed",
        "node-require": "passed",
        "node-require#2": "failed",
        "local-six": "passed",
    }, run.out
    assert f"cannot import {six}" in run.outcomes["py-env-check#2"].text
    assert f"cannot require {is_odd}" in run.outcomes["node-require#2"].text


def _venv_import_entry(module: str) -> str:
    """An entry (run as argv, no shell) that passes only inside a venv that has ``module``."""
    code = (
        f"import os, sys, {module}; "
        "venv = os.environ.get('VIRTUAL_ENV', ''); "
        "ok = venv and os.path.realpath(venv) == os.path.realpath(sys.prefix) "
        "and sys.prefix != sys.base_prefix; "
        "print('prefix', sys.prefix, 'VIRTUAL_ENV', venv); "
        "sys.exit(0 if ok else 1)"
    )
    return f'python -c "{code}"'


LOCAL_PY = {  # a local python hook: passes in a venv of its own
    "id": "local-py",
    "name": "local py",
    "entry": _venv_import_entry("json"),
    "language": "python",
    "pass_filenames": False,
}


def test_local_python_hooks_get_a_venv(repo: Repo, shared_store: Path) -> None:
    six = hookrepos.PY_DEPENDENCY_MODULE
    setup_project(
        repo,
        [
            local(
                {
                    "id": "in-venv",
                    "name": "in venv",
                    "entry": _venv_import_entry("json"),
                    "language": "python",
                    "pass_filenames": False,
                },
                {
                    "id": "with-six",
                    "name": "with six",
                    "entry": _venv_import_entry(six),
                    "language": "python",
                    "additional_dependencies": [hookrepos.PY_DEPENDENCY],
                    "pass_filenames": False,
                },
                {
                    "id": "no-six-here",
                    "name": "no six here",
                    "entry": f"python -c 'import {six}'",
                    "language": "python",
                    "pass_filenames": False,
                },
                {
                    "id": "system-python",
                    "name": "system python is not a venv",
                    "entry": _venv_import_entry("json"),
                    "language": "system",
                    "pass_filenames": False,
                },
            )
        ],
        {"a.txt": "a\n"},
    )
    run = run_hooks(repo.path, shared_store)
    # a venv without six, even where the interpreter running pytest has it
    assert run.status() == {
        "in-venv": "passed",
        "with-six": "passed",
        "no-six-here": "failed",
        "system-python": "failed",
    }, run.out
    assert "ModuleNotFoundError" in run.outcomes["no-six-here"].text


# --------------------------------------------------------------------------- config keys


def test_config_keys_override_the_manifest(
    repo: Repo, hooks: HookRepos, shared_store: Path
) -> None:
    setup_project(
        repo,
        [
            remote(
                hooks.python,
                {
                    "id": "py-upper-check",
                    "name": "custom name",
                    "args": ["--word", "UGLY"],
                    "files": r"^src/",
                    "exclude": r"^src/skip/",
                },
                {"id": "py-fixer", "types": ["markdown"]},
                {"id": "py-fixer", "name": "fixer at manual only", "stages": ["manual"]},
            )
        ],
        {
            "src/a.txt": "UGLY and BAD\n",
            "src/b.txt": "BAD only\n",
            "src/skip/c.txt": "UGLY\n",
            "top.txt": "UGLY  \n",
            "doc.md": "trailing  \n",
        },
    )
    run = run_hooks(repo.path, shared_store)
    # the manual-stage copy is not collected at the pre-commit stage
    assert run.status() == {"py-upper-check": "failed", "py-fixer": "modified"}, run.out
    text = run.outcomes["py-upper-check"].text
    assert "custom name" in text
    assert "UGLY found in src/a.txt" in text
    # args replace the manifest's (BAD is not looked for); files and exclude apply
    assert "BAD found" not in text
    assert "src/skip/c.txt" not in text and "top.txt" not in text
    assert repo.read("doc.md") == "trailing\n"
    assert repo.read("top.txt") == "UGLY  \n"  # types: [markdown] replaced [text]

    run = run_hooks(repo.path, shared_store, "--hooks-stage", "manual")
    assert run.status()["py-fixer#2"] == "modified", run.out
    assert repo.read("top.txt") == "UGLY\n"


def test_stages_from_config_manifest_and_default_stages(
    repo: Repo, hooks: HookRepos, shared_store: Path
) -> None:
    """``stages``: the config's, else the manifest's, else ``default_stages``."""
    setup_project(
        repo,
        [
            remote(
                hooks.python,
                "py-manual-check",  # manifest: stages [manual]
                # manifest: stages [manual]; the config's stages win
                {"id": "py-manual-fixer", "stages": ["pre-commit"]},
                "py-upper-check",  # no stages anywhere: default_stages
            )
        ],
        {"m.txt": "MANUAL and BAD  \n"},
        default_stages=["pre-push"],
    )
    runs = {
        stage: run_hooks(repo.path, shared_store, "--hooks-stage", stage)
        for stage in ("pre-commit", "manual", "pre-push")
    }
    # a hook that does not belong to the stage is not collected, or skipped saying so
    ran = {
        stage: {
            item: outcome.status
            for item, outcome in run.outcomes.items()
            if not (outcome.status == "skipped" and "stage" in outcome.text)
        }
        for stage, run in runs.items()
    }
    assert ran == {
        "pre-commit": {"py-manual-fixer": "modified"},
        "manual": {"py-manual-check": "failed"},
        "pre-push": {"py-upper-check": "failed"},
    }, "\n".join(run.out for run in runs.values())
    assert "MANUAL found in m.txt" in runs["manual"].outcomes["py-manual-check"].text


def test_rev_can_be_a_commit_that_no_ref_points_at(
    repo: Repo, hooks: HookRepos, shared_store: Path
) -> None:
    mid = hooks.python.revs["mid"]
    setup_project(
        repo,
        [
            remote(hooks.python, "py-upper-check"),
            remote(hooks.python, "py-upper-check", rev=mid),
        ],
        {
            "v1.txt": f"{hookrepos.WORD_V1}\n",
            "mid.txt": f"{hookrepos.WORD_MID}\n",
            "tip.txt": f"{hookrepos.WORD_TIP}\n",
        },
    )
    run = run_hooks(repo.path, shared_store)
    assert run.status() == {"py-upper-check": "failed", "py-upper-check#2": "failed"}, run.out
    at_tag, at_mid = run.outcomes["py-upper-check"].text, run.outcomes["py-upper-check#2"].text
    assert "found in v1.txt" in at_tag and "found in mid.txt" not in at_tag
    assert "found in mid.txt" in at_mid and "found in v1.txt" not in at_mid
    assert "tip.txt" not in at_tag + at_mid


def test_rev_sha_when_the_server_refuses_a_shallow_fetch_of_it(
    repo: Repo, hooks: HookRepos, tmp_path: Path
) -> None:
    """git protocol v0 serves no unadvertised sha: the full fetch fallback gets it."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[protocol]\n\tversion = 0\n")
    mid = hooks.script.revs["mid"]
    setup_project(
        repo,
        [remote(hooks.script, "script-todo", rev=mid)],
        {"tag.txt": "TODO\n", "mid.txt": f"{hookrepos.SCRIPT_WORD_MID}\n"},
    )
    # the fallback is needed here: the same fetch pre-commit and hookrun start with fails
    probe = tmp_path / "probe"
    probe.mkdir()
    git(probe, "init", "-q")
    shallow = subprocess.run(
        ("git", "fetch", "-q", "--depth=1", hooks.script.url, mid),
        cwd=probe,
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert shallow.returncode != 0, shallow

    run = run_hooks(repo.path, tmp_path / "store", env={"HOME": str(home)})
    assert run.status() == {"script-todo": "failed"}, run.out
    assert f"{hookrepos.SCRIPT_WORD_MID} in mid.txt" in run.outcomes["script-todo"].text
    assert cloning(hooks.script, mid) in run.out


# --------------------------------------------------------------------------- errors and skips


def test_missing_hook_id_is_an_error_on_that_hook(
    repo: Repo, hooks: HookRepos, shared_store: Path
) -> None:
    setup_project(
        repo,
        [
            remote(hooks.python, "py-upper-check", "no-such-hook"),
            remote(hooks.script, "script-todo"),
        ],
        {"a.txt": "BAD\n", "b.txt": "TODO\n"},
    )
    run = run_hooks(repo.path, shared_store)
    assert run.status() == {
        "py-upper-check": "failed",
        "no-such-hook": "error",
        "script-todo": "failed",
    }, run.out
    text = run.outcomes["no-such-hook"].text
    assert "no-such-hook" in text and hooks.python.url in text and "v1.0" in text, text
    assert "ERROR at setup of no-such-hook" in run.out


def test_install_failures_are_errors_on_that_repos_hooks_only(
    repo: Repo, hooks: HookRepos, shared_store: Path, tmp_path: Path
) -> None:
    missing_repo = (tmp_path / "not-a-repo").as_uri()
    missing = hookrepos.MISSING_PY_PACKAGE
    setup_project(
        repo,
        [
            remote(
                hooks.python,
                {"id": "py-upper-check", "additional_dependencies": [f"{missing}==1.0"]},
            ),
            {"repo": missing_repo, "rev": "v1.0", "hooks": [{"id": "gone"}, {"id": "gone-too"}]},
            remote(hooks.script, "script-final-newline", rev="v9.9"),
            remote(hooks.script, "script-todo", "system-fixme"),
            remote(hooks.node, "node-number-check"),
            local(
                {
                    "id": "local-bad-dep",
                    "name": "local bad dep",
                    "entry": "python -c pass",
                    "language": "python",
                    "additional_dependencies": [missing],
                }
            ),
        ],
        {"a.txt": "TODO\n", "n.txt": "7\n", "c.txt": "clean"},
    )
    run = run_hooks(repo.path, shared_store)
    assert run.status() == {
        "py-upper-check": "error",
        "gone": "error",
        "gone-too": "error",
        "script-final-newline": "error",
        "script-todo": "failed",
        "system-fixme": "passed",
        "node-number-check": "failed",
        "local-bad-dep": "error",
    }, run.out
    assert repo.read("c.txt") == "clean"  # script-final-newline never ran

    dep = run.outcomes["py-upper-check"].text
    assert hooks.python.url in dep and missing in dep, dep
    assert re.search(r"\b(uv|pip)\b", dep), dep  # the command
    local_dep = run.outcomes["local-bad-dep"].text
    assert missing in local_dep and re.search(r"\b(uv|pip)\b", local_dep), local_dep
    for item in ("gone", "gone-too"):
        text = run.outcomes[item].text
        assert missing_repo in text and "git" in text, text
        assert "does not appear to be a git repository" in text, text  # git's own output
    rev = run.outcomes["script-final-newline"].text
    assert hooks.script.url in rev and "v9.9" in rev and "git" in rev, rev
    for item in ("py-upper-check", "gone", "script-final-newline", "local-bad-dep"):
        assert f"ERROR at setup of {item}" in run.out
    assert "TODO in a.txt" in run.outcomes["script-todo"].text
    assert "n.txt:1: a bare number" in run.outcomes["node-number-check"].text


def test_other_languages_are_skipped_with_the_language_named(
    repo: Repo, hooks: HookRepos, shared_store: Path
) -> None:
    setup_project(
        repo,
        [
            remote(hooks.other, "go-hook", "rust-hook", "docker-hook", "other-script"),
            local(
                {"id": "local-go", "name": "local go", "entry": "gofmt", "language": "golang"},
                {"id": "local-ruby", "name": "local ruby", "entry": "rubocop", "language": "ruby"},
            ),
        ],
        {"a.txt": "a\n", "main.go": "package main\n"},
    )
    run = run_hooks(repo.path, shared_store)
    assert run.ret == 0, run.out
    assert run.status() == {
        "go-hook": "skipped",
        "rust-hook": "skipped",
        "docker-hook": "skipped",
        "other-script": "passed",
        "local-go": "skipped",
        "local-ruby": "skipped",
    }, run.out
    for item, language in (
        ("go-hook", "golang"),
        ("rust-hook", "rust"),
        ("docker-hook", "docker"),
        ("local-go", "golang"),
        ("local-ruby", "ruby"),
    ):
        assert f"language '{language}'" in run.outcomes[item].text, run.outcomes[item]


# --------------------------------------------------------------------------- the store


def test_collect_only_clones_nothing(repo: Repo, hooks: HookRepos, tmp_path: Path) -> None:
    home = tmp_path / "store"
    setup_project(
        repo,
        [
            remote(hooks.python, "py-upper-check", "py-fixer"),
            remote(hooks.node, "node-number-check"),
            remote(hooks.script, "script-todo"),
            remote(hooks.other, "go-hook"),
            {"repo": (tmp_path / "missing").as_uri(), "rev": "v1", "hooks": [{"id": "gone-hook"}]},
            local({"id": "lp", "name": "lp", "entry": "python -c pass", "language": "python"}),
        ],
        {"a.txt": "BAD\n"},
    )
    for options in (("--co",), ("--co", "-qq")):
        run = run_hooks(repo.path, home, *options)
        assert run.ret == 0, run.out
        for item in (
            "py-upper-check",
            "py-fixer",
            "node-number-check",
            "script-todo",
            "go-hook",
            "gone-hook",
            "lp",
        ):
            assert re.search(rf"(?<![\w-]){item}(?![\w-])", run.out), (item, run.out)
        assert not run.lines("cloning") and not run.lines("installing"), run.out
        assert not store_entries(home, "repos") and not store_entries(home, "envs")
        # (only the parsed config may be kept: yaml/)
        assert not home.exists() or not any(
            p.is_dir() and any(p.iterdir()) for p in home.iterdir() if p.name != "yaml"
        )


def test_deselected_hooks_install_nothing(repo: Repo, hooks: HookRepos, tmp_path: Path) -> None:
    home = tmp_path / "store"
    setup_project(
        repo,
        [
            remote(hooks.python, "py-upper-check"),
            remote(hooks.node, "node-number-check"),
            remote(hooks.script, "script-todo"),
        ],
        {"a.txt": "TODO\n"},
    )
    run = run_hooks(repo.path, home, "-k", "script")
    assert run.status() == {"script-todo": "failed"}, run.out
    assert not run.lines("installing"), run.out
    assert not store_entries(home, "envs")
    assert not any(
        line.startswith((cloning(hooks.python), cloning(hooks.node)))
        for line in run.out.splitlines()
    )


def test_skipped_hooks_install_nothing(repo: Repo, hooks: HookRepos, tmp_path: Path) -> None:
    home = tmp_path / "store"
    setup_project(
        repo,
        [remote(hooks.python, "py-upper-check"), remote(hooks.script, "script-todo")],
        {"a.txt": "BAD TODO\n"},
    )
    run = run_hooks(repo.path, home, env={"SKIP": "py-upper-check"})
    assert run.status() == {"py-upper-check": "skipped", "script-todo": "failed"}, run.out
    assert not run.lines("installing"), run.out
    assert not store_entries(home, "envs")


def test_cloning_and_installing_are_shown_under_xdist(
    repo: Repo, hooks: HookRepos, tmp_path: Path
) -> None:
    """With ``-n 2`` the hooks run in a worker, whose output pytest-xdist does not show:
    the clone and install lines must still reach the terminal."""
    home = tmp_path / "store"
    setup_project(
        repo,
        [remote(hooks.script, "script-todo"), local(LOCAL_PY)],
        {"a.txt": "TODO\n"},
    )
    run = run_hooks(repo.path, home, "-n", "2")
    assert run.status() == {"script-todo": "failed", "local-py": "passed"}, run.out
    assert cloning(hooks.script) in run.out.splitlines(), run.out
    assert installing("python", None) in run.out.splitlines(), run.out
    assert len(run.lines("installed")) == 1, run.out


@pytest.mark.parametrize("where", ["XDG_CACHE_HOME", "HOME"])
def test_default_store_location(
    where: str, repo: Repo, hooks: HookRepos, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "base"
    base.mkdir()
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    if where == "XDG_CACHE_HOME":
        env = {"XDG_CACHE_HOME": str(base)}
        expected = base / "pytest-hookrun"
    else:
        env = {"HOME": str(base)}
        expected = base / ".cache" / "pytest-hookrun"
    setup_project(repo, [remote(hooks.script, "script-todo")], {"a.txt": "TODO\n"})
    run = run_hooks(repo.path, None, env=env)
    assert run.status() == {"script-todo": "failed"}, run.out
    assert len(store_entries(expected, "repos")) == 1, sorted(base.rglob("*"))[:20]


@pytest.mark.slow
def test_environments_are_reused_across_runs_and_projects(
    repo: Repo, hooks: HookRepos, tmp_path: Path
) -> None:
    home = tmp_path / "store"
    config = [
        remote(hooks.python, "py-upper-check", "py-fixer"),
        remote(
            hooks.python,
            {
                "id": "py-env-check",
                "args": ["--import", hookrepos.PY_DEPENDENCY_MODULE],
                "additional_dependencies": [hookrepos.PY_DEPENDENCY],
            },
        ),
        remote(hooks.node, "node-number-check"),
        remote(hooks.script, "script-todo"),
        local(
            {
                "id": "local-py",
                "name": "local py",
                "entry": _venv_import_entry("json"),
                "language": "python",
                "pass_filenames": False,
            }
        ),
    ]
    files = {"a.txt": "BAD\n", "b.txt": "trail \n", "n.txt": "5\n"}
    expected = {
        "py-upper-check": "failed",
        "py-fixer": "modified",
        "py-env-check": "passed",
        "node-number-check": "failed",
        "script-todo": "passed",
        "local-py": "passed",
    }
    setup_project(repo, config, files)

    first = run_hooks(repo.path, home)
    assert first.status() == expected, first.out
    for line in (
        cloning(hooks.python),
        cloning(hooks.node),
        cloning(hooks.script),
        installing("python", hooks.python),
        installing("node", hooks.node),
        installing("python", None),
    ):
        assert line in first.out.splitlines(), (line, first.out)
    # two python environments for the python repo: with and without the dependency
    assert first.lines("installing").count(installing("python", hooks.python)) == 2, first.out
    assert len(first.lines("installing")) == 4, first.out
    assert len(first.lines("cloning")) == 3, first.out
    installed = first.lines("installed")
    assert len(installed) == 4, first.out
    assert all(re.search(INSTALLED_TIME + "$", line) for line in installed), installed
    assert any(hooks.node.url in line for line in installed), installed
    out = first.out.splitlines()
    for language, hook_repo in (("python", hooks.python), ("node", hooks.node), ("python", None)):
        start = out.index(installing(language, hook_repo))
        assert any(
            line.startswith(f"hookrun: installed {language} environment")
            and (hook_repo is None or hook_repo.url in line)
            for line in out[start + 1 :]
        ), first.out
    # one directory per environment, one clone per repo and rev
    assert len(store_entries(home, "envs")) == 4, store_entries(home, "envs")
    assert len(store_entries(home, "repos")) == 3, store_entries(home, "repos")
    before = store_snapshot(home)
    assert before

    # the same project again: the fixed file stays fixed, everything else the same
    repo.write("b.txt", "trail \n")
    second = run_hooks(repo.path, home)
    assert second.status() == expected, second.out
    assert not second.lines("cloning") and not second.lines("installing"), second.out
    assert not second.lines("installed"), second.out
    assert store_snapshot(home) == before

    # another project with the same config
    other = project_repo(tmp_path / "other-project")
    setup_project(other, config, files)
    third = run_hooks(other.path, home)
    assert third.status() == expected, third.out
    assert not third.lines("cloning") and not third.lines("installing"), third.out
    assert store_snapshot(home) == before


def _popen_hooks(
    project: Path, home: Path, junit: Path, log: Path, **extra: str
) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            pytest_command(junit),
            cwd=project,
            env=environ(home, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.mark.slow
def test_two_concurrent_runs_on_one_empty_store(hooks: HookRepos, tmp_path: Path) -> None:
    home = tmp_path / "store"
    home.mkdir()
    config = [
        remote(hooks.python, "py-upper-check", "py-fixer"),
        remote(hooks.node, "node-number-check", "node-tab-fixer"),
        remote(hooks.script, "script-todo"),
        local(
            {
                "id": "local-py",
                "name": "local py",
                "entry": _venv_import_entry("json"),
                "language": "python",
                "pass_filenames": False,
            }
        ),
    ]
    projects = []
    for name in ("one", "two"):
        project = project_repo(tmp_path / name)
        setup_project(project, config, {"a.txt": "good\n", "b.md": "fine\n"})
        projects.append(project)

    procs = [
        _popen_hooks(p.path, home, tmp_path / f"{p.path.name}.xml", tmp_path / f"{p.path.name}.log")
        for p in projects
    ]
    try:
        codes = [proc.wait(timeout=RUN_TIMEOUT) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    logs = [(tmp_path / f"{p.path.name}.log").read_text() for p in projects]
    assert codes == [0, 0], logs
    for p in projects:
        outcomes = parse_junit(tmp_path / f"{p.path.name}.xml")
        assert {n: o.status for n, o in outcomes.items()} == {
            "py-upper-check": "passed",
            "py-fixer": "passed",
            "node-number-check": "passed",
            "node-tab-fixer": "passed",
            "script-todo": "passed",
            "local-py": "passed",
        }, logs
    # exactly one environment per key and one clone per repo and rev, nothing half-made
    assert len(store_entries(home, "envs")) == 3, store_entries(home, "envs")
    assert len(store_entries(home, "repos")) == 3, store_entries(home, "repos")
    for entry in home.iterdir():
        if entry.name == "yaml":  # parsed documents, each whole (no temporary file left)
            assert all(re.fullmatch("[0-9a-f]{32}", p.name) for p in entry.iterdir())
        elif entry.name not in ("repos", "envs", "locks"):
            assert not entry.is_dir() or not any(entry.iterdir()), (entry, list(entry.iterdir()))
    # and the store is complete: a third run installs nothing
    again = run_hooks(projects[0].path, home)
    assert again.ret == 0, again.out
    assert not again.lines("cloning") and not again.lines("installing"), again.out


def _descendants(pid: int) -> list[int]:
    """Every live process under ``pid`` (through /proc parent links, setsid or not)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_an_install_stopped_midway_is_never_used(how: str, repo: Repo, tmp_path: Path) -> None:
    """A run stopped while an environment builds; the next run builds it anew and it works.

    SIGKILL hits every process of the run (nothing can clean up); SIGTERM and SIGINT go
    to the pytest process alone (a CI runner's stop, an IDE's stop button), and then
    no process of the install may outlive pytest.
    """
    gated = hookrepos.gated_python_repo(tmp_path / "hookrepos")
    home = tmp_path / "store"
    gate = tmp_path / "gate"
    gate.mkdir()
    setup_project(repo, [remote(gated, "py-upper-check", "py-fixer")], {"a.txt": "BAD\n"})
    log = tmp_path / "stopped.log"
    proc = _popen_hooks(
        repo.path,
        home,
        tmp_path / "stopped.xml",
        log,
        # no PYTHONUNBUFFERED: the lines must be flushed as they are said, as a CI log needs
        **{hookrepos.GATE_VARIABLE: str(gate)},
    )
    victims = [proc.pid]
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while not (gate / "started").exists():  # the build backend holds the install
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        # said while it happens, before the install is over
        text = log.read_text()
        assert installing("python", gated) in text.splitlines(), text
        assert "hookrun: installed" not in text, text
        victims += _descendants(proc.pid)
        assert len(victims) > 1, victims  # the installer runs
        if how == "SIGKILL":
            for pid in victims:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, getattr(signal, how))
            assert proc.wait(timeout=60) != 0, log.read_text()
        deadline = time.monotonic() + 30
        while not all(_gone(pid) for pid in victims):
            left = [pid for pid in victims if not _gone(pid)]
            assert time.monotonic() < deadline, (f"outlived pytest: {left}", log.read_text())
            time.sleep(0.05)
    finally:
        for pid in [proc.pid, *_descendants(proc.pid), *victims]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait()

    run = run_hooks(repo.path, home)
    assert run.status() == {"py-upper-check": "failed", "py-fixer": "passed"}, run.out
    assert "BAD found in a.txt" in run.outcomes["py-upper-check"].text
    assert installing("python", gated) in run.out.splitlines(), run.out
    again = run_hooks(repo.path, home)
    assert again.status() == run.status(), again.out
    assert not again.lines("installing"), again.out


# --------------------------------------------------------------------------- python installers


@pytest.mark.slow
def test_without_uv_python_envs_use_venv_and_pip(
    repo: Repo, hooks: HookRepos, tmp_path: Path
) -> None:
    home = tmp_path / "store"
    setup_project(
        repo,
        [
            remote(
                hooks.python,
                "py-upper-check",
                {
                    "id": "py-env-check",
                    "args": ["--python", PY_VERSION, "--import", "hookrun_test_hooks"],
                },
            ),
        ],
        {"a.txt": "BAD\n"},
    )
    run = run_hooks(repo.path, home, env={"HOOKRUN_UV": "0"})
    assert run.status() == {"py-upper-check": "failed", "py-env-check": "passed"}, run.out
    assert "BAD found in a.txt" in run.outcomes["py-upper-check"].text
    configs = venv_configs(home)
    assert len(configs) == 1, configs
    assert not any(re.search(r"^uv\s*=", c, re.MULTILINE) for c in configs), configs
    assert all((p.parent / "bin" / "pip").exists() for p in (home / "envs").glob("*/pyvenv.cfg"))


@pytest.mark.slow
def test_uv_beside_the_interpreter_is_used(repo: Repo, hooks: HookRepos, tmp_path: Path) -> None:
    beside = Path(sys.executable).parent / "uv"
    if not beside.exists():
        pytest.skip("no uv beside the interpreter")
    home = tmp_path / "store"
    setup_project(repo, [remote(hooks.python, "py-upper-check")], {"a.txt": "BAD\n"})
    # PATH without uv (nor the interpreter's directory): only "beside the interpreter" finds it
    path = os.pathsep.join(
        d for d in os.environ["PATH"].split(os.pathsep) if d and not (Path(d) / "uv").exists()
    )
    run = run_hooks(repo.path, home, env={"PATH": path})
    assert run.status() == {"py-upper-check": "failed"}, run.out
    configs = venv_configs(home)
    assert len(configs) == 1 and re.search(r"^uv\s*=", configs[0], re.MULTILINE), configs


def test_language_version(repo: Repo, hooks: HookRepos, shared_store: Path) -> None:
    """``language_version`` of the hook, else ``default_language_version``."""
    setup_project(
        repo,
        [
            remote(
                hooks.python,
                {
                    "id": "py-env-check",
                    "language_version": f"python{PY_VERSION}",
                    "args": ["--python", PY_VERSION],
                },
                # from default_language_version: an interpreter that does not exist
                {"id": "py-env-check", "name": "no such python"},
            ),
            local(
                {
                    "id": "local-default",
                    "name": "local default",
                    "entry": "python -c pass",
                    "language": "python",
                    "pass_filenames": False,
                },
                {
                    "id": "local-explicit",
                    "name": "local explicit",
                    "entry": "python -c pass",
                    "language": "python",
                    "pass_filenames": False,
                    "language_version": f"python{PY_VERSION}",
                },
            ),
        ],
        {"a.txt": "a\n"},
        default_language_version={"python": "python3.99"},
    )
    run = run_hooks(repo.path, shared_store)
    assert run.status() == {
        "py-env-check": "passed",
        "py-env-check#2": "error",
        "local-default": "error",
        "local-explicit": "passed",
    }, run.out
    assert "python3.99" in run.outcomes["py-env-check#2"].text
    assert "python3.99" in run.outcomes["local-default"].text


# --------------------------------------------------------------------------- differential


def pre_commit_verdicts(output: str) -> dict[str, str]:
    """pre-commit's verdict per hook name: passed, failed, modified or skipped."""
    verdict = re.compile(
        r"^(?P<name>[^.\n]+?)\.+(?:\(no files to check\))?(?P<v>Passed|Failed|Skipped)$"
    )
    out: dict[str, str] = {}
    name = None
    for line in output.splitlines():
        match = verdict.match(line)
        if match:
            name = match["name"]
            assert name not in out, f"hook name printed twice: {line}"
            out[name] = match["v"].lower()
        elif name and line == "- files were modified by this hook":
            out[name] = "modified"
    return out


def run_pre_commit(path: Path, home: Path, *options: str) -> tuple[dict[str, str], str]:
    env = {**os.environ, "HOME": REAL_HOME, "PRE_COMMIT_HOME": str(home)}
    proc = subprocess.run(
        (sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never", *options),
        cwd=path,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert "An error has occurred" not in output, output
    return pre_commit_verdicts(proc.stdout), output


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


DIFF_FILES = {
    "a.txt": "a BAD line  \n\tindented\n",
    "b.md": "# Title\n\nTODO: more\n",
    "c.txt": "42\nMANUAL\n",
    "d.py": "x = 1  # FIXME\nprint(x)\n",
    "old.rej": "rejected\n",
    "e.txt": "no final newline",
    "f.txt": f"{hookrepos.WORD_MID}\n",
    "clean.txt": "nothing to see\n",
    "docs/g.md": "words\n",
}


def diff_config(hooks: HookRepos) -> list[dict[str, Any]]:
    return [
        remote(
            hooks.python,
            "py-upper-check",
            {"id": "py-fixer", "exclude": r"^docs/"},
            {
                "id": "py-env-check",
                "args": ["--python", PY_VERSION, "--import", hookrepos.PY_DEPENDENCY_MODULE],
                "additional_dependencies": [hookrepos.PY_DEPENDENCY],
            },
            "py-manual-check",
        ),
        remote(
            hooks.python,
            {"id": "py-upper-check", "name": "py mid check"},
            rev=hooks.python.revs["mid"],
        ),
        remote(
            hooks.node,
            "node-number-check",
            {"id": "node-tab-fixer", "files": r"\.txt$"},
            {
                "id": "node-require",
                "args": ["is-number", hookrepos.NODE_DEPENDENCY_MODULE],
                "additional_dependencies": [hookrepos.NODE_DEPENDENCY],
            },
        ),
        remote(
            hooks.script,
            "script-todo",
            "script-final-newline",
            "system-fixme",
            "pygrep-print",
            "fail-rej",
        ),
        local(
            {
                "id": "local-py",
                "name": "local py",
                "entry": _venv_import_entry(hookrepos.PY_DEPENDENCY_MODULE),
                "language": "python",
                "additional_dependencies": [hookrepos.PY_DEPENDENCY],
                "pass_filenames": False,
            },
        ),
    ]


DIFF_EXPECT = {  # pre-commit's verdicts (the oracle is checked against these first)
    "pre-commit": {
        "py upper check": "failed",
        "py fixer": "modified",
        "py env check": "passed",
        "py mid check": "failed",
        "node number check": "failed",
        "node tab fixer": "modified",
        "node require": "passed",
        "script todo": "failed",
        "script final newline": "modified",
        "system fixme": "failed",
        "pygrep print": "failed",
        "fail rej": "failed",
        "local py": "passed",
    },
}
DIFF_EXPECT["manual"] = {**DIFF_EXPECT["pre-commit"], "py manual check": "failed"}


@pytest.mark.slow
def test_same_as_pre_commit(
    repo: Repo,
    hooks: HookRepos,
    shared_store: Path,
    pre_commit_home: Path,
    tmp_path: Path,
) -> None:
    """Both stages in one test: pre-commit's environments are installed once, in one worker."""
    config = diff_config(hooks)
    setup_project(repo, config, DIFF_FILES)
    names = item_names(config)
    for stage in ("pre-commit", "manual"):
        reset_project(repo.path)
        oracle = tmp_path / f"oracle-{stage}"
        shutil.copytree(repo.path, oracle, symlinks=True)

        theirs, output = run_pre_commit(oracle, pre_commit_home, "--hook-stage", stage)
        assert theirs == DIFF_EXPECT[stage], output

        run = run_hooks(repo.path, shared_store, "--hooks-stage", stage)
        ours = {}
        for item, outcome in run.outcomes.items():
            if outcome.status == "skipped" and "stage" in outcome.text:
                continue  # a manifest's stages, known only once cloned: pre-commit prints nothing
            ours[names[item]] = outcome.status
        assert (stage, ours) == (stage, theirs), run.out
        assert (stage, tree_diff(tree(repo.path), tree(oracle))) == (stage, {})


def reset_project(path: Path) -> None:
    git(path, "reset", "-q", "--hard")
    git(path, "clean", "-q", "-fdx")


def item_names(config: list[dict[str, Any]]) -> dict[str, str]:
    """Item name: the name pre-commit prints, of every hook of ``config``."""
    manifests = {
        h["id"]: h
        for h in [*hookrepos.PY_MANIFEST, *hookrepos.NODE_MANIFEST, *hookrepos.SCRIPT_MANIFEST]
    }
    names = {}
    seen: dict[str, int] = {}
    for entry in config:
        for hook in entry["hooks"]:
            hook_id = hook["id"]
            seen[hook_id] = seen.get(hook_id, 0) + 1
            item = hook_id if seen[hook_id] == 1 else f"{hook_id}#{seen[hook_id]}"
            names[item] = hook.get("name", manifests.get(hook_id, {}).get("name", hook_id))
    return names
