"""Scale: identify's answers cached across runs, the classifier as pre-commit's, flat
memory with a very loud hook, and collection of many hooks (bench/scale.py times them)."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from identify.identify import tags_from_path
from pre_commit.commands import run as pre_commit_run

from pytest_hookrun import files as files_module
from pytest_hookrun import tagcache
from pytest_hookrun.config import load_config
from pytest_hookrun.files import Classifier, filter_by_include_exclude, tracked_files
from pytest_hookrun.tagcache import TagCache

from .conftest import Repo, git
from .test_plugin import outcomes

LOCAL = "repos:\n- repo: local\n  hooks:\n"
CACHE_FILE = Path(".pytest_cache", "d", "hookrun", "tags")

# (files, exclude, types, types_or, exclude_types): the filters the tests classify by
FILTERS = [
    ("", "^$", ["file"], [], []),
    ("", "^$", [], [], []),
    ("", "^$", ["python"], [], []),
    ("", "^$", ["text"], [], ["python"]),
    ("", "^$", ["executable"], [], []),
    ("", "^$", ["file"], ["binary", "shell"], []),
    ("", "^$", ["symlink"], [], []),
    ("", "^$", ["directory"], [], []),
    (r"^src/", r"\.md$", ["file"], [], []),
    (r"\.(py|sh)$", "^$", ["text"], [], []),
    ("", "weird|sp ace", ["file"], [], []),
    ("", "", ["file"], [], []),  # excludes everything
]


def hook(id: str, entry: str = "true", **extra: object) -> str:
    lines = [f"  - id: {id}", f"    name: {id}", f"    entry: {json.dumps(entry)}"]
    lines.append("    language: " + str(extra.pop("language", "system")))
    lines += [f"    {key}: {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def filters_config() -> str:
    text = LOCAL
    for i, (include, exclude, types, types_or, exclude_types) in enumerate(FILTERS):
        text += hook(
            f"h{i}",
            files=include,
            exclude=exclude,
            types=types,
            types_or=types_or,
            exclude_types=exclude_types,
        )
    return text


def make_tree(repo: Repo) -> None:
    """Files of every kind identify tells apart: text, binary, shebang scripts,
    executables, symlinks, a submodule-like directory, odd names."""
    repo.write("src/a.py", "print(1)\n")
    repo.write("src/b.md", "# b\n")
    repo.write("src/c.json", "{}\n")
    repo.write("src/d.bin", b"\x00\x01\x02binary")
    repo.write("src/e.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    repo.write("tools/run", "#!/bin/sh\necho hi\n", mode=0o755)
    repo.write("tools/py-tool", "#!/usr/bin/env python3\nprint(1)\n", mode=0o755)
    repo.write("tools/plain", "no shebang\n", mode=0o755)
    repo.write("tools/blob", b"\x7fELF\x00\x00", mode=0o755)
    repo.write("docs/sp ace.txt", "space\n")
    repo.write("docs/ünï.txt", "unicode\n")
    repo.write("weird/-dash.py", "x = 1\n")
    repo.write("Dockerfile", "FROM scratch\n")
    repo.write("notes", "abcd")  # no extension: identify reads it for text or binary
    (repo.path / "link.py").symlink_to("src/a.py")
    (repo.path / "dangling").symlink_to("nowhere")
    (repo.path / "sub").mkdir()
    sub = Repo(repo.path / "sub")  # a submodule's gitlink: a directory to identify
    (sub.path / "f").write_text("f\n")
    sub.commit()
    repo.add()
    git(repo.path, "commit", "-q", "--no-verify", "-m", "tree")
    repo.config(filters_config())


@pytest.fixture
def no_racy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files the test just wrote count as settled (the real window is 2 s)."""
    monkeypatch.setattr(tagcache, "RACY_NS", 0)


