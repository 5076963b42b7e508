"""The result cache's basics on real runs: reuse, per-file reruns, failures never cached."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from . import hookrepos
from .conftest import Repo, git
from .test_cache import words
from .test_fastpath_run import hooks_repo  # noqa: F401 (a fixture)
from .test_plugin import LOCAL, hook, outcomes


def _words(result: pytest.RunResult) -> dict[str, str]:
    """Hook name -> what pytest printed for it under -v, "PASSED (cached)" included."""
    found = {}
    for line in result.outlines:
        if line.startswith(".pre-commit-config.yaml::") and " " in line:
            node, rest = line.split(" ", 1)
            found[node.split("::", 1)[1]] = rest.split("  ")[0].strip()
    return found


def _recording_script(repo: Repo) -> Path:
    """``rec.py``: logs the files it was given, one line per process; a file holding BAD
    fails it. Returns the log's path (outside the repository)."""
    log = repo.outside("ran.log")
    repo.script(
        "rec.py",
        f"""
        import sys
        with open({str(log)!r}, "a") as f:
            f.write(" ".join(sys.argv[1:]) + "\\n")
        sys.exit(1 if any("BAD" in open(n).read() for n in sys.argv[1:]) else 0)
        """,
    )
    return log


def _as_tool(repo: Repo, id: str) -> str:
    """rec.py under the name of the tool ``id`` names (a link): a local hook is cached per
    file only when its entry runs that tool."""
    os.symlink("rec.py", repo.path / f"{id}.py")
    return f"./{id}.py"


def test_passes_are_reused_per_file_and_failures_never(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    log = _recording_script(repo)
    repo.write("a.txt", "a\n")
    repo.write("b.txt", "b\n")
    repo.config(
        LOCAL
        # a known per-file id, and an unknown one (cached whole)
        + hook(
            "trailing-whitespace",
            _as_tool(repo, "trailing-whitespace"),
            language="script",
            files=r"\.txt$",
        )
        + hook("whole", "./rec.py", language="script", files=r"\.txt$", require_serial=True)
    )
    repo.commit()

    def run() -> dict[str, str]:
        log.write_text("")
        result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "1")
        words = {}
        for line in result.outlines:
            for name in ("trailing-whitespace", "whole"):
                if line.startswith(f".pre-commit-config.yaml::{name} "):
                    words[name] = line.split(" ", 1)[1].split("  ")[0].strip()
        return words

    assert run() == {"trailing-whitespace": "PASSED", "whole": "PASSED"}
    assert run() == {"trailing-whitespace": "PASSED (cached)", "whole": "PASSED (cached)"}
    assert log.read_text() == ""
    repo.write("b.txt", "b2\n")
    assert run() == {"trailing-whitespace": "PASSED (1 files cached)", "whole": "PASSED"}
    assert sorted(log.read_text().split("\n")) == ["", "a.txt b.txt", "b.txt"]
    repo.write("b.txt", "BAD\n")
    for _ in range(2):  # a failure runs again every time
        assert run() == {"trailing-whitespace": "FAILED", "whole": "FAILED"}
    result = pytester.runpytest("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(result) == {"trailing-whitespace": "FAILED", "whole": "FAILED"}


# --------------------------------------------------------------------------- kept digests
# A file's content digest is kept across runs by its lstat (size, mtime, ctime, inode,
# mode), as identify's tags are; files changed within 2 s of a run are not kept (racily
# clean), which these tests turn off so they need not wait.


@pytest.fixture
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    # the module the in-process run will import (pytester drops the modules an earlier
    # run imported, while the package may still hold a stale attribute for them)
    monkeypatch.setattr(importlib.import_module("pytest_hookrun.tagcache"), "RACY_NS", 0)


def _kept_digests(pytester: pytest.Pytester) -> dict[str, str]:
    import marshal

    path = pytester.path / ".pytest_cache" / "d" / "hookrun" / "tags"
    return dict(marshal.loads(path.read_bytes())["digests"])


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    repo: Repo, pytester: pytest.Pytester, no_racy_window: None
) -> None:
    """A same-size edit with the mtime put back (as some tools do) moves the ctime: the
    kept digest is not used, the file is read, and the hook runs on it again."""
    import os

    repo.write("a.txt", "fine\n")
    repo.write("b.txt", "fine\n")
    repo.config(LOCAL + hook("no-bad", "BAD", language="pygrep", files=r"\.txt$"))
    repo.commit()
    assert outcomes(pytester.runpytest("--hooks", "-v")) == {"no-bad": "PASSED"}
    assert {"a.txt", "b.txt"} <= _kept_digests(pytester).keys()
    path = repo.path / "b.txt"
    before = path.stat()
    path.write_text("BAD!\n")  # 5 bytes, as before
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert outcomes(pytester.runpytest("--hooks", "-v")) == {"no-bad": "FAILED"}


