"""Fast paths end to end: a pre-commit-hooks repo runs in-process, with the same results
as its real console scripts (``--hooks-no-fast-path``)."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from pytest_hookrun.process import live_process_groups

from .conftest import Repo, git
from .test_plugin import outcomes

pre_commit_hooks = pytest.importorskip("pre_commit_hooks")
HOOK_IDS = {
    "trailing-whitespace": "trailing-whitespace-fixer",
    "end-of-file-fixer": "end-of-file-fixer",
    "check-yaml": "check-yaml",
    "mixed-line-ending": "mixed-line-ending",
    "check-merge-conflict": "check-merge-conflict",
}
# in the mirror's manifest too, not in _project's config
MORE_HOOK_IDS = {
    "check-added-large-files": "check-added-large-files",
    "check-case-conflict": "check-case-conflict",
    "debug-statements": "debug-statement-hook",
}


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A mirror of pre-commit/pre-commit-hooks made from the installed release's files."""
    from importlib.metadata import version

    root = tmp_path_factory.mktemp("pre-commit-hooks")
    shutil.copytree(
        Path(pre_commit_hooks.__file__).parent,
        root / "pre_commit_hooks",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    entries = {
        "trailing-whitespace-fixer": "trailing_whitespace_fixer",
        "end-of-file-fixer": "end_of_file_fixer",
        "check-yaml": "check_yaml",
        "mixed-line-ending": "mixed_line_ending",
        "check-merge-conflict": "check_merge_conflict",
        "check-added-large-files": "check_added_large_files",
        "check-case-conflict": "check_case_conflict",
        "debug-statement-hook": "debug_statement_hook",
    }
    (root / "setup.cfg").write_text(
        "[metadata]\nname = pre_commit_hooks\nversion = "
        + version("pre-commit-hooks")
        + "\n\n[options]\npackages = find:\ninstall_requires =\n    ruamel.yaml>=0.15\n\n"
        + "[options.entry_points]\nconsole_scripts =\n"
        + "".join(f"    {e} = pre_commit_hooks.{m}:main\n" for e, m in entries.items())
    )
    (root / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
    )
    manifest = ""
    for hook_id, entry in {**HOOK_IDS, **MORE_HOOK_IDS}.items():
        types = {
            "check-yaml": "[yaml]",
            **dict.fromkeys(MORE_HOOK_IDS, "[file]"),
            "debug-statements": "[python]",
        }.get(hook_id, "[text]")
        manifest += (
            f"- id: {hook_id}\n  name: {hook_id}\n  entry: {entry}\n"
            f"  language: python\n  types: {types}\n"
        )
    (root / ".pre-commit-hooks.yaml").write_text(manifest)
    for args in (
        ("init", "-q", "-b", "main"),
        ("add", "-A"),
        ("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "release"),
        ("tag", "v6.0.0"),
    ):
        subprocess.run(("git", *args), cwd=root, check=True, capture_output=True)
    return root.as_uri()


def _project(repo: Repo, url: str) -> None:
    hooks = "".join(f"  - id: {h}\n" for h in HOOK_IDS)
    repo.write(
        ".pre-commit-config.yaml", f"repos:\n- repo: {url}\n  rev: v6.0.0\n  hooks:\n{hooks}"
    )
    repo.write("clean.txt", "fine\n")
    repo.write("spaces.txt", "trailing   \nline\t\n")
    repo.write("noeol.txt", "no final newline")
    repo.write("crlf.txt", "a\r\nb\nc\r\n")
    repo.write("good.yaml", "a: 1\nb: [1, 2]\n")
    repo.write("bad.yaml", "a: [1, 2\n")
    repo.write(
        "conflict.txt",
        textwrap.dedent("""\
        <<<<<<< HEAD
        ours
        =======
        theirs
        >>>>>>> branch
    """),
    )
    repo.commit()


def _tree(path: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".pytest_cache" not in p.parts
    }


@pytest.mark.slow
def test_fast_paths_match_the_real_hooks(
    repo: Repo, pytester: pytest.Pytester, hooks_repo: str, tmp_path: Path
) -> None:
    _project(repo, hooks_repo)
    twin = tmp_path / "twin"
    shutil.copytree(repo.path, twin, symlinks=True)
    fast = pytester.runpytest("--hooks", "-v", "-p", "no:cacheprovider")
    fast_out = fast.stdout.str()
    expected = {
        "trailing-whitespace": "MODIFIED",
        "end-of-file-fixer": "MODIFIED",
        "check-yaml": "FAILED",
        "mixed-line-ending": "MODIFIED",
        "check-merge-conflict": "PASSED",  # not in a merge (no --assume-in-merge)
    }
    assert outcomes(fast) == expected
    assert "trailing-whitespace-fixer (in-process)" in fast_out

    os.chdir(twin)
    real = pytester.runpytest(
        "--hooks", "-v", "-p", "no:cacheprovider", "--hooks-no-fast-path", "--rootdir", str(twin)
    )
    assert outcomes(real) == expected
    real_out = real.stdout.str()
    assert "(in-process)" not in real_out
    assert _tree(repo.path) == _tree(twin)
    # the same words from each hook: what the real console scripts print
    for needle in ("Fixing spaces.txt", "Fixing noeol.txt", "crlf.txt: fixed mixed line endings",
                   "bad.yaml"):  # fmt: skip
        assert (needle in fast_out) == (needle in real_out), needle
    git(twin, "status")  # still a repository
    # the same files reported modified, with the same diff, by the fast path's own
    # account of its writes as by the snapshots around the real hook's processes
    for hook_id, status in expected.items():
        if status == "MODIFIED":
            assert _changes(fast_out, hook_id) == _changes(real_out, hook_id), hook_id
            assert any(line.startswith("+++ b/") for line in _changes(fast_out, hook_id))


def _changes(out: str, hook_id: str) -> list[str]:
    """The modified files and the diff in ``hook_id``'s failure section."""
    lines = out.splitlines()
    start = lines.index(next(line for line in lines if re.fullmatch(rf"_+ {hook_id} _+", line)))
    section: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith(("output:", "____", "====")):
            break
        section.append(line)
    return section[section.index(next(x for x in section if x.startswith("files were"))) :]


@pytest.mark.parametrize(
    "jobs,size,ahead,batches",
    [
        ("2", 3000, False, 2),  # ~120 kB of YAML: ruamel for most of a second, on both slots
        ("2", 3000, True, 1),  # a longer path ahead of it: one slot, the other for that
        ("1", 3000, False, 0),  # one slot: nothing runs beside it, it stays in-process
        ("2", 40, False, 0),  # a few small files: in-process, a process start costs more
    ],
)
def test_a_long_fast_path_runs_as_the_real_hooks_processes(
    repo: Repo,
    pytester: pytest.Pytester,
    hooks_repo: str,
    jobs: str,
    size: int,
    ahead: bool,
    batches: int,
) -> None:
    """A long fast path would hold this process's GIL and stall every other hook's
    bookkeeping: check-yaml on much YAML runs as the real hook's processes instead, on
    every job slot when it leads the run, else on one; the verdict is the same.
    ``batches`` 0: in-process."""
    # two hooks in a depends_on chain: a longer remaining path than check-yaml's
    chain = (
        "- repo: local\n  hooks:\n"
        "  - id: no-tabs\n    name: no-tabs\n    entry: '\\t'\n"
        "    language: pygrep\n    files: \\.txt$\n"
        "  - id: no-crlf\n    name: no-crlf\n    entry: '\\r'\n"
        "    language: pygrep\n    files: \\.txt$\n    depends_on: [no-tabs]\n"
    )
    repo.write(
        ".pre-commit-config.yaml",
        f"repos:\n- repo: {hooks_repo}\n  rev: v6.0.0\n  hooks:\n  - id: check-yaml\n"
        + (chain if ahead else ""),
    )
    repo.write("notes.txt", "no tab here\n")
    body = "".join(f"key{i}: [1, 2, {{a: b}}]\n" for i in range(size // 24))
    for i in range(40):
        repo.write(f"data/f{i:02d}.yaml", body)
    repo.write("data/zz-bad.yaml", "a: [1, 2\n")
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "-p", "no:cacheprovider", "--hooks-jobs", jobs)
    others = {"no-tabs": "PASSED", "no-crlf": "PASSED"} if ahead else {}
    assert outcomes(result) == {"check-yaml": "FAILED", **others}
    out = result.stdout.str()
    assert "zz-bad.yaml" in out
    assert ("command: 'check-yaml (in-process)'" in out) == (batches == 0), out
    commands = [line for line in result.outlines if line.startswith("command:")]
    assert len(commands) == max(batches, 1), commands


def test_a_fast_path_that_declines_after_writing_leaves_the_real_hook_watched(
    repo: Repo, pytester: pytest.Pytester, hooks_repo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """trailing-whitespace fixes a file, then cannot print its non-ASCII name to a
    latin-1 stdout the way the real hook would: its write is undone and the real hook
    runs, watched as any process is (its change and diff reported)."""
    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")
    repo.write(
        ".pre-commit-config.yaml",
        f"repos:\n- repo: {hooks_repo}\n  rev: v6.0.0\n  hooks:\n  - id: trailing-whitespace\n",
    )
    repo.write("\u00fcn\u00ef.txt", "trailing   \nfine\n")
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "-p", "no:cacheprovider")
    assert outcomes(result) == {"trailing-whitespace": "MODIFIED"}
    out = result.stdout.str()
    assert "(in-process)" not in out  # the real hook's process ran the batch
    assert (repo.path / "\u00fcn\u00ef.txt").read_bytes() == b"trailing\nfine\n"
    changes = _changes(out, "trailing-whitespace")
    assert changes[:2] == ["files were modified by this hook (1):", "  \u00fcn\u00ef.txt"], out
    assert "-trailing   " in changes and "+trailing" in changes, out


def test_one_batch_declined_and_one_in_process_both_report_their_changes(
    repo: Repo, pytester: pytest.Pytester, hooks_repo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names too long for one command line make two batches of trailing-whitespace; one
    runs in-process, the other (with a non-ASCII name for a latin-1 stdout) declines and
    runs as the real hook: the changes of both are reported, with their diffs."""
    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")
    repo.write(
        ".pre-commit-config.yaml",
        f"repos:\n- repo: {hooks_repo}\n  rev: v6.0.0\n  hooks:\n  - id: trailing-whitespace\n",
    )
    deep = "/".join(["d" * 200] * 15)  # 3,000 characters: 44 names pass 128 kB
    names = [f"{deep}/f{i:02d}.txt" for i in range(44)]
    for name in names:
        repo.write(name, "fine   \n")  # every file changes: each batch has changes
    repo.write("\u00fcn\u00ef.txt", "last   \n")
    repo.commit()
    result = pytester.runpytest("--hooks", "-v", "-p", "no:cacheprovider", "--hooks-jobs", "1")
    assert outcomes(result) == {"trailing-whitespace": "MODIFIED"}
    out = result.stdout.str()
    commands = [line for line in result.outlines if line.startswith("command:")]
    # (the files come in pre-commit's shuffled order: either batch may be the one)
    assert len(commands) == 2, commands
    assert sum("(in-process)" in command for command in commands) == 1, commands
    changes = _changes(out, "trailing-whitespace")
    assert changes[0] == "files were modified by this hook (45):", out
    assert {line.strip() for line in changes[1:46]} == {*names, "\u00fcn\u00ef.txt"}, out
    # the diff follows (its long names fill the 4,000 characters it is cut at)
    assert any(line.startswith("--- a/d") for line in changes), out
    assert all((repo.path / name).read_text() == "fine\n" for name in names)
    assert (repo.path / "\u00fcn\u00ef.txt").read_text() == "last\n"


def _debug_statements_only(repo: Repo, url: str) -> None:
    """A config of the mirror's debug-statements alone."""
    repo.write(
        ".pre-commit-config.yaml",
        f"repos:\n- repo: {url}\n  rev: v6.0.0\n  hooks:\n  - id: debug-statements\n",
    )


def _modules(repo: Repo, count: int, *, bad: int = 0) -> None:
    """``count`` modules of about 5 kB, some importing a debugger or calling
    ``breakpoint()``, and ``bad`` that do not parse."""
    body = "".join(f"def f{i}(x):\n    return x * {i}  # {'.' * 40}\n\n" for i in range(80))
    for i in range(count):
        extra = "import pdb\n" if i % 8 == 0 else ""
        extra += "def g():\n    breakpoint()\n" if i % 10 == 3 else ""
        repo.write(f"pkg/m{i:02d}.py", f'"""Module {i}."""\n{extra}{body}')
    for i in range(bad):
        repo.write(f"pkg/bad{i}.py", "def broken(:\n")


def _failed_alone(result: pytest.RunResult) -> bool:
    """The one hook failed (under xdist too, where the verbose lines differ)."""
    counts = result.parseoutcomes()
    return (
        counts.get("failed") == 1 and not counts.get("passed") and "FAILED" in result.stdout.str()
    )


def _reported(out: str) -> set[str]:
    """What debug-statements says of the files (the order of its batches aside)."""
    return {line.strip() for line in out.splitlines() if line.strip().startswith("pkg/")}


@pytest.mark.parametrize(
    "jobs,count,bad,more,helper",
    [
        # 600 kB: about 135 ms of parsing, half of it in the helper; worth sharing even
        # when the helper has only just started (less work is shared only with a helper
        # that had time to start, which a quick start-up may not give it)
        ("2", 120, 0, (), True),
        ("2", 120, 20, (), True),  # files that do not parse: the real hook, on both sides
        ("1", 40, 0, (), False),  # one slot: nothing runs beside this process
        ("2", 4, 0, (), False),  # a few files: not worth a process (one started is ended)
        # chosen files: the hook starts the helper, when its files are worth the wait
        ("2", 120, 0, ("--hooks-files", "FILES", "x.txt"), True),
        ("2", 40, 0, ("--hooks-files", "FILES", "x.txt"), False),
        ("2", 120, 0, ("-n", "2"), True),  # in the xdist worker that runs the hooks
    ],
    ids=["shared", "fallbacks", "one-slot", "few-files", "chosen", "chosen-few", "xdist"],
)
def test_a_long_fast_path_shares_its_files_with_a_helper_process(
    repo: Repo,
    pytester: pytest.Pytester,
    hooks_repo: str,
    jobs: str,
    count: int,
    bad: int,
    more: tuple[str, ...],
    helper: bool,
) -> None:
    """debug-statements parses every module in this process, on one core; with a core
    to spare, it hands part of its files to the helper process started
    for the run. The verdict and what it reports are the real hook's; no process is
    left behind, the helper's started for nothing included."""
    _debug_statements_only(repo, hooks_repo)
    _modules(repo, count, bad=bad)
    repo.write("x.txt", "not python\n")
    repo.commit()
    files = [f"pkg/m{i:02d}.py" for i in range(count)]
    more = tuple(a for arg in more for a in (files if arg == "FILES" else [arg]))
    args = ("--hooks", "-v", "-p", "no:cacheprovider", "--hooks-jobs", jobs, *more)
    fast = pytester.runpytest(*args)
    assert _failed_alone(fast)
    assert live_process_groups() == frozenset()
    fast_out = fast.stdout.str()
    assert ("debug-statement-hook (helper process)" in fast_out) == helper, fast_out
    real = pytester.runpytest(*args, "--hooks-no-fast-path")
    assert _failed_alone(real)
    expected = _reported(real.stdout.str())
    assert "pkg/m00.py:2:0: pdb imported" in expected
    assert "pkg/m03.py:3:4: breakpoint called" in expected
    assert ("pkg/bad0.py - Could not parse ast" in expected) == bool(bad)
    assert _reported(fast_out) == expected


@pytest.mark.parametrize(
    "other,helper",
    [
        # the other hook's slot frees while this process parses its part: the helper
        # takes its part then
        ("true", True),
        # it does not free before this process is done with its part: the helper's part
        # runs here, at once, and the helper is never handed anything
        ("sleep 2", False),
    ],
    ids=["slot-frees", "slot-stays-busy"],
)
def test_a_fast_path_behind_another_hook_shares_its_files_when_a_slot_frees(
    repo: Repo, pytester: pytest.Pytester, hooks_repo: str, other: str, helper: bool
) -> None:
    """debug-statements does not lead the run (a hook on other files is ahead of it in
    the config, with the other job slot): its files are split all the same, and the
    helper's part waits for a free slot, but never longer than this process takes for
    its own part. Either way the report is the real hook's and no process is left."""
    repo.write(
        ".pre-commit-config.yaml",
        "repos:\n"
        "- repo: local\n  hooks:\n"
        f"  - {{id: other, name: other, entry: '{other}', language: system, files: ^x\\.txt$,"
        " pass_filenames: false, read_only: true}\n"
        f"- repo: {hooks_repo}\n  rev: v6.0.0\n  hooks:\n  - id: debug-statements\n",
    )
    _modules(repo, 120)  # enough to share with a helper only just started
    repo.write("x.txt", "not python\n")
    repo.commit()
    args = ("--hooks", "-v", "-p", "no:cacheprovider", "--hooks-jobs", "2")
    fast = pytester.runpytest(*args)
    fast_out = fast.stdout.str()
    assert outcomes(fast) == {"other": "PASSED", "debug-statements": "FAILED"}, fast_out
    assert live_process_groups() == frozenset()
    assert ("debug-statement-hook (helper process)" in fast_out) == helper, fast_out
    # two parts either way: this process's and the helper's, in the helper or here
    in_process = "command: 'debug-statement-hook (in-process)'"
    assert fast_out.count(in_process) == (1 if helper else 2), fast_out
    real = pytester.runpytest(*args, "--hooks-no-fast-path")
    expected = _reported(real.stdout.str())
    assert "pkg/m00.py:2:0: pdb imported" in expected
    assert _reported(fast_out) == expected


def test_a_rerun_starts_no_helper_before_it_knows_what_runs(
    repo: Repo, pytester: pytest.Pytester, hooks_repo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper is started while pytest starts up only when no earlier run's passes
    may spare the work: a rerun (results in pytest's cache) leaves it to the hook."""
    # the module the runs will import: pytester forgets the modules an earlier in-process
    # run imported, and the package's attribute may still name the one it forgot
    helper = importlib.import_module("pytest_hookrun.helper")

    started: list[Path] = []
    real_start = helper.start

    def start(cwd: Path, env: dict[str, str]) -> object:
        started.append(cwd)
        return real_start(cwd, env)

    monkeypatch.setattr(helper, "start", start)
    _debug_statements_only(repo, hooks_repo)
    for i in range(4):
        repo.write(f"pkg/m{i}.py", f"x = {i}\n")
    repo.commit()
    for args, count in (((), 1), ((), 0), (("--hooks-no-cache",), 1), (("--cache-clear",), 1)):
        started.clear()
        result = pytester.runpytest("--hooks", "--hooks-jobs", "2", *args)
        assert result.ret == 0, result.stdout.str()
        assert len(started) == count, args
        assert live_process_groups() == frozenset()  # (a few files: it was ended)


@pytest.mark.parametrize(
    "more",
    [
        (),
        ("-W", "always::DeprecationWarning"),  # pytest's -W, in front of the ini's
        ("-o", "filterwarnings=error::DeprecationWarning"),
        ("-n", "2"),
    ],
    ids=["default", "W-always", "ini-error", "xdist"],
)
def test_a_module_the_parser_warns_of_goes_to_the_real_hook(
    repo: Repo, pytester: pytest.Pytester, hooks_repo: str, more: tuple[str, ...]
) -> None:
    """Python's parser warns of an invalid escape sequence through the process-wide
    warnings filters. Parsed in pytest's process, that warning must not land in the
    session's warnings summary (charged to a hook item, naming a file pytest never
    ran): the file goes to the real hook, whose own interpreter shows or hides it."""
    _debug_statements_only(repo, hooks_repo)
    repo.write("pkg/esc.py", "import re\nimport pdb\nDIGITS = re.compile('\\d+')\n")
    repo.write("pkg/clean.py", "def f():\n    breakpoint()\n")
    repo.commit()
    args = ("--hooks", "-v", "-p", "no:cacheprovider", "--hooks-jobs", "1", *more)
    fast = pytester.runpytest(*args)
    fast_out = fast.stdout.str()
    assert _failed_alone(fast), fast_out
    assert "warnings summary" not in fast_out
    assert "escape sequence" not in fast_out
    real = pytester.runpytest(*args, "--hooks-no-fast-path")
    assert _failed_alone(real)
    expected = _reported(real.stdout.str())
    assert expected == {"pkg/esc.py:2:0: pdb imported", "pkg/clean.py:2:4: breakpoint called"}
    assert _reported(fast_out) == expected
