"""The result cache: a hook that passed on the same inputs does not run again.

Every hook here is a small script that appends the files it was given to a log
outside the repository, so each test sees exactly which files each hook really ran on.
The ids choose the cache's granularity: ``trailing-whitespace``, ``check-yaml`` and
``check-executables-have-shebangs`` are in filelocal_hooks.txt (cached per file), pygrep
hooks are per file by their language, any other id is cached on the whole tree. The
script runs as ``tools/ID.py`` (a link to it), since a local hook is cached per file only
when its entry runs the tool its id names.
"""

from __future__ import annotations

import json
import marshal
import os
import random
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import Repo, git
from .test_plugin import LOCAL, hook

# A read-only checker (or, with --fix, an end-of-file fixer). Options:
#   --name=ID     who is logging          --log=PATH   where (one JSON line per process)
#   --word=W      a file containing W fails (default FORBIDDEN)
#   --also=P,Q    check these files too, though not given (a whole hook's hidden inputs)
#   --config      also forbid the words of `forbid-W = "W"` lines in pyproject.toml, sub/setup.cfg
#   --no-exec     an executable file fails (check-executables-have-shebangs)
#   --fix         add a missing final newline instead of checking
#   --added       check only the files git is adding (check-added-large-files)
#   --staged      check what `git diff --cached` prints instead of files (a whole hook)
#   --words-file=P,Q  also forbid the words of these files
#   --spell       also forbid the words of the files codespell's config names as
#                 `dictionary` (.codespellrc, setup.cfg, pyproject.toml)
#   --extends-in=C    also forbid the words of the file config C `extends` (`extend = "F"`)
#   --user-config=P   also forbid the words of P in the user's config directory
#   --up-config=N     also forbid the words of N in the directories above the repository
#   --home-config=P   also forbid the words of P in the home directory
#   --env-word=V      also forbid the word environment variable V holds
#   @P            read more arguments from P, one a line
CHECK = r"""#!/usr/bin/env python3
import configparser, json, os, re, subprocess, sys

def words_of(path):
    if not os.path.isfile(path):
        return []
    with open(path) as f:
        return f.read().split()

args = []
for arg in sys.argv[1:]:
    if arg.startswith("@"):
        with open(arg[1:]) as f:
            args += f.read().splitlines()
    else:
        args.append(arg)
opts, files = {}, []
for arg in args:
    if arg.startswith("--"):
        key, _, value = arg[2:].partition("=")
        opts[key] = value
    else:
        files.append(arg)
with open(opts["log"], "a") as f:
    f.write(json.dumps([opts["name"], files]) + "\n")
words = [opts.get("word") or "FORBIDDEN"]
if "config" in opts:
    for name in ("pyproject.toml", "sub/setup.cfg"):
        if os.path.exists(name):
            with open(name) as f:
                words += re.findall(r'^forbid\S* = "(\w+)"', f.read(), re.M)
for name in opts.get("words-file", "").split(","):
    words += words_of(name)
if os.environ.get(opts.get("env-word", "")):
    words.append(os.environ[opts["env-word"]])
if "spell" in opts:
    named = []
    for name in (".codespellrc", "setup.cfg"):
        ini = configparser.ConfigParser()
        ini.read(name)
        named += ini.get("codespell", "dictionary", fallback="").split(",")
    if os.path.exists("pyproject.toml"):
        import tomllib  # (Python 3.11: only where a test asks)

        with open("pyproject.toml", "rb") as f:
            value = tomllib.load(f).get("tool", {}).get("codespell", {}).get("dictionary", [])
        named += value if isinstance(value, list) else value.split(",")
    for name in named:
        words += words_of(name.strip())
if os.path.exists(opts.get("extends-in", "")):
    with open(opts["extends-in"]) as f:
        for base in re.findall(r'^extends?\s*[:=]\s*"?([^"\s]+)', f.read(), re.M):
            words += words_of(base)
if "user-config" in opts:
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    words += words_of(os.path.join(config_home, opts["user-config"]))
if "home-config" in opts:
    words += words_of(os.path.join(os.path.expanduser("~"), opts["home-config"]))
if "up-config" in opts:
    here = os.getcwd()
    while os.path.dirname(here) != here:
        here = os.path.dirname(here)
        if os.path.isfile(os.path.join(here, opts["up-config"])):
            words += words_of(os.path.join(here, opts["up-config"]))
            break
status = 0
if "added" in opts:
    out = subprocess.run(
        ["git", "diff", "--staged", "--name-only", "--diff-filter=A"],
        capture_output=True, text=True, check=True,
    ).stdout
    files = [name for name in files if name in out.splitlines()]
if "staged" in opts:
    staged = subprocess.run(
        ["git", "diff", "--cached"], capture_output=True, text=True, check=True
    ).stdout
    for word in words:
        if word in staged:
            print(f"staged: contains {word}")
            status = 1
for name in files + [n for n in opts.get("also", "").split(",") if n]:
    if not os.path.exists(name):
        continue
    with open(name, "rb") as f:
        data = f.read()
    if "fix" in opts:
        if data and not data.endswith(b"\n"):
            with open(name, "ab") as f:
                f.write(b"\n")
        continue
    for word in words:
        if word.encode() in data:
            print(f"{name}: contains {word}")
            status = 1
    if "no-exec" in opts and os.stat(name).st_mode & 0o111 and not data.startswith(b"#!"):
        print(f"{name}: executable without a shebang")
        status = 1
sys.exit(status)
"""

# the hooks check the test's data files, not the checker, the config or the tool configs
# (which name the forbidden words)
HEAD = (
    r"exclude: '^(tools/|\.pre-commit-config\.yaml$|pyproject\.toml$|sub/setup\.cfg$)'"
    + "\n"
    + LOCAL
)

_WORD_LINE = re.compile(
    r"^\S*::(?P<id>\S+) (?P<word>PASSED|FAILED|MODIFIED|TIMEOUT|SKIPPED|ERROR)"
    r"(?: \((?P<note>[^)]*)\))?"
)


def words(result: pytest.RunResult) -> dict[str, str]:
    """Hook id -> the whole word printed for it under -v, e.g. 'PASSED (2 files cached)'."""
    found = {}
    for line in result.outlines:
        m = _WORD_LINE.match(line)
        if m and ".yaml::" in line:
            word = m["word"]
            if word == "PASSED" and m["note"]:
                word += f" ({m['note']})"
            found[m["id"]] = word
    return found


def statuses(result: pytest.RunResult) -> dict[str, str]:
    """Hook id -> PASSED/FAILED/... without the cache note."""
    return {k: v.split()[0] for k, v in words(result).items()}


class Log:
    """Which hook ran on which files, read (and emptied) after each run; ``tools`` holds
    the checker."""

    def __init__(self, path: Path, tools: Path) -> None:
        self.path, self.tools = path, tools

    def take(self) -> dict[str, list[str]]:
        """Hook name -> the sorted files it was given since the last take ([] if run without)."""
        ran: dict[str, list[str]] = {}
        if self.path.exists():
            for line in self.path.read_text().splitlines():
                name, files = json.loads(line)
                ran.setdefault(name, []).extend(files)
            self.path.unlink()
        return {name: sorted(files) for name, files in ran.items()}


@pytest.fixture
def log(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Log]:
    for var in ("HOOKRUN_NO_CACHE", "HOOKRUN_ORDER"):
        monkeypatch.delenv(var, raising=False)
    repo.write("tools/check.py", CHECK, mode=0o755)
    yield Log(tmp_path / "ran.jsonl", repo.path / "tools")


def check_hook(
    id: str,
    log: Log,
    *args: str,
    entry: str | None = None,
    language: str = "script",
    **extra: object,
) -> str:
    """A local hook running the checker under this id, by default as ``tools/ID.py`` (a
    link to tools/check.py): a local hook is cached per file only when its entry runs the
    tool its id names."""
    link = log.tools / f"{id}.py"
    if not os.path.lexists(link):
        link.symlink_to("check.py")
    return hook(
        id,
        entry or f"tools/{id}.py",
        language=language,
        args=[f"--name={id}", f"--log={log.path}", *args],
        **extra,
    )