def test_a_fixer_after_kept_digests_still_shows_its_diff(
    repo: Repo, pytester: pytest.Pytester, no_racy_window: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digests of a rerun come from the kept ones, without the bytes, and a hook
    about to run does not read its files either: when it changes one, the earlier bytes
    come from git (which has exactly them), so the report is still a real diff."""
    repo.script(
        "fix.py",
        """
        import os, sys
        if os.environ.get("FIX_NOW"):
            for name in sys.argv[1:]:
                with open(name) as f:
                    text = f.read()
                with open(name, "w") as f:
                    f.write(text.replace("old", "new"))
        """,
    )
    repo.write("a.txt", "line one\nold text\n")
    repo.config(LOCAL + hook("fixer", "./fix.py", language="script", files=r"\.txt$"))
    repo.commit()
    assert outcomes(pytester.runpytest("--hooks", "-v")) == {"fixer": "PASSED"}
    assert "a.txt" in _kept_digests(pytester)
    monkeypatch.setenv("FIX_NOW", "1")  # not in the key: run it anyway
    result = pytester.runpytest("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(result) == {"fixer": "MODIFIED"}
    out = result.stdout.str()
    assert "-old text" in out and "+new text" in out, out


def test_digests_are_kept_only_for_runs_that_list_every_file(
    repo: Repo, pytester: pytest.Pytester, no_racy_window: None
) -> None:
    repo.write("a.txt", "fine\n")
    repo.config(LOCAL + hook("no-bad", "BAD", language="pygrep", files=r"\.txt$"))
    repo.commit()
    assert outcomes(pytester.runpytest("--hooks", "-v", "--hooks-files", "a.txt")) == {
        "no-bad": "PASSED"
    }
    path = pytester.path / ".pytest_cache" / "d" / "hookrun" / "tags"
    assert not path.exists() or "a.txt" not in _kept_digests(pytester)


def test_a_staged_run_with_a_hook_cached_whole_reads_only_the_changed_files(
    repo: Repo, pytester: pytest.Pytester, no_racy_window: None
) -> None:
    """A hook cached whole is keyed on every tracked file. A commit's run (--hooks-staged)
    lists only the staged files, but for such a hook it lists them all after all, and
    then takes the digests earlier runs kept for unchanged files, as a full run does,
    instead of reading the whole tree (what a commit in a large repository paid)."""
    import sys

    repo.write("a.txt", "a\n")
    repo.write("b.txt", "b\n")
    repo.script("ok.py", "import sys\n")
    repo.config(LOCAL + hook("whole", "./ok.py", language="script", files=r"\.txt$"))
    repo.commit()
    assert outcomes(pytester.runpytest("--hooks", "-v")) == {"whole": "PASSED"}
    assert {"a.txt", "b.txt"} <= _kept_digests(pytester).keys()

    repo.write("a.txt", "a2\n")
    repo.add("a.txt")
    opened: list[str] = []
    watched = (str(repo.path / "a.txt"), str(repo.path / "b.txt"))
    active = [True]

    def audit(event: str, args: tuple[object, ...]) -> None:
        if active[0] and event == "open" and str(args[0]) in watched:
            opened.append(Path(str(args[0])).name)

    sys.addaudithook(audit)  # cannot be removed: switched off below
    try:
        result = pytester.runpytest("--hooks", "-v", "--hooks-staged")
    finally:
        active[0] = False
    assert outcomes(result) == {"whole": "PASSED"}
    assert "b.txt" not in opened, opened  # its kept digest stood for it
    assert "a.txt" in opened  # changed: read


def _fix_script(repo: Repo) -> None:
    """``fix.py``: replaces "fix me" by "fixed" in the files it is given."""
    repo.script(
        "fix.py",
        """
        import sys
        for name in sys.argv[1:]:
            text = open(name).read()
            if "fix me" in text:
                open(name, "w").write(text.replace("fix me", "fixed"))
        """,
    )


def _count_lstats(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """File name -> how often the run's content cache lstat'ed it, from now on."""
    import importlib

    # the module the in-process run uses (see no_racy_window)
    changes = importlib.import_module("pytest_hookrun.changes")
    real_lstat = changes._lstat
    counts: dict[str, int] = {}

    def counting(path: str) -> object:
        name = os.path.basename(path)
        counts[name] = counts.get(name, 0) + 1
        return real_lstat(path)

    monkeypatch.setattr(changes, "_lstat", counting)
    return counts


def test_hooks_cached_whole_stat_the_tree_once_a_run(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each hook cached whole is keyed on every tracked file before it runs and checked
    again after (a pass is kept only if nothing changed meanwhile). The tree is stat'ed
    once a run and then follows what hooks modified, not again before each such hook,
    nor after one that no writer ran beside (--hooks-jobs 1 here)."""
    for n in range(20):
        repo.write(f"f{n}.txt", f"{n}\n")
        repo.write(f"other{n}.dat", f"{n}\n")  # given to no hook: only the tree has them
    repo.script("ok.py", "import sys\n")
    _fix_script(repo)
    config = LOCAL + hook("fixer", "./fix.py", language="script", files=r"\.txt$")
    for name in ("w1", "w2", "w3", "w4"):
        config += hook(name, "./ok.py", language="script", files=r"\.txt$")
    repo.config(config)
    repo.commit()
    assert pytester.runpytest("--hooks").ret == 0
    repo.write("f0.txt", "fix me\n")  # every key changes; the fixer changes it again

    counts = _count_lstats(monkeypatch)
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "1")
    assert outcomes(result) == {
        "fixer": "MODIFIED",
        **{name: "PASSED" for name in ("w1", "w2", "w3", "w4")},
    }
    # once for the tree; the old code stat'ed it before and after each hook (6 times)
    assert counts.get("other5.dat", 0) <= 1, counts
    result = pytester.runpytest("--hooks", "-v")  # their passes on the fixed tree were kept
    assert _words(result) == {
        "fixer": "PASSED",  # it modified last time: it runs again
        **{name: "PASSED (cached)" for name in ("w1", "w2", "w3", "w4")},
    }
    assert repo.read("f0.txt") == "fixed\n"