@pytest.fixture
def identify_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths the classifier asks identify about (in this process)."""
    calls: list[str] = []

    def counting(path: str) -> set[str]:
        calls.append(path)
        return tags_from_path(path)

    monkeypatch.setattr(files_module, "tags_from_path", counting)
    yield calls


def classify(root: Path, cache: TagCache | None) -> list[list[str]]:
    config = load_config(root / ".pre-commit-config.yaml")
    classifier = Classifier(root, tracked_files(root), config, tags=cache)
    return [classifier.for_hook(h) for h in config.hooks]


def reference(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """pre-commit's own classifier on the same files (it works from the repo root)."""
    monkeypatch.chdir(root)
    config = load_config(root / ".pre-commit-config.yaml")
    classifier = pre_commit_run.Classifier.from_config(
        tracked_files(root), config.files, config.exclude
    )
    out = []
    for h in config.hooks:
        names = pre_commit_run.filter_by_include_exclude(classifier.filenames, h.files, h.exclude)
        out.append(list(classifier.by_types(names, h.types, h.types_or, h.exclude_types)))
    return out


def roundtrip(cache: TagCache) -> TagCache:
    """Through marshal, as the plugin stores it (pytest_hookrun/cachefile.py)."""
    return TagCache.from_json(marshal.loads(marshal.dumps(cache.to_json())))


# --------------------------------------------------------------------------- classifier


def test_filter_matches_pre_commit_on_edge_names() -> None:
    names = ["a.py", "", "\n", "x\n", "\n\n", "dir/b.md", "sp ace", "ü.py"]
    for include in ("", r"\.py$", "^$", "^", "a|b"):
        for exclude in ("^$", "", r"\.md$", "^\n$", "x"):
            expected = list(pre_commit_run.filter_by_include_exclude(names, include, exclude))
            assert filter_by_include_exclude(names, include, exclude) == expected, (
                include,
                exclude,
            )
            assert filter_by_include_exclude(iter(names), include, exclude) == expected


def test_classifier_matches_pre_commit_cold_warm_and_uncached(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, no_racy: None, identify_calls: list[str]
) -> None:
    make_tree(repo)
    expected = reference(repo.path, monkeypatch)
    assert classify(repo.path, None) == expected
    assert expected[6] == ["dangling", "link.py"] and expected[7] == ["sub"]
    uncached = len(identify_calls)

    cache = TagCache.from_json(None)
    identify_calls.clear()
    assert classify(repo.path, cache) == expected
    assert len(identify_calls) == uncached and cache.changed
    warm = roundtrip(cache)
    identify_calls.clear()
    assert classify(repo.path, warm) == expected
    assert identify_calls == [] and not warm.changed
    assert warm.hits == uncached