def checker(path: Path, word: str) -> None:
    """The checker as an executable at ``path``, forbidding ``word`` when not told which
    (another version of one tool)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CHECK.replace('or "FORBIDDEN"', f'or "{word}"'))
    path.chmod(0o755)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # (pytest-benchmark only warns that xdist is active when the outer run has -n)
    return pytester.runpytest("--hooks", "-v", "-p", "no:benchmark", *args)


def junit_cached(path: Path) -> dict[str, str]:
    """Hook id -> its JUnit property `cached`."""
    found = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        if "hook_id" in props:  # not an ordinary test
            found[str(props["hook_id"])] = str(props["cached"])
    return found


def py_files(repo: Repo, *names: str) -> None:
    for name in names:
        repo.write(name, f"# {name}\n")


# --------------------------------------------------------------------------- no change


def test_second_run_without_change_runs_nothing(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    py_files(repo, "a.py", "b.py")
    repo.write("c.yaml", "c: 1\n")
    repo.config(
        HEAD
        + check_hook("trailing-whitespace", log)
        + check_hook("project-lint", log)
        + hook("no-forbidden", "FORBIDDEN", language="pygrep")
    )
    repo.commit()
    everything = ["a.py", "b.py", "c.yaml"]
    first = run(pytester, f"--junitxml={pytester.path / 'one.xml'}")
    assert first.ret == 0, first.outlines
    assert words(first) == {
        "trailing-whitespace": "PASSED",
        "project-lint": "PASSED",
        "no-forbidden": "PASSED",
    }
    assert log.take() == {"trailing-whitespace": everything, "project-lint": everything}
    assert "cached (passed before" not in first.stdout.str()
    assert set(junit_cached(pytester.path / "one.xml").values()) == {"no"}

    second = run(pytester, f"--junitxml={pytester.path / 'two.xml'}")
    assert second.ret == 0, second.outlines
    assert words(second) == {
        "trailing-whitespace": "PASSED (cached)",
        "project-lint": "PASSED (cached)",
        "no-forbidden": "PASSED (cached)",
    }
    second.assert_outcomes(passed=3)
    assert log.take() == {}  # nothing ran
    summary = second.stdout.str()
    assert "hooks run: 0 of 3; 3 cached (passed before on the same inputs)" in summary
    assert junit_cached(pytester.path / "two.xml") == {
        "trailing-whitespace": "all",
        "project-lint": "all",
        "no-forbidden": "all",
    }


def test_rewriting_the_same_bytes_keeps_the_cache(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """Content digests, not mtimes: a file rewritten (new mtime) with its old bytes is cached."""
    py_files(repo, "a.py", "b.py")
    repo.config(HEAD + check_hook("trailing-whitespace", log) + check_hook("project-lint", log))
    repo.commit()
    assert run(pytester).ret == 0
    log.take()
    repo.write("a.py", "something else\n")
    repo.write("a.py", "# a.py\n")  # back as it was
    os.utime(repo.path / "b.py", ns=(0, 0))  # and a very different mtime
    result = run(pytester)
    assert words(result) == {
        "trailing-whitespace": "PASSED (cached)",
        "project-lint": "PASSED (cached)",
    }
    assert log.take() == {}


# --------------------------------------------------------------------------- per file


def test_per_file_hook_reruns_only_the_changed_files(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    py_files(repo, "a.py", "b.py", "c.py")
    repo.config(
        HEAD
        + check_hook("trailing-whitespace", log, files=r"\.py$")
        + hook("no-forbidden", "FORBIDDEN", language="pygrep", files=r"\.py$")
        + check_hook("project-lint", log, files=r"\.py$")
    )
    repo.commit()
    assert run(pytester).ret == 0
    assert log.take()["trailing-whitespace"] == ["a.py", "b.py", "c.py"]

    # one file edited: the per-file hooks run on it alone, the whole hook on all its files
    repo.write("b.py", "# b.py, edited\n")
    xml = pytester.path / "edit.xml"
    result = run(pytester, f"--junitxml={xml}")
    assert result.ret == 0, result.outlines
    assert words(result) == {
        "trailing-whitespace": "PASSED (2 files cached)",
        "no-forbidden": "PASSED (2 files cached)",
        "project-lint": "PASSED",
    }
    assert log.take() == {
        "trailing-whitespace": ["b.py"],
        "project-lint": ["a.py", "b.py", "c.py"],
    }
    assert junit_cached(xml) == {
        "trailing-whitespace": "2 files",
        "no-forbidden": "2 files",
        "project-lint": "no",
    }
    # the summary counts only the hooks that did not run at all
    assert "cached (passed before" not in result.stdout.str()

    # a new file: it alone
    repo.write("d.py", "# d.py\n")
    repo.add("d.py")
    result = run(pytester)
    assert words(result)["trailing-whitespace"] == "PASSED (3 files cached)"
    assert log.take()["trailing-whitespace"] == ["d.py"]

    # a chmod is a change of the file
    (repo.path / "c.py").chmod(0o755)
    result = run(pytester)
    assert words(result)["trailing-whitespace"] == "PASSED (3 files cached)"
    assert words(result)["no-forbidden"] == "PASSED (3 files cached)"
    assert log.take()["trailing-whitespace"] == ["c.py"]

    # a deleted file is no longer given; the others stay cached
    (repo.path / "a.py").unlink()
    result = run(pytester)
    assert words(result)["trailing-whitespace"] == "PASSED (cached)"
    assert log.take() == {"project-lint": ["b.py", "c.py", "d.py"]}

    result = run(pytester)
    assert set(words(result).values()) == {"PASSED (cached)"}
    assert log.take() == {}


def test_pygrep_hook_is_cached_per_file_and_still_finds(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    py_files(repo, "a.py", "b.py")
    repo.config(HEAD + hook("no-forbidden", "FORBIDDEN", language="pygrep"))
    repo.commit()
    assert run(pytester).ret == 0
    repo.write("b.py", "x = 'FORBIDDEN'\n")
    for _ in range(2):  # a failure is found again on every run
        result = run(pytester)
        assert words(result) == {"no-forbidden": "FAILED"}
        assert "b.py:1:x = 'FORBIDDEN'" in result.stdout.str()
        assert "a.py" not in result.stdout.str().split("FAILURES")[-1]
    repo.write("b.py", "x = 'allowed'\n")
    assert words(run(pytester)) == {"no-forbidden": "PASSED (1 files cached)"}
    assert words(run(pytester)) == {"no-forbidden": "PASSED (cached)"}


# --------------------------------------------------------------------------- whole


def test_whole_hook_reruns_on_all_its_files_after_any_tracked_change(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    py_files(repo, "a.py", "b.py")
    repo.write("data/config.txt", "fine\n")
    repo.write("README.txt", "read me\n")
    repo.config(
        HEAD
        + check_hook("project-lint", log, "--also=data/config.txt", files=r"\.py$")
        + check_hook("trailing-whitespace", log, files=r"\.py$")
    )
    repo.commit()
    assert run(pytester).ret == 0
    log.take()
    assert words(run(pytester)) == {
        "project-lint": "PASSED (cached)",
        "trailing-whitespace": "PASSED (cached)",
    }
    # a tracked file it is not given: the whole hook runs again on all of its files ...
    repo.write("README.txt", "read me again\n")
    result = run(pytester)
    assert words(result) == {
        "project-lint": "PASSED",
        "trailing-whitespace": "PASSED (cached)",  # ... the per-file hook does not
    }
    assert log.take() == {"project-lint": ["a.py", "b.py"]}
    # the file it reads without being given it: its failure is found
    repo.write("data/config.txt", "FORBIDDEN\n")
    result = run(pytester)
    assert words(result)["project-lint"] == "FAILED"
    assert "data/config.txt: contains FORBIDDEN" in result.stdout.str()
    assert log.take() == {"project-lint": ["a.py", "b.py"]}
    repo.write("data/config.txt", "fine\n")  # back to a tree it passed on
    result = run(pytester)
    assert words(result)["project-lint"] == "PASSED (cached)"
    assert log.take() == {}


# --------------------------------------------------------------------------- failures


def test_failing_hook_runs_every_time(repo: Repo, pytester: pytest.Pytester, log: Log) -> None:
    py_files(repo, "a.py")
    repo.write("b.py", "FORBIDDEN\n")
    repo.config(HEAD + check_hook("project-lint", log) + hook("fails", "false", language="system"))
    repo.commit()
    for _ in range(3):
        result = run(pytester)
        assert words(result) == {"project-lint": "FAILED", "fails": "FAILED"}
        assert log.take() == {"project-lint": ["a.py", "b.py"]}
        assert "b.py: contains FORBIDDEN" in result.stdout.str()
        result.assert_outcomes(failed=2)


def test_per_file_failure_reruns_that_file_every_time(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    py_files(repo, "a.py", "b.py", "c.py")
    repo.config(HEAD + check_hook("trailing-whitespace", log, files=r"\.py$"))
    repo.commit()
    assert run(pytester).ret == 0
    log.take()
    repo.write("b.py", "FORBIDDEN\n")
    for _ in range(3):
        result = run(pytester)
        assert result.ret == 1
        assert words(result) == {"trailing-whitespace": "FAILED"}
        assert log.take() == {"trailing-whitespace": ["b.py"]}  # a.py, c.py: cached
        assert "b.py: contains FORBIDDEN" in result.stdout.str()
    repo.write("b.py", "# fixed\n")
    assert words(run(pytester)) == {"trailing-whitespace": "PASSED (2 files cached)"}
    assert log.take() == {"trailing-whitespace": ["b.py"]}
    assert words(run(pytester)) == {"trailing-whitespace": "PASSED (cached)"}
    assert log.take() == {}


def test_failure_on_a_first_run_records_nothing(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """A failing per-file hook records no file, not even the ones it had no complaint about."""
    py_files(repo, "a.py", "c.py")
    repo.write("b.py", "FORBIDDEN\n")
    repo.config(HEAD + check_hook("trailing-whitespace", log, files=r"\.py$"))
    repo.commit()
    assert words(run(pytester)) == {"trailing-whitespace": "FAILED"}
    log.take()
    assert words(run(pytester)) == {"trailing-whitespace": "FAILED"}
    assert log.take() == {"trailing-whitespace": ["a.py", "b.py", "c.py"]}


def test_timeout_is_not_cached(repo: Repo, pytester: pytest.Pytester, log: Log) -> None:
    py_files(repo, "a.py")
    repo.script(
        "slow.py",
        f"""
        import os, sys, time
        with open({str(log.path)!r}, "a") as f:
            f.write('["slow", []]\\n')
        if os.path.exists({str(pytester.path / "slow-now")!r}):
            time.sleep(30)
        """,
    )
    repo.config(
        HEAD + hook("slow", "./slow.py", language="script", pass_filenames=False, timeout=1)
    )
    repo.commit()
    (pytester.path / "slow-now").touch()
    assert words(run(pytester, "--hooks-kill-grace", "0.2")) == {"slow": "TIMEOUT"}
    assert log.take() == {"slow": []}
    (pytester.path / "slow-now").unlink()  # untracked: not part of any key
    assert words(run(pytester)) == {"slow": "PASSED"}
    assert log.take() == {"slow": []}
    assert words(run(pytester)) == {"slow": "PASSED (cached)"}


# --------------------------------------------------------------------------- modified


@pytest.mark.parametrize("id", ["end-of-file-fixer", "project-fixer"])
def test_modified_is_not_cached(repo: Repo, pytester: pytest.Pytester, log: Log, id: str) -> None:
    repo.write("a.py", "# a\n")
    repo.write("b.py", "# no final newline")
    repo.config(HEAD + check_hook(id, log, "--fix", files=r"\.py$"))
    repo.commit()
    result = run(pytester)
    assert words(result) == {id: "MODIFIED"}
    assert repo.read("b.py") == "# no final newline\n"
    assert log.take() == {id: ["a.py", "b.py"]}
    # it runs again (on all its files: the run that modified recorded nothing), and passes
    assert words(run(pytester)) == {id: "PASSED"}
    assert log.take() == {id: ["a.py", "b.py"]}
    assert words(run(pytester)) == {id: "PASSED (cached)"}
    assert log.take() == {}
    # a later modification of one file: not cached either
    repo.write("a.py", "# a, no newline")
    assert words(run(pytester)) == {id: "MODIFIED"}
    assert log.take() == {id: ["a.py"] if id == "end-of-file-fixer" else ["a.py", "b.py"]}
    per_file = id == "end-of-file-fixer"
    assert words(run(pytester)) == {id: "PASSED (1 files cached)" if per_file else "PASSED"}
    assert log.take() == {id: ["a.py"] if per_file else ["a.py", "b.py"]}
    assert words(run(pytester)) == {id: "PASSED (cached)"}
    assert log.take() == {}


# --------------------------------------------------------------------------- invalidation


def _two_hooks(
    log: Log, *args: str, entry: str = "tools/{id}.py", files: str = r"\.py$", **extra: object
) -> str:
    """A per-file and a whole hook, both on *.py, both forbidding the words of tool configs."""
    return HEAD + "".join(
        check_hook(id, log, "--config", *args, entry=entry.format(id=id), files=files, **extra)
        for id in ("trailing-whitespace", "project-lint")
    )


def _args(repo: Repo, log: Log) -> None:
    repo.write("ci/hooks.yaml", _two_hooks(log, "--word=BANNED"))


def _entry(repo: Repo, log: Log) -> None:
    repo.write("ci/hooks.yaml", _two_hooks(log, entry="./tools/{id}.py"))


def _files(repo: Repo, log: Log) -> None:
    repo.write("ci/hooks.yaml", _two_hooks(log, files=r"^[ab]\.py$"))


def _require_serial(repo: Repo, log: Log) -> None:
    repo.write("ci/hooks.yaml", _two_hooks(log, require_serial=True))


def _pyproject(repo: Repo, log: Log) -> None:
    repo.write("pyproject.toml", '[tool.check]\nforbid = "SECRET"\n')


def _nested_setup_cfg(repo: Repo, log: Log) -> None:
    repo.write("sub/setup.cfg", '[check]\nforbid = "SECRET"\n')
    repo.add("sub/setup.cfg")


def _script(repo: Repo, log: Log) -> None:
    repo.write("tools/check.py", CHECK.replace('or "FORBIDDEN"', 'or "BANNED"'))


@pytest.mark.parametrize(
    "change,status",
    [
        (_args, "FAILED"),
        (_entry, "PASSED"),
        (_files, "PASSED"),
        (_require_serial, "PASSED"),
        (_pyproject, "FAILED"),
        (_nested_setup_cfg, "FAILED"),
        (_script, "FAILED"),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else v,
)
def test_a_change_of_definition_reruns_the_hook_on_all_its_files(
    repo: Repo, pytester: pytest.Pytester, log: Log, change: object, status: str
) -> None:
    """Each change is seen by the hook's own key: the config is ci/hooks.yaml, untracked
    (not a tool config name, not in the tree), so neither a tool-config digest nor the
    whole tree sees an edit of it."""
    py_files(repo, "a.py", "c.py")
    repo.write("b.py", "# b.py: BANNED, SECRET\n")
    repo.write("pyproject.toml", "[tool.check]\n")
    repo.write(".gitignore", "ci/\n")
    repo.write("ci/hooks.yaml", _two_hooks(log))
    repo.commit()
    opts = ("--hooks-config", "ci/hooks.yaml")
    assert run(pytester, *opts).ret == 0
    log.take()
    result = run(pytester, *opts)
    assert "hooks run: 0 of 2; 2 cached" in result.stdout.str(), result.outlines
    assert log.take() == {}

    change(repo, log)  # type: ignore[operator]
    result = run(pytester, *opts)
    assert words(result) == {"trailing-whitespace": status, "project-lint": status}
    files = ["a.py", "b.py"] if change is _files else ["a.py", "b.py", "c.py"]
    assert log.take() == {"trailing-whitespace": files, "project-lint": files}
    # once the new definition has passed, it is cached again; a failure never is
    again = run(pytester, *opts)
    if status == "PASSED":
        assert set(words(again).values()) == {"PASSED (cached)"}
        assert log.take() == {}
    else:
        assert set(words(again).values()) == {"FAILED"}
        assert log.take() == {"trailing-whitespace": files, "project-lint": files}


def test_another_executable_on_path_reruns_the_hook(
    repo: Repo, pytester: pytest.Pytester, log: Log, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`entry: ID` found on PATH: a different one first on PATH, or the same one
    rewritten in place, is a different tool."""
    ids = ("trailing-whitespace", "project-lint")
    first, second = tmp_path / "bin1", tmp_path / "bin2"
    for where, word in ((first, "FORBIDDEN"), (second, "BANNED")):
        for id in ids:
            checker(where / id, word)
    py_files(repo, "a.py")
    repo.write("b.py", "# BANNED\n")
    repo.config(
        HEAD
        + "".join(check_hook(id, log, entry=id, files=r"\.py$", language="system") for id in ids)
    )
    repo.commit()
    path = os.environ["PATH"]
    monkeypatch.setenv("PATH", f"{first}{os.pathsep}{path}")
    assert set(words(run(pytester)).values()) == {"PASSED"}
    assert set(words(run(pytester)).values()) == {"PASSED (cached)"}
    log.take()

    monkeypatch.setenv("PATH", f"{second}{os.pathsep}{first}{os.pathsep}{path}")
    result = run(pytester)
    assert words(result) == {"trailing-whitespace": "FAILED", "project-lint": "FAILED"}
    assert log.take() == {"trailing-whitespace": ["a.py", "b.py"], "project-lint": ["a.py", "b.py"]}

    # back to the first: it passed there, and nothing about it changed
    monkeypatch.setenv("PATH", f"{first}{os.pathsep}{path}")
    assert set(words(run(pytester)).values()) == {"PASSED (cached)"}
    # the first rewritten in place (same path): another tool
    for id in ids:
        checker(first / id, "# a.py")
    result = run(pytester)
    assert words(result) == {"trailing-whitespace": "FAILED", "project-lint": "FAILED"}
    assert log.take() == {"trailing-whitespace": ["a.py", "b.py"], "project-lint": ["a.py", "b.py"]}