def test_per_file_keys_take_the_state_the_run_has_and_what_hooks_fixed(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hook cached per file keys on its files' digests as they are when it starts: a
    file an earlier hook of the run modified is looked at again, the others keep the
    state the run took of them (not another lstat for each hook and file)."""
    _fix_script(repo)
    for n in range(10):
        repo.write(f"f{n}.txt", f"{n}\n")
    repo.config(
        LOCAL
        + hook("fixer", "./fix.py", language="script", files=r"\.txt$", priority=0)
        + "".join(  # one after the other (priorities are barriers): each starts anew
            hook(f"grep{n}", "fix me", language="pygrep", files=r"\.txt$", priority=n + 1)
            for n in range(4)
        )
    )
    repo.commit()
    assert pytester.runpytest("--hooks").ret == 0
    repo.write("f0.txt", "fix me\n")

    counts = _count_lstats(monkeypatch)
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "1")
    greps = {f"grep{n}": "PASSED (9 files cached)" for n in range(4)}
    assert _words(result) == {"fixer": "MODIFIED", **greps}  # they saw f0 fixed
    assert counts.get("f5.txt", 0) <= 3, counts  # the fixer's before and after, once more
    counts.clear()  # (monkeypatch.undo() would also undo pytester's cwd)
    # the greps' passes were kept on the fixed f0.txt: nothing of theirs runs again
    greps = {f"grep{n}": "PASSED (cached)" for n in range(4)}
    assert _words(pytester.runpytest("--hooks", "-v")) == {"fixer": "PASSED", **greps}


def test_a_hook_starts_from_the_state_the_hook_before_it_left(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, no_racy_window: None
) -> None:
    """Hooks that may write look at their files when they end, to see what they changed.
    The next hook on those files starts from that look (nothing else may write them in
    between), even when hooks on other files ran meanwhile: one lstat per hook and file,
    not one before and one after; a fix made by an earlier hook is still its own."""
    repo.script("ok.py", "import sys\n")
    _fix_script(repo)
    for n in range(10):
        repo.write(f"f{n}.txt", f"{n}\n")
        repo.write(f"d{n}.dat", f"{n}\n")
    config = LOCAL + hook("fixer", "./fix.py", language="script", files=r"\.txt$")
    for n in range(4):  # two chains of writers, one on each kind of file, side by side
        config += hook(f"w{n}", "./ok.py", language="script", files=r"\.txt$")
        config += hook(f"beside{n}", "./ok.py", language="script", files=r"\.dat$")
    repo.config(config)
    repo.commit()
    assert pytester.runpytest("--hooks").ret == 0  # the digests of every file are kept
    repo.write("f0.txt", "fix me\n")

    counts = _count_lstats(monkeypatch)
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "2", "--hooks-no-cache")
    assert outcomes(result) == {
        "fixer": "MODIFIED",
        **{f"w{n}": "PASSED" for n in range(4)},
        **{f"beside{n}": "PASSED" for n in range(4)},
    }
    assert "-fix me" in result.stdout.str()  # f0.txt was read before the fixer ran
    # after each hook on it; before each as well while hooks beside moved the generation
    assert counts.get("f5.txt", 0) == 5, counts
    assert counts.get("d5.dat", 0) == 4, counts
    counts.clear()  # (monkeypatch.undo() would also undo pytester's cwd)


def test_a_whole_cached_pass_is_not_kept_when_a_hook_beside_it_changed_the_tree(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hook cached whole keys on the whole tree as it started; a fixer that ran beside
    it (other files) and changed one makes that pass unsure: it is not kept. Only the
    files of the hooks that may write beside it are looked at again for that, not the
    whole tree."""
    marker = repo.outside("whole-ran")
    # two named pipes outside the repository: each open waits for the other side
    started, fixed = repo.outside("started"), repo.outside("fixed")
    os.mkfifo(started)
    os.mkfifo(fixed)
    repo.script(
        "slow_ok.py",
        f"""
        open({str(marker)!r}, "a").write("ran\\n")
        open({str(started)!r}, "w").write("go")  # the fixer may fix now
        open({str(fixed)!r}).read()  # ends once the fixer beside it has rewritten b.txt
        """,
    )
    repo.script(
        "fix_after.py",
        f"""
        import sys
        open({str(started)!r}).read()  # fixes once the whole hook runs (its key taken)
        for name in sys.argv[1:]:
            text = open(name).read()
            if "fix me" in text:
                open(name, "w").write(text.replace("fix me", "fixed"))
        open({str(fixed)!r}, "w").write("done")
        """,
    )
    repo.write("a.py", "x = 1\n")
    repo.write("b.txt", "fix me\n")
    repo.write("other.dat", "given to no hook\n")
    repo.config(
        LOCAL
        # a timeout, should one of them wait for a side that never comes
        + hook("whole", "./slow_ok.py", language="script", files=r"\.py$", timeout=60)
        + hook("fixer", "./fix_after.py", language="script", files=r"\.txt$", timeout=60)
    )
    repo.commit()
    counts = _count_lstats(monkeypatch)
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "2")
    assert outcomes(result) == {"whole": "PASSED", "fixer": "MODIFIED"}
    assert marker.read_text() == "ran\n"
    assert counts.get("other.dat", 0) <= 1, counts  # the tree's look; none after "whole"
    counts.clear()
    # back to the tree whole started on: its pass there was never sure, so it runs again
    subprocess.run(["git", "checkout", "-q", "--", "b.txt"], cwd=repo.path, check=True)
    marker.unlink()
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "2")
    assert outcomes(result) == {"whole": "PASSED", "fixer": "MODIFIED"}
    assert marker.read_text() == "ran\n"  # it ran (a kept pass would have left no line)