def test_classifier_with_a_given_config_filter(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(repo)
    repo.config("files: ^(src|tools)/\nexclude: \\.json$\n" + filters_config())
    assert classify(repo.path, TagCache.from_json(None)) == reference(repo.path, monkeypatch)


def test_changed_files_are_asked_again(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, no_racy: None, identify_calls: list[str]
) -> None:
    make_tree(repo)
    cache = TagCache.from_json(None)
    classify(repo.path, cache)
    cache = roundtrip(cache)
    # text -> binary, same size, mtime put back: only the ctime (and content) moved
    path = repo.path / "notes"
    st = path.stat()
    path.write_bytes(b"\x00\x00\x00\x00")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    (repo.path / "src" / "c.json").chmod(0o755)  # executable now
    (repo.path / "tools" / "run").write_text("#!/usr/bin/env python3\n")  # another interpreter
    (repo.path / "link.py").unlink()
    (repo.path / "link.py").write_text("now a file\n")
    (repo.path / "docs" / "sp ace.txt").unlink()  # gone from the work tree, still tracked
    identify_calls.clear()
    got = classify(repo.path, cache)
    asked = sorted(os.path.relpath(p, repo.path) for p in identify_calls)
    assert asked == ["link.py", "notes", "src/c.json", "tools/run"]
    assert got == reference(repo.path, monkeypatch)
    assert "notes" in got[5] and "src/c.json" in got[4]  # binary, executable now
    saved = cache.to_json()["files"]
    assert "docs/sp ace.txt" not in saved and "src/a.py" in saved


def test_racy_files_are_not_kept(repo: Repo, identify_calls: list[str]) -> None:
    make_tree(repo)  # every file is younger than tagcache.RACY_NS
    cache = TagCache.from_json(None)
    classify(repo.path, cache)
    assert identify_calls and cache.to_json()["files"] == {}
    old = time.time_ns() - 2 * tagcache.RACY_NS
    assert tagcache.RACY_NS >= 1_000_000_000
    cache.put("x", os.lstat(repo.path / "src" / "a.py"), frozenset({"file"}), old)
    assert cache.to_json()["files"] == {}  # its ctime is now: after "now" counts too


def test_undecodable_names_are_not_kept(repo: Repo, no_racy: None) -> None:
    name = os.fsdecode(b"bad\xff.py")
    repo.write(name, "x = 1\n")
    repo.write("good.py", "x = 1\n")
    repo.commit()
    repo.config(LOCAL + hook("py", types=["python"]))
    cache = TagCache.from_json(None)
    assert classify(repo.path, cache) == [sorted([name, "good.py"])]
    stored = cache.to_json()
    assert list(stored["files"]) == ["good.py"]
    json.dumps(stored, ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------- the cache


def stat_of(tmp_path: Path) -> os.stat_result:
    path = tmp_path / "f"
    path.write_text("x")
    return os.lstat(path)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "garbage",
        {"format": 99},
        {"format": 1, "identify": "another identify", "sets": [], "files": {}},
        {"format": 1, "sets": "x", "files": {}},
        {"format": 1, "sets": [["file", 3]], "files": {}},
        {"format": 1, "sets": [["file"]], "files": []},
        {"format": 1, "sets": [["file"]], "files": {"f": 7}},
        {"format": 1, "sets": [["file"]], "files": {"f": "{key} 9"}},
        {"format": 1, "sets": [["file"]], "files": {"f": "{key} x"}},
        {"format": 1, "sets": [["file"]], "files": {"f": "{key} \u0661"}},  # a non-ASCII digit
        {"format": 1, "sets": [["file"]], "files": {"f": "{key}"}},
        {"format": 1, "sets": [["file"]], "files": {"f": "{key}0 0"}},
    ],
)
def test_garbled_data_reads_as_no_answer(tmp_path: Path, data: object) -> None:
    st = stat_of(tmp_path)
    if isinstance(data, dict):
        data = json.loads(json.dumps(data).replace("{key}", tagcache.stat_key(st)))
        data.setdefault("identify", tagcache.fingerprint())
    cache = TagCache.from_json(data)
    assert cache.lookup(["f"], [st]) == {}
    cache.put("f", st, frozenset({"file", "text"}), time.time_ns() + tagcache.RACY_NS)
    assert roundtrip(cache).lookup(["f"], [st]) == {"f": frozenset({"file", "text"})}


def test_a_valid_entry_is_found(tmp_path: Path) -> None:
    st = stat_of(tmp_path)
    data = {
        "format": 1,
        "identify": tagcache.fingerprint(),
        "sets": [["a"], ["file", "text"]],
        "files": {"f": tagcache.stat_key(st) + " 1"},
    }
    assert TagCache.from_json(data).lookup(["f", "g"], [st, st]) == {"f": {"file", "text"}}


def test_listings_add_up_and_the_rest_is_forgotten(tmp_path: Path) -> None:
    st = stat_of(tmp_path)
    cache = TagCache.from_json(None)
    for name in ("a", "b", "c"):
        cache.put(name, st, frozenset({"file"}), time.time_ns() + tagcache.RACY_NS)
    cache.listing({"a"})
    cache.listing({"b"})  # a second config of the same run
    assert sorted(cache.to_json()["files"]) == ["a", "b"]