# --------------------------------------------------------------------------- bypass


@pytest.mark.parametrize(
    "how", ["--hooks-no-cache", "HOOKRUN_NO_CACHE=1", "--cache-clear", "-p no:cacheprovider"]
)
def test_bypassing_the_cache(
    repo: Repo, pytester: pytest.Pytester, log: Log, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    py_files(repo, "a.py", "b.py")
    repo.config(
        HEAD
        + check_hook("trailing-whitespace", log)
        + check_hook("project-lint", log)
        + hook("no-forbidden", "FORBIDDEN", language="pygrep")
    )
    repo.commit()
    everything = {"trailing-whitespace": ["a.py", "b.py"], "project-lint": ["a.py", "b.py"]}
    assert set(words(run(pytester)).values()) == {"PASSED"}
    assert log.take() == everything
    assert set(words(run(pytester)).values()) == {"PASSED (cached)"}

    if how.startswith("HOOKRUN_NO_CACHE"):
        monkeypatch.setenv("HOOKRUN_NO_CACHE", "1")
        args: list[str] = []
    else:
        args = how.split()
    for _ in range(2):  # the bypass runs everything, every time
        result = run(pytester, *args)
        assert set(words(result).values()) == {"PASSED"}, result.outlines
        assert log.take() == everything
        assert "cached" not in result.stdout.str().split("= hookrun =")[-1]
    monkeypatch.delenv("HOOKRUN_NO_CACHE", raising=False)

    # the bypass neither forgot nor broke what was recorded (--cache-clear forgot it,
    # and its own run recorded it again)
    result = run(pytester)
    assert set(words(result).values()) == {"PASSED (cached)"}
    assert log.take() == {}


def test_without_cacheprovider_nothing_is_stored(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    py_files(repo, "a.py")
    repo.config(HEAD + check_hook("trailing-whitespace", log))
    repo.commit()
    for _ in range(2):
        assert words(run(pytester, "-p", "no:cacheprovider")) == {"trailing-whitespace": "PASSED"}
        assert log.take() == {"trailing-whitespace": ["a.py"]}
    assert not (repo.path / ".pytest_cache").exists()
    assert words(run(pytester)) == {"trailing-whitespace": "PASSED"}  # nothing was stored
    assert words(run(pytester)) == {"trailing-whitespace": "PASSED (cached)"}
    stored = marshal.loads((repo.path / ".pytest_cache/d/hookrun/results").read_bytes())
    assert ".pre-commit-config.yaml::trailing-whitespace" in stored["entries"]


def test_cache_under_xdist(repo: Repo, pytester: pytest.Pytester, log: Log) -> None:
    """`pytest --hooks -n 2`: the worker that runs the hooks reads and records the cache."""
    py_files(repo, "a.py", "b.py")
    repo.write("test_x.py", "def test_x():\n    pass\n")
    repo.config(HEAD + check_hook("trailing-whitespace", log) + check_hook("project-lint", log))
    repo.commit()
    files = ["a.py", "b.py", "test_x.py"]
    for n, expected in enumerate(("no", "all")):
        xml = pytester.path / f"{n}.xml"
        result = pytester.runpytest_subprocess("--hooks", "-n", "2", f"--junitxml={xml}")
        result.assert_outcomes(passed=3)
        assert junit_cached(xml) == {"trailing-whitespace": expected, "project-lint": expected}
        assert log.take() == (
            {} if expected == "all" else {"trailing-whitespace": files, "project-lint": files}
        )
    repo.write("b.py", "# edited\n")
    xml = pytester.path / "edit.xml"
    pytester.runpytest_subprocess("--hooks", "-n", "2", f"--junitxml={xml}").assert_outcomes(
        passed=3
    )
    assert junit_cached(xml) == {"trailing-whitespace": "2 files", "project-lint": "no"}
    assert log.take() == {"trailing-whitespace": ["b.py"], "project-lint": files}


# --------------------------------------------------------------------------- the property


# Contents: "ok" passes everything; FORBIDDEN fails (almost) everything; the others are
# sleepers, fine until a config toggle, a tool config or `-i` makes them forbidden: a
# cached pass on them must not survive that change.
CONTENTS = (
    *["ok\n"] * 3,
    *["BANNED\n", "SECRET\n", "forbidden\n"] * 2,
    "FORBIDDEN\n",
    "#!/bin/sh\n",
    "no final newline",
)
# weighted toward the changes that turn an unchanged file's verdict (args, tool configs,
# a whole hook's hidden input): the ones a wrong key would miss
STEPS = (
    *["config", "tool-config", "hidden"] * 3,
    *["named", "tool", "variable"] * 2,
    *["heal"] * 2,
    "edit",
    "new",
    "delete",
    "chmod",
    "touch",
    "commit",
    "readd",
    *["stage"] * 2,
)


class Model:
    """A repository with read-only checkers of every kind, and random edits between runs."""

    def __init__(
        self,
        repo: Repo,
        log: Log,
        rng: random.Random,
        config: str,
        tools: Path,
        environ: pytest.MonkeyPatch,
    ) -> None:
        self.repo, self.log, self.rng, self.config = repo, log, rng, config
        self.environ = environ
        environ.delenv("BLACK_WORD", raising=False)
        # black on PATH: a version manager's shim (as pyenv's), running version 1 (which
        # forbids FORBIDDEN) or 2 (SECRET) as .python-version says: the tool's environment
        for version, word in (("1", "FORBIDDEN"), ("2", "SECRET")):
            checker(tools / version / "black", word)
        shim = tools / "shims" / "black"
        shim.parent.mkdir()
        shim.write_text(f'#!/bin/sh\nexec {tools}/"$(cat .python-version)"/black "$@"\n')
        shim.chmod(0o755)
        repo.write(".python-version", "1\n")
        self.tw_word, self.lint_word, self.ignore_case = "FORBIDDEN", "FORBIDDEN", False
        self.new = 0
        self.forbids: dict[str, set[str]] = {"pyproject.toml": set(), "sub/setup.cfg": set()}
        for name in ("src/m0.py", "m1.py", "c0.yaml"):
            repo.write(name, rng.choice(["BANNED\n", "SECRET\n", "forbidden\n"]))
        repo.write("README.txt", "ok\n")
        repo.write("data/config.txt", "ok\n")
        repo.write("pyproject.toml", "[check]\n")
        repo.write(".gitignore", "ci/\n")
        self.write_config()
        repo.commit()

    def write_config(self) -> None:
        log = self.log
        self.repo.write(
            self.config,
            HEAD
            # ... and the words of ci/words.txt (not tracked), which an option names
            + check_hook(
                "trailing-whitespace",
                log,
                "--config",
                f"--word={self.tw_word}",
                "--words-file=ci/words.txt",
                files=r"\.py$",
            )
            + check_hook("check-yaml", log, "--config", files=r"\.yaml$")
            + check_hook("check-executables-have-shebangs", log, "--no-exec")
            + hook(
                "no-forbidden",
                "FORBIDDEN",
                language="pygrep",
                args=["-i"] if self.ignore_case else [],
                files=r"\.(py|yaml|txt)$",
            )
            # whole: given *.py, and reads data/config.txt, which it is not given
            + check_hook(
                "project-lint",
                log,
                "--config",
                f"--word={self.lint_word}",
                "--also=data/config.txt",
                files=r"\.py$",
            )
            # per file, the tool a shim chooses, told a word by its variable BLACK_WORD
            + check_hook(
                "black",
                log,
                "--env-word=BLACK_WORD",
                entry="black",
                language="system",
                files=r"\.py$",
            )
            # per file, while git adds the same files
            + check_hook("check-added-large-files", log, "--added", "--word=BANNED")
            # whole, without file arguments: what git has staged
            + check_hook("staged-lint", log, "--staged", "--word=SECRET", pass_filenames=False)
            # whole, without file arguments
            + check_hook(
                "data-lint",
                log,
                "--word=BANNED",
                "--also=README.txt,data/config.txt",
                pass_filenames=False,
            ),
        )

    def data_files(self) -> list[str]:
        listed = subprocess.run(
            ["git", "ls-files", "--", "*.py", "*.yaml", "*.txt"],
            cwd=self.repo.path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        return sorted(
            n
            for n in listed
            if (self.repo.path / n).exists()
            and not n.startswith(("tools/", "ci/"))
            and n != ".pre-commit-config.yaml"
        )

    def step(self) -> str:
        rng, repo = self.rng, self.repo
        existing = self.data_files()
        what = rng.choice(STEPS)
        if what == "hidden":  # the whole hooks' inputs that they are not given
            # toggled between fine and what project-lint / data-lint forbid right now
            name = rng.choice(["data/config.txt", "data/config.txt", "README.txt"])
            bad = self.lint_word if name == "data/config.txt" else "BANNED"
            path = repo.path / name
            text = f"{bad}\n" if path.exists() and path.read_text() == "ok\n" else "ok\n"
            repo.write(name, text, mode=0o644)
            repo.add(name)
            return f"hidden {name} {text.strip()}"
        if what == "tool":  # the other version of black's tool
            version = "2" if repo.read(".python-version") == "1\n" else "1"
            repo.write(".python-version", f"{version}\n")
            return f"tool version {version}"
        if what == "variable":  # black's own variable: forbid a word, or no longer
            word = "" if os.environ.get("BLACK_WORD") else rng.choice(["BANNED", "forbidden"])
            self.environ.setenv("BLACK_WORD", word)
            return f"BLACK_WORD={word!r}"
        if what == "named":  # a file an option names: forbid a word there, or no longer
            path = repo.path / "ci/words.txt"
            text = "" if path.exists() and path.read_text() else rng.choice(["SECRET", "BANNED"])
            repo.write("ci/words.txt", text)
            return f"ci/words.txt {text!r}"
        if what == "config":
            knob = rng.choice(["tw", "lint", "case"])
            if knob == "tw":
                self.tw_word = "BANNED" if self.tw_word == "FORBIDDEN" else "FORBIDDEN"
            elif knob == "lint":
                self.lint_word = "BANNED" if self.lint_word == "FORBIDDEN" else "FORBIDDEN"
            else:
                self.ignore_case = not self.ignore_case
            self.write_config()
            return f"config {knob}"
        if what == "tool-config":  # forbid a word there, or no longer
            name, word = (
                rng.choice(["pyproject.toml", "sub/setup.cfg"]),
                rng.choice(["SECRET", "BANNED"]),
            )
            self.forbids[name] ^= {word}
            text = "".join(f'forbid-{w} = "{w}"\n' for w in sorted(self.forbids[name]))
            repo.write(name, "[check]\n" + text)
            repo.add(name)
            return f"{name} forbids {sorted(self.forbids[name])}"
        if what == "commit":  # what git was adding is added no longer
            git(repo.path, "commit", "-q", "--allow-empty", "-m", "step")
            return "commit"
        if what == "readd" and existing:  # added again: same content, same tree
            name = rng.choice(existing)
            git(repo.path, "rm", "-q", "--cached", name)
            git(repo.path, "commit", "-q", "--allow-empty", "-m", f"drop {name}")
            repo.add(name)
            return f"readd {name}"
        if what == "stage" and existing:  # the index changes, the work tree does not
            name = rng.choice(existing)
            repo.add(name)
            return f"stage {name}"
        if what == "new" or not existing:
            self.new += 1
            name = rng.choice(["src/n{}.py", "n{}.yaml", "data/n{}.txt"]).format(self.new)
            repo.write(name, rng.choice(CONTENTS))
            if rng.random() < 0.8:
                repo.add(name)
            return f"new {name}"
        name = rng.choice(existing)
        path = repo.path / name
        if what == "edit":
            repo.write(name, rng.choice(CONTENTS))
            return f"edit {name}"
        if what == "delete":
            path.unlink()
            if rng.random() < 0.5:
                subprocess.run(["git", "rm", "-q", "--cached", name], cwd=repo.path, check=True)
            return f"delete {name}"
        if what == "chmod":
            path.chmod(path.stat().st_mode ^ 0o111)
            return f"chmod {name}"
        if what == "heal":
            repo.write(name, "ok\n", mode=0o644)
            return f"heal {name}"
        path.write_bytes(path.read_bytes())  # touch: the same bytes, a new mtime
        return f"touch {name}"


@pytest.mark.parametrize(
    "seed,config",
    # ci/hooks.yaml is untracked and no tool config name: an edit of it is seen by each
    # hook's definition key alone
    # (seed 6 finds black's variable, outside the key before d03045b)
    [(6, "ci/hooks.yaml"), (11, "ci/hooks.yaml"), (5, ".pre-commit-config.yaml")],
)
def test_the_cache_never_hides_a_failure(
    repo: Repo,
    pytester: pytest.Pytester,
    log: Log,
    seed: int,
    config: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After each random edit, a run with the cache has the outcomes of a run without it."""
    rng = random.Random(seed)
    model = Model(repo, log, rng, config, tmp_path / "tools", monkeypatch)
    monkeypatch.setenv("PATH", f"{tmp_path / 'tools' / 'shims'}{os.pathsep}{os.environ['PATH']}")
    opts = ("--hooks-config", config)
    history: list[str] = []
    reused = flips = 0
    before: dict[str, str] = {}
    for step in range(12):
        for _ in range(rng.choice((1, 1, 2))):
            history.append(model.step())
        cached = run(pytester, *opts)
        cached_ran = log.take()
        oracle = run(pytester, "--hooks-no-cache", *opts)
        oracle_ran = log.take()
        got, expected = statuses(cached), statuses(oracle)
        assert len(expected) == 9, (oracle.ret, oracle.outlines, oracle.errlines, history)
        assert got == expected, (seed, step, history, cached.outlines)
        # a hook that passed (and so was recorded) and fails now: what a stale cache hides
        flips += sum(before.get(id) == "PASSED" and s == "FAILED" for id, s in expected.items())
        before = expected
        # what the cache saved, and that the words say so
        for id, word in words(cached).items():
            if id not in oracle_ran:  # pygrep: does not log
                continue
            if id not in cached_ran:
                assert word == "PASSED (cached)", (id, word)
                reused += 1
            elif cached_ran[id] != oracle_ran[id]:
                skipped = len(oracle_ran[id]) - len(cached_ran[id])
                assert skipped > 0 and set(cached_ran[id]) < set(oracle_ran[id])
                assert word in ("FAILED", f"PASSED ({skipped} files cached)"), (id, word)
                reused += 1
            else:
                assert "cached" not in word, (id, word)
    # the sequence did exercise the cache, and challenged it
    assert reused >= 5 and flips >= 3, (reused, flips)


# --------------------------------------------------------------------------- found holes
# Each of these hid a failure that `--hooks-no-cache` shows, until c803e77: the cached run
# and the run without the cache must agree.


def _cached_and_oracle(pytester: pytest.Pytester) -> tuple[dict[str, str], dict[str, str]]:
    return statuses(run(pytester)), statuses(run(pytester, "--hooks-no-cache"))


@pytest.mark.parametrize(
    "entry,language,shebang",
    [
        ("tools/trailing-whitespace.py", "script", "#!/usr/bin/env python3"),
        ("python3 tools/trailing-whitespace.py", "system", "#!/usr/bin/env python3"),
        # the script after interpreter options: once left out of the key
        ("python3 -u tools/trailing-whitespace.py", "system", "#!/usr/bin/env python3"),
        ("tools/trailing-whitespace.py", "script", "#!/usr/bin/env -S python3 -u"),
        ("tools/trailing-whitespace.py", "script", f"#!{sys.executable} -u"),
    ],
)
def test_an_edit_of_the_script_a_per_file_hook_runs_reruns_it(
    repo: Repo, pytester: pytest.Pytester, log: Log, entry: str, language: str, shebang: str
) -> None:
    repo.write("tools/check.py", CHECK.replace("#!/usr/bin/env python3", shebang), mode=0o755)
    py_files(repo, "a.py", "b.py")
    repo.config(HEAD + check_hook("trailing-whitespace", log, entry=entry, language=language))
    repo.commit()
    assert words(run(pytester)) == {"trailing-whitespace": "PASSED"}
    assert words(run(pytester)) == {"trailing-whitespace": "PASSED (cached)"}
    # the script now forbids what a.py contains
    repo.write("tools/check.py", repo.read("tools/check.py").replace('or "FORBIDDEN"', 'or "# a"'))
    assert _cached_and_oracle(pytester) == (
        {"trailing-whitespace": "FAILED"},
        {"trailing-whitespace": "FAILED"},
    )


@pytest.mark.parametrize("id", ["trailing-whitespace", "project-lint"])
def test_another_virtualenv_on_path_reruns_the_hook(
    repo: Repo,
    pytester: pytest.Pytester,
    log: Log,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    id: str,
) -> None:
    """`#!/usr/bin/env python3` runs the python3 of the active virtualenv, with its packages;
    the python3 of two virtualenvs links to one interpreter (its realpath was the key)."""
    import venv

    bins = {}
    for name, word in (("good", "NOPE"), ("strict", "# a")):
        env = tmp_path / f"venv-{name}"
        venv.create(env, with_pip=False, symlinks=True)
        site = next(env.glob("lib/python*/site-packages"))
        (site / "forbidden_word.py").write_text(f"WORD = {word!r}\n")
        bins[name] = env / "bin"
    assert (bins["good"] / "python3").resolve() == (bins["strict"] / "python3").resolve()
    repo.write(
        "tools/check.py",
        CHECK.replace(
            'words = [opts.get("word") or "FORBIDDEN"]',
            "import forbidden_word\nwords = [forbidden_word.WORD]",
        ),
        mode=0o755,
    )
    py_files(repo, "a.py", "b.py")
    repo.config(HEAD + check_hook(id, log))
    repo.commit()
    path = os.environ["PATH"]
    monkeypatch.setenv("PATH", f"{bins['good']}{os.pathsep}{path}")
    assert words(run(pytester)) == {id: "PASSED"}
    assert words(run(pytester)) == {id: "PASSED (cached)"}
    monkeypatch.setenv("PATH", f"{bins['strict']}{os.pathsep}{path}")
    assert _cached_and_oracle(pytester) == ({id: "FAILED"}, {id: "FAILED"})


def test_check_symlinks_after_the_target_is_deleted(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    repo.script(
        "tools/symlinks.py",
        """
        import os, sys
        broken = [f for f in sys.argv[1:] if not os.path.exists(f)]
        print("broken symlinks:", *broken)
        sys.exit(1 if broken else 0)
        """,
    )
    repo.write("target.txt", "here\n")
    os.symlink("target.txt", repo.path / "link.txt")
    repo.config(
        HEAD + hook("check-symlinks", "tools/symlinks.py", language="script", types=["symlink"])
    )
    repo.commit()
    assert words(run(pytester)) == {"check-symlinks": "PASSED"}
    (repo.path / "target.txt").unlink()
    assert _cached_and_oracle(pytester) == (
        {"check-symlinks": "FAILED"},
        {"check-symlinks": "FAILED"},
    )


def test_ruff_import_sorting_after_a_new_module(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    if shutil.which("ruff") is None:
        pytest.skip("ruff is not installed")
    repo.write("a.py", "import requests\nimport zed\n")
    repo.config(
        HEAD + hook("ruff", "ruff check --no-cache --select I", language="system", types=["python"])
    )
    repo.commit()
    assert words(run(pytester)) == {"ruff": "PASSED"}
    repo.write("zed.py", "X = 1\n")
    repo.add("zed.py")
    assert _cached_and_oracle(pytester) == ({"ruff": "FAILED"}, {"ruff": "FAILED"})


def test_no_commit_to_branch_after_switching_to_main(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    py_files(repo, "a.py")
    # pre-commit-hooks' no-commit-to-branch: always_run, pass_filenames: false
    repo.config(
        HEAD
        + hook(
            "no-commit-to-branch",
            "sh -c 'test \"$(git symbolic-ref --short HEAD)\" != main'",
            pass_filenames=False,
            always_run=True,
        )
    )
    repo.commit()
    subprocess.run(["git", "checkout", "-q", "-b", "feature"], cwd=repo.path, check=True)
    assert words(run(pytester)) == {"no-commit-to-branch": "PASSED"}
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo.path, check=True)  # same tree
    assert _cached_and_oracle(pytester) == (
        {"no-commit-to-branch": "FAILED"},
        {"no-commit-to-branch": "FAILED"},
    )


def test_a_whole_hook_that_asks_git_what_is_staged_after_staging(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """Staging a change leaves the work tree as it was: a hook cached whole that asks git
    what is staged runs again (the index is part of its key)."""
    repo.write("a.txt", "ok\n")
    repo.config(
        HEAD
        + hook("staged-clean", "sh -c '! git diff --cached | grep -q BAD'", pass_filenames=False)
    )
    repo.commit()
    repo.write("a.txt", "BAD\n")  # in the work tree only
    assert _cached_and_oracle(pytester) == ({"staged-clean": "PASSED"},) * 2
    assert words(run(pytester)) == {"staged-clean": "PASSED (cached)"}
    repo.add("a.txt")  # the same work tree, staged now
    assert _cached_and_oracle(pytester) == ({"staged-clean": "FAILED"},) * 2
    git(repo.path, "reset", "-q")  # the index it passed on, again
    assert words(run(pytester)) == {"staged-clean": "PASSED (cached)"}


SHEBANG = """
import subprocess, sys
out = subprocess.run(
    ["git", "ls-files", "-z", "--stage", "--", *sys.argv[1:]],
    capture_output=True, text=True, check=True,
).stdout
status = 0
for entry in filter(None, out.split("\\0")):
    meta, name = entry.split("\\t")
    executable = meta.split()[0][-3:].strip("0246") != ""
    if not executable and open(name, "rb").read(2) == b"#!":
        print(name, "has a shebang but is not marked executable")
        status = 1
sys.exit(status)
"""


def test_check_shebang_scripts_are_executable_after_the_index_mode_changes(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """It reads each file's mode in the index (as pre-commit-hooks' does), which `git
    update-index --chmod` changes without touching the file: its per-file key holds it."""
    id = "check-shebang-scripts-are-executable"
    repo.script(f"tools/{id}.py", SHEBANG)
    repo.write("run.sh", "#!/bin/sh\necho hi\n", mode=0o755)
    repo.write("notes.txt", "text\n")
    repo.config(HEAD + hook(id, f"tools/{id}.py", language="script"))
    repo.commit()
    assert _cached_and_oracle(pytester) == ({id: "PASSED"},) * 2
    git(repo.path, "update-index", "--chmod=-x", "run.sh")  # the index only
    assert _cached_and_oracle(pytester) == ({id: "FAILED"},) * 2
    git(repo.path, "update-index", "--chmod=+x", "run.sh")  # the mode it passed on, again
    repo.write("notes.txt", "more text\n")
    assert words(run(pytester)) == {id: "PASSED (1 files cached)"}


def test_commit_msg_hook_on_a_new_message_with_the_same_tree(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """As the git commit-msg hook runs it (`git commit --amend` of the message only: same tree)."""
    repo.script(
        "tools/msg.py",
        """
        import sys
        sys.exit(0 if open(sys.argv[1]).read().startswith(("feat:", "fix:")) else 1)
        """,
    )
    py_files(repo, "a.py")
    repo.config(
        HEAD + hook("conventional-commit", "tools/msg.py", language="script", stages=["commit-msg"])
    )
    repo.commit()
    message = repo.path / ".git" / "COMMIT_EDITMSG"
    opts = ("--hooks-stage=commit-msg", "--hooks-files=.git/COMMIT_EDITMSG")
    message.write_text("feat: one\n")
    assert words(run(pytester, *opts)) == {"conventional-commit": "PASSED"}
    message.write_text("wip\n")
    cached = statuses(run(pytester, *opts))
    oracle = statuses(run(pytester, "--hooks-no-cache", *opts))
    assert (cached, oracle) == (
        {"conventional-commit": "FAILED"},
        {"conventional-commit": "FAILED"},
    )


# A merge in progress and a version manager's choice of version: once hidden, now in
# every hook's key.


def test_check_merge_conflict_when_a_merge_is_concluded(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """check-merge-conflict looks for conflict strings only while git is in a merge: an
    unchanged file that passed outside a merge is checked again during one."""
    if shutil.which("check-merge-conflict") is None:
        pytest.skip("pre-commit-hooks is not installed")
    # an RST title underlined with exactly seven '=': a conflict string to this hook
    repo.write("README.rst", "Title\n=======\n\ntext\n")
    repo.write("a.txt", "base\n")
    repo.config(HEAD + hook("check-merge-conflict", "check-merge-conflict", language="system"))
    repo.commit("base")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo.path, check=False, capture_output=True)

    git("checkout", "-q", "-b", "other")
    repo.write("a.txt", "theirs\n")
    repo.commit("theirs")
    git("checkout", "-q", "main")
    repo.write("a.txt", "ours\n")
    repo.commit("ours")
    assert words(run(pytester)) == {"check-merge-conflict": "PASSED"}
    git("merge", "-q", "other")  # a conflict in a.txt ...
    assert (repo.path / ".git" / "MERGE_HEAD").exists()
    repo.write("a.txt", "resolved\n")  # ... resolved, about to be committed
    repo.add("a.txt")
    assert _cached_and_oracle(pytester) == (
        {"check-merge-conflict": "FAILED"},
        {"check-merge-conflict": "FAILED"},
    )


def test_a_version_managers_shim_after_the_version_changes(
    repo: Repo, pytester: pytest.Pytester, log: Log, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shim (pyenv, asdf, mise) is one executable for every version; the version comes
    from PYENV_VERSION, else .python-version, which are in every hook's key."""
    versions = tmp_path / "versions"
    for version, word in (("3.11", "FORBIDDEN"), ("3.12", "# a")):
        checker(versions / version / "bin" / "black", word)
    shims = tmp_path / "shims"
    shims.mkdir()
    # as pyenv's shims: the version from PYENV_VERSION, else .python-version
    (shims / "black").write_text(
        f'#!/bin/sh\nexec {versions}/"${{PYENV_VERSION:-$(cat .python-version)}}"/bin/black "$@"\n'
    )
    (shims / "black").chmod(0o755)
    monkeypatch.setenv("PATH", f"{shims}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("PYENV_VERSION", raising=False)
    repo.write(".python-version", "3.11\n")
    py_files(repo, "a.py", "b.py")
    repo.config(HEAD + check_hook("black", log, entry="black", language="system"))
    repo.commit()
    assert words(run(pytester)) == {"black": "PASSED"}
    repo.write(".python-version", "3.12\n")
    assert _cached_and_oracle(pytester) == ({"black": "FAILED"}, {"black": "FAILED"})
    # the version in the environment, which the shim takes first
    repo.write(".python-version", "3.11\n")
    monkeypatch.setenv("PYENV_VERSION", "3.12")
    assert _cached_and_oracle(pytester) == ({"black": "FAILED"}, {"black": "FAILED"})
    monkeypatch.setenv("PYENV_VERSION", "3.11")
    assert words(run(pytester)) == {"black": "PASSED"}


@pytest.mark.parametrize(
    "runner,lock", [("uv", "uv.lock"), ("npx", "package-lock.json"), ("poetry", "poetry.lock")]
)
def test_a_project_runners_tool_after_its_lock_file_changes(
    repo: Repo,
    pytester: pytest.Pytester,
    log: Log,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    runner: str,
    lock: str,
) -> None:
    """``uv run ruff``, ``npx prettier``, ``poetry run black``: one runner for every
    version of the tool, which its lock file chooses (sentry-python's, onnx's and
    jupyterlab's configs run their tools so)."""
    versions = tmp_path / "versions"
    for version, word in (("1", "FORBIDDEN"), ("2", "# a")):
        checker(versions / version / "ruff", word)
    runners = tmp_path / "runners"
    runners.mkdir()
    entry = f"{runner} ruff" if runner == "npx" else f"{runner} run ruff"
    (runners / runner).write_text(  # past its own words: the tool's arguments
        f'#!/bin/sh\nshift {len(entry.split()) - 1}\nexec {versions}/"$(cat {lock})"/ruff "$@"\n'
    )
    (runners / runner).chmod(0o755)
    monkeypatch.setenv("PATH", f"{runners}{os.pathsep}{os.environ['PATH']}")
    repo.write(lock, "1")
    py_files(repo, "a.py", "b.py")
    repo.config(HEAD + check_hook("ruff-format", log, entry=entry, language="system"))
    repo.commit()
    assert words(run(pytester)) == {"ruff-format": "PASSED"}
    repo.write(lock, "2")
    assert _cached_and_oracle(pytester) == ({"ruff-format": "FAILED"}, {"ruff-format": "FAILED"})


# ------------------------------------------------ files a hook reads by a name it is told
# Each of these hid a failure until the key held the files that arguments and tool configs
# name, and the tool configs outside the tree.


def _named_file_repo(repo: Repo, config: str) -> None:
    """a.py holds SECRET, which nothing forbids yet; ci/ is not tracked (a hook cached
    whole sees tracked files anyway)."""
    repo.write("a.py", "SECRET\n")
    repo.write("b.py", "ok\n")
    repo.write(".gitignore", "ci/\n")
    repo.write("ci/words.txt", "BANNED\n")
    repo.write("ci/more.txt", "OTHER\n")
    repo.write("ci/args.txt", "--words-file=ci/more.txt\n")
    repo.config(config)
    repo.commit()


def _cached_until(pytester: pytest.Pytester, id: str, edit: Callable[[], object]) -> None:
    """The hook passes and is then cached; after ``edit()`` the cached run fails, as the
    run without the cache does."""
    assert words(run(pytester)) == {id: "PASSED"}
    assert words(run(pytester)) == {id: "PASSED (cached)"}
    edit()
    assert _cached_and_oracle(pytester) == ({id: "FAILED"}, {id: "FAILED"})


@pytest.mark.parametrize("id", ["codespell", "project-lint"])  # per file, whole
@pytest.mark.parametrize(
    "arg,edited,text",
    [
        ("--words-file=ci/words.txt", "ci/words.txt", "BANNED\nSECRET\n"),
        ("--words-file=ci/more.txt,ci/words.txt", "ci/words.txt", "SECRET\n"),
        ("@ci/args.txt", "ci/args.txt", "--word=SECRET\n"),
    ],
    ids=["equals", "list", "at-file"],
)
def test_a_file_an_argument_names_after_an_equals_sign_in_a_list_or_an_at_file(
    repo: Repo, pytester: pytest.Pytester, log: Log, id: str, arg: str, edited: str, text: str
) -> None:
    """codespell's ``--ignore-words=.codespellignore`` (jupyterlab's config) and
    ``--exclude-file=tests/x.yml`` (attrs'): the named file decides every verdict."""
    _named_file_repo(repo, HEAD + check_hook(id, log, arg, files=r"\.py$"))
    _cached_until(pytester, id, lambda: repo.write(edited, text))


@pytest.mark.parametrize(
    "id,arg,config,text,named",
    [
        ("codespell", "--spell", ".codespellrc", "[codespell]\ndictionary = ci/words.txt\n", ""),
        (
            "codespell",
            "--spell",
            "setup.cfg",
            "[codespell]\ndictionary = ci/more.txt, ci/words.txt\n",
            "",
        ),
        (
            "codespell",
            "--spell",
            "pyproject.toml",
            '[tool.other]\nx = 1\n\n[tool.codespell]\ndictionary = [\n  "ci/more.txt",\n  "ci/words.txt",\n]\n',
            "",
        ),
        ("yamllint", "--extends-in=.yamllint", ".yamllint", "extends: ci/words.txt\n", ""),
        # ruff's `extend` names a settings file by any name (ruff check's key has them all)
        (
            "ruff-format",
            "--extends-in=ruff.toml",
            "ruff.toml",
            'extend = "base.toml"\n',
            "base.toml",
        ),
    ],
    ids=["codespellrc", "setup.cfg", "pyproject.toml", "yamllint", "ruff-format"],
)
def test_a_file_the_tools_config_names(
    repo: Repo,
    pytester: pytest.Pytester,
    log: Log,
    id: str,
    arg: str,
    config: str,
    text: str,
    named: str,
) -> None:
    """codespell's ``ignore-words``, ``exclude-file`` and ``dictionary`` in its config,
    yamllint's ``extends`` and ``ignore-from-file``, ruff's ``extend``: per-file hooks,
    yet the named file (here ci/words.txt, not tracked, or a tracked one) decides every
    verdict."""
    repo.write(config, text)
    if named:
        repo.write(named, "BANNED\n")
    _named_file_repo(repo, HEAD + check_hook(id, log, arg, files=r"\.py$"))
    _cached_until(pytester, id, lambda: repo.write(named or "ci/words.txt", "BANNED\nSECRET\n"))


def test_a_tool_config_in_the_users_config_directory(
    repo: Repo, pytester: pytest.Pytester, log: Log, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """yamllint's ``~/.config/yamllint/config`` (black's ``~/.config/black``, ...)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    user = tmp_path / "config-home" / "yamllint" / "config"
    user.parent.mkdir(parents=True)
    user.write_text("BANNED\n")
    _named_file_repo(repo, HEAD + check_hook("yamllint", log, "--user-config=yamllint/config"))
    _cached_until(pytester, "yamllint", lambda: user.write_text("SECRET\n"))


def test_detect_aws_credentials_after_the_users_credentials_change(
    repo: Repo, pytester: pytest.Pytester, log: Log, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It looks for the keys of ~/.aws/credentials (and ~/.boto, ...) in the files: a
    key there that a tracked file holds, and that passed before, fails now."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    credentials = tmp_path / "home" / ".aws" / "credentials"
    credentials.parent.mkdir(parents=True)
    credentials.write_text("BANNED\n")
    id = "detect-aws-credentials"
    _named_file_repo(repo, HEAD + check_hook(id, log, "--home-config=.aws/credentials"))
    _cached_until(pytester, id, lambda: credentials.write_text("SECRET\n"))


def test_a_tool_config_in_a_directory_above_the_repository(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """ruff, prettier, isort and .editorconfig look for their config up to the
    filesystem's root."""
    above = repo.path.parent / ".editorconfig"  # (the session's directory: removed after)
    assert not above.exists()
    try:
        above.write_text("BANNED\n")
        _named_file_repo(repo, HEAD + check_hook("prettier", log, "--up-config=.editorconfig"))
        _cached_until(pytester, "prettier", lambda: above.write_text("SECRET\n"))
    finally:
        above.unlink()


# ----------------------------------------------- what a hook reads besides files and configs


def test_a_local_hook_with_a_per_file_id_that_runs_a_script_of_its_own(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """``id: prettier`` with ``entry: npm run prettier:files`` (jupyter's config) runs
    whatever the script says: it is cached whole, as any hook. This one is given *.py
    and also reads notes.txt."""
    repo.write(
        "tools/lint-all.sh", '#!/bin/sh\nexec tools/check.py --also=notes.txt "$@"\n', mode=0o755
    )
    py_files(repo, "a.py", "b.py")
    repo.write("notes.txt", "ok\n")
    repo.config(HEAD + check_hook("prettier", log, entry="tools/lint-all.sh", files=r"\.py$"))
    repo.commit()
    _cached_until(pytester, "prettier", lambda: repo.write("notes.txt", "FORBIDDEN\n"))


def test_a_variable_named_after_the_hooks_program(
    repo: Repo, pytester: pytest.Pytester, log: Log, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``RUFF_*``, ``BLACK_*``, ``MYPYPATH``, ``PYLINTRC``: tools read the variables named
    after them (here codespell is told a word to forbid by CODESPELL_WORD)."""
    monkeypatch.delenv("CODESPELL_WORD", raising=False)
    py_files(repo, "a.py", "b.py")
    repo.config(HEAD + check_hook("codespell", log, "--env-word=CODESPELL_WORD"))
    repo.commit()
    _cached_until(pytester, "codespell", lambda: monkeypatch.setenv("CODESPELL_WORD", "# a"))
    # another shell's variables are not the tool's: SHLVL changes nothing
    monkeypatch.setenv("CODESPELL_WORD", "NOPE")
    assert words(run(pytester)) == {"codespell": "PASSED"}
    monkeypatch.setenv("SHLVL", "7")
    assert words(run(pytester)) == {"codespell": "PASSED (cached)"}


# pre-commit-hooks' destroyed-symlinks, reduced: a file that is a symlink in HEAD and a
# regular file in the index, with the link's target as its content
DESTROYED = r"""
import subprocess, sys
out = subprocess.run(
    ["git", "status", "--porcelain=v2", "-z", "--", *sys.argv[1:]],
    capture_output=True, text=True, check=True,
).stdout
status = 0
for line in out.split("\0"):
    words = line.split(" ")
    if words[0] == "1" and words[3] == "120000" and words[4] not in ("120000", "000000"):
        print("destroyed symlink:", " ".join(words[8:]))
        status = 1
sys.exit(status)
"""


def test_destroyed_symlinks_after_head_moves(
    repo: Repo, pytester: pytest.Pytester, log: Log
) -> None:
    """It compares each file's mode in HEAD with the index's. ``git reset --soft`` to a
    commit where the file was a link changes neither the tree nor the index."""
    id = "destroyed-symlinks"
    repo.script(f"tools/{id}.py", DESTROYED)
    repo.write("target.txt", "here\n")
    os.symlink("target.txt", repo.path / "link.txt")
    repo.config(HEAD + hook(id, f"tools/{id}.py", language="script"))
    repo.commit("a link")
    (repo.path / "link.txt").unlink()
    repo.write("link.txt", "target.txt")
    repo.commit("a file")
    _cached_until(pytester, id, lambda: git(repo.path, "reset", "-q", "--soft", "HEAD~1"))