def test_a_whole_cached_pass_waits_for_the_writer_beside_it_and_is_kept(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, no_racy_window: None
) -> None:
    """A hook cached whole that passes while a hook that may write still runs beside it
    keeps its pass once that writer has ended and reported it changed nothing, without
    the writer's files being stat'ed again for it."""
    release = repo.outside("release")
    os.mkfifo(release)
    # the writer ends only once "after" ran, and "after" starts only after "whole" ended
    repo.script("wait.py", f"open({str(release)!r}).read()\n")
    repo.script("release.py", f"open({str(release)!r}, 'w').write('go')\n")
    repo.script("ok.py", "import sys\n")
    repo.write("a.py", "x = 1\n")
    repo.write("w.txt", "the writer's\n")
    repo.write("c.dat", "the releaser's\n")
    repo.config(
        LOCAL
        + hook("whole", "./ok.py", language="script", files=r"\.py$")
        + hook("writer", "./wait.py", language="script", files=r"\.txt$", timeout=60)
        + hook(
            "after",
            "./release.py",
            language="script",
            files=r"\.dat$",
            depends_on=["whole"],
            timeout=60,
        )
    )
    repo.commit()
    assert pytester.runpytest("--hooks", "--hooks-jobs", "2").ret == 0  # digests kept
    repo.write("a.py", "x = 2\n")  # every hook runs again (each is cached whole)
    counts = _count_lstats(monkeypatch)
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "2")
    assert outcomes(result) == {"whole": "PASSED", "writer": "PASSED", "after": "PASSED"}
    assert counts.get("w.txt", 0) == 1, counts  # after the writer; not again for "whole"
    counts.clear()  # (monkeypatch.undo() would also undo pytester's cwd)
    # the fifo is opened by both sides again, whether the writer runs again or not
    result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "2", "-k", "whole")
    assert _words(result) == {"whole": "PASSED (cached)"}