def test_load_is_lazy_and_once() -> None:
    loads: list[int] = []

    def load() -> object:
        loads.append(1)
        return None

    cache = TagCache(load)
    assert loads == [] and not cache.changed
    cache.listing({"a"})
    cache.listing({"a"})
    assert loads == [1]


# --------------------------------------------------------------------------- the plugin


def run_plan(pytester: pytest.Pytester, *args: str) -> str:
    result = pytester.runpytest("--hooks", "--hooks-plan", "json", *args)
    assert result.ret == 0, result.stdout.str()
    text = result.stdout.str()
    return text[text.index("{") : text.rindex("}") + 1]


def test_warm_run_reads_no_file(
    pytester: pytest.Pytester, repo: Repo, no_racy: None, identify_calls: list[str]
) -> None:
    make_tree(repo)
    cold = run_plan(pytester)
    assert identify_calls and (repo.path / CACHE_FILE).exists()
    first = len(identify_calls)
    identify_calls.clear()
    assert run_plan(pytester) == cold
    assert identify_calls == []
    saved = (repo.path / CACHE_FILE).stat().st_mtime_ns
    assert run_plan(pytester) == cold
    assert (repo.path / CACHE_FILE).stat().st_mtime_ns == saved  # unchanged: not rewritten
    (repo.path / "src" / "a.py").write_text("print(2)\n")
    assert run_plan(pytester) == cold
    assert [os.path.relpath(p, repo.path) for p in identify_calls] == ["src/a.py"]
    identify_calls.clear()
    assert run_plan(pytester, "-p", "no:cacheprovider") == cold
    assert len(identify_calls) == first


def test_the_run_itself_keeps_the_answers(
    pytester: pytest.Pytester, repo: Repo, no_racy: None, identify_calls: list[str]
) -> None:
    make_tree(repo)
    result = pytester.runpytest("--hooks", "-q")
    assert result.ret == 0, result.stdout.str()
    assert identify_calls and (repo.path / CACHE_FILE).exists()
    identify_calls.clear()
    assert pytester.runpytest("--hooks", "-q").ret == 0
    assert identify_calls == []