def test_isort_reruns_on_the_edited_file_and_on_all_after_a_new_file(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    """isort (and ruff) are kept per file while the tree's names and settings files stay
    the same: which modules exist decides what is first-party."""
    log = _recording_script(repo)
    for name in ("a.py", "b.py", "c.py"):
        repo.write(f"pkg/{name}", "import os\n")
    repo.config(LOCAL + hook("isort", _as_tool(repo, "isort"), language="script", files=r"^pkg/"))
    repo.commit()

    def ran() -> str:
        log.write_text("")
        result = pytester.runpytest("--hooks", "-v", "--hooks-jobs", "1")
        assert outcomes(result) == {"isort": "PASSED"}
        return " ".join(sorted(log.read_text().split()))  # pre-commit shuffles them

    assert ran() == "pkg/a.py pkg/b.py pkg/c.py"
    assert ran() == ""  # cached
    repo.write("pkg/b.py", "import sys\n")
    assert ran() == "pkg/b.py"  # an edit: that file only
    repo.write("pkg/settings.toml", "[x]\n")  # a new file: every module may be first-party
    repo.add("pkg/settings.toml")
    assert ran() == "pkg/a.py pkg/b.py pkg/c.py pkg/settings.toml"
    repo.write("other.cfg", "[isort]\nprofile = black\n")  # a settings file by any name
    repo.add("other.cfg")
    assert ran() == "pkg/a.py pkg/b.py pkg/c.py pkg/settings.toml"
    repo.write("other.cfg", "[isort]\nprofile = google\n")  # its content, not only its name
    assert ran() == "pkg/a.py pkg/b.py pkg/c.py pkg/settings.toml"


# ------------------------------------------- hooks that ask git which files it is adding


def _pre_commit_hook(
    repo: Repo, pytester: pytest.Pytester, url: str, id: str
) -> Callable[..., str]:
    """A config of one hook of the pre-commit-hooks mirror at ``url``; returns a function
    that runs it (with these extra arguments) and gives its word under -v."""
    repo.write(
        ".pre-commit-config.yaml", f"repos:\n- repo: {url}\n  rev: v6.0.0\n  hooks:\n  - id: {id}\n"
    )

    def run(*args: str) -> str:
        return words(pytester.runpytest("--hooks", "-v", *args))[id]

    return run


def test_check_added_large_files_is_kept_per_file_while_git_adds_the_same_files(
    repo: Repo,
    pytester: pytest.Pytester,
    hooks_repo: str,  # noqa: F811
) -> None:
    """Its verdict on a file turns on whether git is adding it: a large file that passed
    while committed fails once it is added again, with the same content and the same tree
    (a key on the tree alone hid that)."""
    run = _pre_commit_hook(repo, pytester, hooks_repo, "check-added-large-files")
    repo.write("big.bin", b"x" * 600 * 1024)
    repo.write("a.txt", "a\n")
    repo.write("b.txt", "b\n")
    repo.commit()

    assert run() == "PASSED"  # committed: not being added
    assert run() == "PASSED (cached)"
    repo.write("b.txt", "b, edited\n")
    assert run() == "PASSED (3 files cached)"  # the edited file only
    # git adds big.bin again: same content, same tracked files, same branch
    git(repo.path, "rm", "-q", "--cached", "big.bin")
    git(repo.path, "commit", "-qm", "drop big.bin")
    git(repo.path, "add", "big.bin")
    assert run("--hooks-no-cache") == "FAILED"
    assert run() == "FAILED"
    git(repo.path, "commit", "-qm", "big.bin back")
    # added no longer: the inputs it passed on before
    assert run() == "PASSED (cached)"
    repo.write("new.bin", b"y" * 600 * 1024)  # a new large file, added
    repo.add("new.bin")
    assert run() == "FAILED"


def test_check_case_conflict_is_kept_per_file_while_the_names_stay_the_same(
    repo: Repo,
    pytester: pytest.Pytester,
    hooks_repo: str,  # noqa: F811
) -> None:
    run = _pre_commit_hook(repo, pytester, hooks_repo, "check-case-conflict")
    repo.write("docs/a.txt", "a\n")
    repo.write("b.txt", "b\n")
    repo.commit()

    assert run() == "PASSED"
    assert run() == "PASSED (cached)"
    repo.write("b.txt", "b, edited\n")
    assert run() == "PASSED (2 files cached)"  # the edited file only
    repo.write("DOCS/c.txt", "c\n")  # a directory that differs from docs/ in case only
    repo.add("DOCS/c.txt")
    assert run("--hooks-no-cache") == "FAILED"
    assert run() == "FAILED"
    git(repo.path, "rm", "-q", "--cached", "DOCS/c.txt")
    assert run() == "PASSED (cached)"  # the names it passed on, again


# --------------------------------------------------------------------------- flake8


@pytest.fixture(scope="module")
def flake8_repo(tmp_path_factory: pytest.TempPathFactory) -> str:
    return hookrepos.flake8_repo(tmp_path_factory.mktemp("repos")).url


# a local plugin (`[flake8:local-plugins]`): code of the tree that flake8 imports, which
# reports X100 on every module once it holds STRICT = True
PLUGIN = """
STRICT = False


class Plugin:
    name = "strict"
    version = "1"

    def __init__(self, tree):
        self.tree = tree

    def run(self):
        if STRICT:
            yield 1, 0, "X100 strict", type(self)
"""


def test_flake8_is_kept_per_file_without_plugins_and_whole_with_local_ones(
    repo: Repo, pytester: pytest.Pytester, flake8_repo: str
) -> None:
    """flake8 in its own environment judges each module alone (pyflakes, pycodestyle,
    mccabe); a local plugin is code of the tree it runs on every module, which no module
    it is given shows: with one, flake8 is cached whole."""
    repo.write(
        ".pre-commit-config.yaml",
        f"exclude: ^plugins/\nrepos:\n- repo: {flake8_repo}\n  rev: 7.3.0\n"
        "  hooks:\n  - id: flake8\n",
    )
    repo.write("a.py", "A = 1\n")
    repo.write("b.py", "B = 2\n")
    repo.write("setup.cfg", "[flake8]\nmax-line-length = 100\n")
    repo.commit()

    def run() -> str:
        return words(pytester.runpytest("--hooks", "-v"))["flake8"]

    assert run() == "PASSED"
    repo.write("a.py", "A = 3\n")
    assert run() == "PASSED (1 files cached)"
    repo.write("plugins/strict.py", PLUGIN)
    repo.write(
        "setup.cfg",
        "[flake8]\nmax-line-length = 100\n\n[flake8:local-plugins]\n"
        "extension =\n    X1 = strict:Plugin\npaths = ./plugins\n",
    )
    repo.commit()
    assert run() == "PASSED"
    assert run() == "PASSED (cached)"
    repo.write("plugins/strict.py", PLUGIN.replace("STRICT = False", "STRICT = True"))
    assert run() == "FAILED"


# --------------------------------------------------------------------------- task runners
# `pixi run ruff` runs the project's task named ruff when pixi.toml has one, else ruff.

FAKE_PIXI = """
import os, re, subprocess, sys
# pixi run NAME ARGS: the task NAME of pixi.toml's [tasks] if there is one, else the
# program NAME beside this script
name, args = sys.argv[2], sys.argv[3:]
text = open("pixi.toml").read() if os.path.exists("pixi.toml") else ""
task = re.search(r'^' + name + r' = "(.*)"$', text.split("[tasks]", 1)[-1], re.M)
if task and "[tasks]" in text:
    sys.exit(subprocess.call(task.group(1) + " " + " ".join(args), shell=True))
sys.exit(subprocess.call([os.path.join(os.path.dirname(__file__), name), *args]))
"""


@pytest.mark.parametrize("has_task", [False, True])
def test_a_task_runner_running_a_task_of_the_tools_name_is_cached_whole(
    repo: Repo, pytester: pytest.Pytester, has_task: bool
) -> None:
    """`pixi run ruff` is ruff, cached per file, unless pixi.toml has a task named ruff:
    that may read any file (here a data file no Python file shows)."""
    repo.script("bin/pixi", FAKE_PIXI)
    repo.script("bin/ruff", "import sys\nsys.exit(0)\n")
    repo.script("check_data.py", "import sys\nsys.exit('BAD' in open('data.txt').read())\n")
    tasks = '[tasks]\nruff = "python3 check_data.py"\n' if has_task else "[tasks]\n"
    repo.write("pixi.toml", '[dependencies]\nruff = ">=0.4"\n' + tasks)
    repo.write("a.py", "x = 1\n")
    repo.write("data.txt", "good\n")
    repo.config(LOCAL + hook("ruff", "bin/pixi run ruff", language="script", types=["python"]))
    repo.commit()
    assert _words(pytester.runpytest("--hooks", "-v"))["ruff"] == "PASSED"
    repo.write("data.txt", "BAD\n")  # no file of the hook's changed
    rerun = _words(pytester.runpytest("--hooks", "-v"))["ruff"]
    assert rerun == ("FAILED" if has_task else "PASSED (cached)")