def test_garbled_cache_file_is_replaced(
    pytester: pytest.Pytester, repo: Repo, no_racy: None, identify_calls: list[str]
) -> None:
    make_tree(repo)
    cold = run_plan(pytester)
    first = len(identify_calls)
    good = (repo.path / CACHE_FILE).read_bytes()
    (repo.path / CACHE_FILE).write_bytes(good[: len(good) // 2])  # cut off mid-way
    identify_calls.clear()
    assert run_plan(pytester) == cold
    assert len(identify_calls) == first
    assert marshal.loads((repo.path / CACHE_FILE).read_bytes())["format"] == 1


def test_partial_listings_leave_the_cache_alone(
    pytester: pytest.Pytester, repo: Repo, no_racy: None, identify_calls: list[str]
) -> None:
    make_tree(repo)
    run_plan(pytester, "--hooks-files", "src/a.py")
    assert not (repo.path / CACHE_FILE).exists()
    run_plan(pytester)
    before = (repo.path / CACHE_FILE).read_bytes()
    identify_calls.clear()
    run_plan(pytester, "--hooks-files", "src/b.md", "src/c.json")
    assert len(identify_calls) == 2  # no cache: a commit of a few files does not load it
    assert (repo.path / CACHE_FILE).read_bytes() == before


# --------------------------------------------------------------------------- memory, collection


RSS_OF_CHILD = textwrap.dedent(
    """\
    import resource, subprocess, sys
    proc = subprocess.run(sys.argv[1:], capture_output=True)
    sys.stdout.buffer.write(proc.stdout[-100_000:])
    print()
    print("maxrss-kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    """
)


def peak_rss_kb(pytester: pytest.Pytester, *args: str) -> tuple[int, str]:
    """The largest RSS of ``pytest ARGS`` or any process it waited for, and its output."""
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    argv = [sys.executable, "-m", "pytest", "-p", "pytest_hookrun.plugin", *args]
    out = subprocess.run(
        [sys.executable, "-c", RSS_OF_CHILD, *argv],
        cwd=pytester.path,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=300,
    ).stdout
    return int(out.rsplit("maxrss-kb", 1)[1]), out


@pytest.mark.slow
def test_memory_stays_flat_with_a_hook_printing_200_mb(
    pytester: pytest.Pytester, repo: Repo
) -> None:
    repo.write("a.txt", "a\n")
    repo.commit()
    loud = "import sys; line = 'x' * 1023 + '\\n'; [sys.stdout.write(line) for _ in range(204800)]"
    repo.config(
        LOCAL
        + hook("loud", f"{sys.executable} -c {json.dumps(loud + '; sys.exit(1)')}",
               pass_filenames=False)
        + hook("quiet", f"{sys.executable} -c pass", pass_filenames=False)
    )  # fmt: skip
    baseline, _ = peak_rss_kb(pytester, "--hooks", "-p", "no:cacheprovider", "-k", "quiet")
    peak, out = peak_rss_kb(pytester, "--hooks", "-p", "no:cacheprovider", "-k", "loud")
    assert "1 failed" in out and "[output cut" in out, out[-3000:]
    assert peak - baseline < 150 * 1024, (peak, baseline)


@pytest.mark.slow
def test_memory_stays_flat_with_an_in_process_pygrep_printing_40_mb(
    pytester: pytest.Pytester, repo: Repo
) -> None:
    repo.write("big.txt", ("x" * 99 + "\n") * 400_000)  # 40 MB, every line matches
    repo.commit()
    repo.config(
        LOCAL + hook("grep-x", "x", language="pygrep") + hook("grep-y", "y", language="pygrep")
    )
    baseline, _ = peak_rss_kb(pytester, "--hooks", "-p", "no:cacheprovider", "-k", "grep-y")
    peak, out = peak_rss_kb(pytester, "--hooks", "-p", "no:cacheprovider", "-k", "grep-x")
    assert "1 failed" in out and "[output cut" in out, out[-3000:]
    assert peak - baseline < 30 * 1024, (peak, baseline)


def test_collecting_300_hooks_stays_quick(pytester: pytest.Pytester, repo: Repo) -> None:
    repo.write("a.py", "x = 1\n")
    repo.commit()
    body = "".join(
        hook(f"h{i}", "forbidden", language="pygrep", files=r"\.py$")
        if i % 2
        else hook(f"h{i}", "true", types=["python"])
        for i in range(300)
    )
    repo.config(LOCAL + body)
    start = time.perf_counter()
    result = pytester.runpytest("--hooks", "--co", "-q")
    elapsed = time.perf_counter() - start
    result.stdout.fnmatch_lines(["300 tests collected*"])
    assert elapsed < 5.0  # generous: bench/scale.py measures it


def test_a_rerun_with_nothing_changed_asks_git_little(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every hook cached: one listing of the tracked files, one read of the index (the
    hook cached whole may ask git what is staged), one look for the top of the
    repository (GIT_TRACE logs each git command the run starts)."""
    repo.write("a.txt", "a\n")
    repo.config(LOCAL + hook("check", "true") + hook("whole", "true", pass_filenames=False))
    repo.commit()
    pytester.runpytest("--hooks")
    trace = repo.outside("git-trace.log")
    monkeypatch.setenv("GIT_TRACE", str(trace))
    result = pytester.runpytest("--hooks", "-v")
    assert outcomes(result) == {"check": "PASSED", "whole": "PASSED"}
    assert "2 cached" in result.stdout.str()
    commands = [line.split("trace: built-in: git ", 1)[1] for line in trace.read_text().splitlines()
                if "trace: built-in: git " in line]  # fmt: skip
    assert sum(c.startswith("ls-files -z") for c in commands) == 1, commands
    assert sum(c.startswith("ls-files --stage") for c in commands) == 1, commands
    assert sum(c.startswith("ls-files") for c in commands) == 2, commands
    assert sum(c.startswith("rev-parse --show-toplevel") for c in commands) == 1, commands
