"""The fast paths against the real pre-commit-hooks console scripts: same status, output, files.

The oracle is the installed pre-commit-hooks (the test extras install it): each comparison
copies the same files into two directories, runs the real hook in one (a fresh
interpreter, as its console script, stdout and stderr in one pipe) and the fast path in
the other, and requires the same exit status, the same bytes of output and the same file
contents. Where the real hook dies with a traceback the fast path must refuse
(FastPathError) and leave the files as they were.

To compare against another release, point HOOKRUN_FASTPATH_ORACLE at its unpacked sdist
(``pip download --no-deps --no-binary :all: pre-commit-hooks==4.5.0``): it is put first
on the oracle's PYTHONPATH and used as the clone ``fast_path_for`` identifies.
"""

from __future__ import annotations

import base64
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_hookrun.fastpaths import (
    ENTRIES,
    SUPPORTED_VERSIONS,
    FastPath,
    FastPathError,
    fast_path_for,
    hooks,
)
from pytest_hookrun.fastpaths._base import FastHook
from pytest_hookrun.helper import HOOK_IDS

ORACLE_SRC = os.environ.get("HOOKRUN_FASTPATH_ORACLE")
if not ORACLE_SRC:
    pytest.importorskip("pre_commit_hooks", reason="the oracle: pip install pre-commit-hooks")

EXAMPLES = int(os.environ.get("HOOKRUN_FASTPATH_EXAMPLES", "12"))

# The real hook run as its console script does: argv[0] is the entry, main() its status.
_WRAPPER = (
    "import importlib, sys\n"
    "module = sys.argv[1]\n"
    "sys.argv = sys.argv[2:]\n"
    "raise SystemExit(importlib.import_module('pre_commit_hooks.' + module).main())\n"
)

# A fresh interpreter costs 0.1-0.5 s here, hundreds of comparisons too long: a server
# imports the hooks once and forks a child per run, which recreates stdout and stderr as
# an interpreter starts them (stdout block-buffered, stderr line-buffered, one pipe),
# takes the run's cwd, environment and argv, and exits as the interpreter would.
# test_the_server_is_the_console_script checks it against real processes.
_SERVER = r"""
import base64, importlib, io, json, os, sys, traceback
for module in sys.argv[1:]:
    importlib.import_module("pre_commit_hooks." + module)
reply = sys.stdout
for line in sys.stdin:
    req = json.loads(line)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 1)
        os.dup2(w, 2)
        os.close(w)
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        encoding, errors = sys.stdout.encoding, sys.stdout.errors
        unbuffered = bool(os.environ.get("PYTHONUNBUFFERED"))
        sys.stdout = io.TextIOWrapper(
            io.open(1, "wb", buffering=0 if unbuffered else -1, closefd=False),
            encoding=encoding,
            errors=errors,
            write_through=unbuffered,
        )
        sys.stderr = io.TextIOWrapper(
            io.open(2, "wb", buffering=0 if unbuffered else -1, closefd=False),
            encoding=encoding,
            errors="backslashreplace",
            line_buffering=True,
            write_through=unbuffered,
        )
        sys.argv = req["argv"]
        try:
            code = importlib.import_module("pre_commit_hooks." + req["module"]).main()
            raise SystemExit(code)
        except SystemExit as exc:
            if exc.code is None:
                status = 0
            elif isinstance(exc.code, int):
                status = exc.code
            else:
                print(exc.code, file=sys.stderr)
                status = 1
        except BaseException:
            traceback.print_exc()
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        output = f.read()
    _, wait = os.waitpid(pid, 0)
    status = os.waitstatus_to_exitcode(wait)
    reply.write(json.dumps({"status": status, "output": base64.b64encode(output).decode()}))
    reply.write("\n")
    reply.flush()
"""
Files = dict[str, bytes]
Setup = Callable[[Path], None]


@pytest.fixture(scope="session")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The oracle's source as a hook clone: its setup.cfg and pre_commit_hooks/."""
    if ORACLE_SRC:
        return Path(ORACLE_SRC)
    import pre_commit_hooks

    path = tmp_path_factory.mktemp("pre-commit-hooks")
    shutil.copytree(Path(pre_commit_hooks.__file__).parent, path / "pre_commit_hooks")
    version = importlib.metadata.version("pre-commit-hooks")
    (path / "setup.cfg").write_text(f"[metadata]\nname = pre_commit_hooks\nversion = {version}\n")
    return path


@pytest.fixture(scope="session")
def fast(clone: Path) -> Callable[[str], FastPath]:
    def get(entry: str) -> FastPath:
        if not ENTRIES[entry].usable():  # check-yaml: ruamel.yaml 0.19; check-toml: 3.11+
            pytest.skip(f"{entry} has no fast path in this process")
        path = fast_path_for(entry, clone)
        assert path is not None, f"{entry}: the oracle's release is not one we match"
        return path

    return get


def _oracle_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONSAFEPATH": "1"}
    if ORACLE_SRC:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (ORACLE_SRC, env.get("PYTHONPATH"))))
    return env


def run_process(
    entry: str, args: Sequence[str], names: Sequence[str], cwd: Path
) -> tuple[int, bytes]:
    """The real hook in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, ENTRIES[entry].module, entry, *args, *names],
        cwd=cwd,
        env=_oracle_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    return proc.returncode, proc.stdout


class _Server:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, *sorted({e.module for e in ENTRIES.values()})],
            env=_oracle_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(
        self, entry: str, args: Sequence[str], names: Sequence[str], cwd: Path
    ) -> tuple[int, bytes]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {
            "module": ENTRIES[entry].module,
            "argv": [entry, *args, *names],
            "cwd": str(cwd),
            "env": _oracle_env(),
        }
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        return answer["status"], base64.b64decode(answer["output"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


_server: _Server | None = None


@pytest.fixture(scope="module", autouse=True)
def _oracle_server() -> Iterator[None]:
    global _server
    if not hasattr(os, "fork") or os.environ.get("HOOKRUN_FASTPATH_ORACLE_MODE") == "process":
        yield
        return
    _server = _Server()
    try:
        yield
    finally:
        _server.close()
        _server = None


def run_real(entry: str, args: Sequence[str], names: Sequence[str], cwd: Path) -> tuple[int, bytes]:
    """The real hook: forked from the server, or with no server a fresh interpreter."""
    if _server is None:
        return run_process(entry, args, names, cwd)
    return _server.run(entry, args, names, cwd)


def populate(path: Path, files: Files, setup: Setup | None) -> None:
    path.mkdir()
    for name, content in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(content)
    if setup is not None:
        setup(path)


def snapshot(path: Path) -> Files:
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(path).parts
    }


def crashed(output: bytes) -> bool:
    return b"Traceback (most recent call last):" in output


def compare(
    fast: Callable[[str], FastPath],
    entry: str,
    args: Sequence[str],
    files: Files,
    *,
    names: Sequence[str] | None = None,
    setup: Setup | None = None,
    unordered: bool = False,
    may_refuse: Callable[[bytes], bool] = crashed,
) -> str:
    """Run both on copies of ``files``; "same" or "refused" (the real hook then runs)."""
    names = sorted(files) if names is None else names
    with tempfile.TemporaryDirectory() as tmp:
        real_dir, fast_dir = Path(tmp, "real"), Path(tmp, "fast")
        populate(real_dir, files, setup)
        populate(fast_dir, files, setup)
        before = snapshot(fast_dir)
        status, output = run_real(entry, args, names, real_dir)
        try:
            result = fast(entry)(args, names, fast_dir)
        except FastPathError:
            assert may_refuse(output), f"{entry} {args} refused; the real hook gave {output!r}"
            assert snapshot(fast_dir) == before, "a refusing fast path must leave files alone"
            return "refused"
        assert not crashed(output), f"{entry} {args}: the real hook crashed:\n{output.decode()}"
        got_status, got_output = result
        if unordered:
            got_output, output = sorted(got_output.splitlines()), sorted(output.splitlines())
        assert (got_status, got_output) == (status, output), f"{entry} {args} {names}"
        assert snapshot(fast_dir) == snapshot(real_dir), f"{entry} {args}: files differ"
        return "same"


def compare_each(
    fast: Callable[[str], FastPath],
    entry: str,
    args: Sequence[str],
    files: Files,
    **kwargs: object,
) -> list[str]:
    """``compare`` on all files at once; where the real hook crashes, on halves, to isolate
    the files it crashes on and still compare the others."""
    outcome = compare(fast, entry, args, files, **kwargs)  # type: ignore[arg-type]
    if outcome == "same" or len(files) == 1:
        return [outcome]
    names = sorted(files)
    half = len(names) // 2
    return [
        *compare_each(fast, entry, args, {n: files[n] for n in names[:half]}, **kwargs),
        *compare_each(fast, entry, args, {n: files[n] for n in names[half:]}, **kwargs),
    ]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(("git", *args), cwd=cwd, check=True, capture_output=True)


def git_repo(*staged: str, merge: bool = False) -> Setup:
    """A repository with ``staged`` added to the index (and a merge going on, if asked)."""

    def setup(path: Path) -> None:
        git(path, "init", "-q")
        if staged:
            git(path, "add", "--", *staged)
        if merge:
            git_dir = path / ".git"
            (git_dir / "MERGE_MSG").write_text("Merge\n")
            (git_dir / "MERGE_HEAD").write_text("0" * 40 + "\n")

    return setup


# ------------------------------------------------------------------------------ edge cases

BIG = (b"x" * 60 + b" \r\n" + b"y" * 60 + b"\n" + b"z  \t\n") * 40_000  # ~5 MB, every ending

TEXT: Files = {
    "empty.txt": b"",
    "lf.txt": b"a\nb\n",
    "crlf.txt": b"a\r\nb\r\n",
    "cr.txt": b"a\rb\r",
    "mixed.txt": b"a\nb\r\nc\rd",
    "mixed_tie.txt": b"a\r\nb\nc\rd\r",
    "no_final_newline.txt": b"no newline",
    "only_newlines.txt": b"\n\n\r\n\r",
    "one_newline.txt": b"\n",
    "one_cr.txt": b"\r",
    "one_crlf.txt": b"\r\n",
    "many_final.txt": b"x\n\n\n",
    "crlf_final.txt": b"x\r\n\r\n",
    "cr_final.txt": b"x\r\r",
    "cr_crlf.txt": b"x\r\r\n",
    "trailing.txt": b"a  \nb\t\t\nc \r\nd\x0c\n e \x0b",
    "ws_only.txt": b"   \n\t\n \r\n",
    "ws_cr.txt": b"a \r \n",
    "md.md": b"line  \nline   \n  \nhard  \r\nx \n\t  \n",
    "MD.MARKDOWN": b"a  \nb \n",
    "notes.mdx": b"a  \n",
    "bom.txt": b"\xef\xbb\xbfhello \n",
    "bom_only.txt": b"\xef\xbb\xbf",
    "bom_crlf.txt": b"\xef\xbb\xbfa\r\nb\n",
    "bom_invalid.txt": b"\xef\xbb\xbf\xff\n",
    "utf16.txt": "hi \n".encode("utf-16"),
    "invalid_utf8.txt": b"\xff\xfe\xfa abc \n",
    "binary.bin": bytes(range(256)) * 4,
    "nul.txt": b"a\x00b \n",
    "unicode_ws.txt": "a\u00a0\nb\u3000\n".encode(),
    "é.txt": b"x \n",
    "sub/dir/f.txt": b"y\t\n",
    "conflict.txt": b"<<<<<<< HEAD\na\n=======\nb\n>>>>>>> branch\n",
    "conflict_crlf.txt": b"<<<<<<< HEAD\r\na\r\n=======\r\nb\r\n>>>>>>> x\r\n======= \n",
    "not_conflict.txt": b" <<<<<<< x\n========\n=======x\n>>>>>>>\n",
}

YAML: Files = {
    "a.yaml": b"a: 1\nb: [x, y]\n",
    "multi.yaml": b"a: 1\n---\nb: 2\n",
    "multi_end.yaml": b"--- 1\n...\n--- 2\n",
    "tag.yaml": b"x: !custom 1\n",
    "python_tag.yaml": b"x: !!python/name:os.system\n",
    "dupkey.yaml": b"a: 1\na: 2\n",
    "dupkey_unicode.yaml": "é: 1\né: 2\n".encode(),
    "bad.yaml": b"a: [1\n",
    "anchor.yaml": b"a: &x 1\nb: *x\n",
    "dup_anchor.yaml": b"a: &x 1\nb: &x 2\n",
    "yaml11.yaml": b"%YAML 1.1\n---\na: 1e3\nb: 1.5\n",
    "yaml12.yaml": b"%YAML 1.2\n---\na: 1e3\n",
    "tab.yaml": b"a:\n\tb: 1\n",
    "undefined_alias.yaml": b"a: *nope\n",
    "crlf.yaml": b"a: 1\r\nb: [\r\n",
    "cr.yaml": b"a: 1\rb: {\r",
    "bom.yaml": b"\xef\xbb\xbfa: 1\n",
    "empty.yaml": b"",
    "comments.yaml": b"# only a comment\n",
    "set.yaml": b"!!set {a, b, a}\n",
    "merge.yaml": b"x: &x {a: 1}\ny:\n  <<: *x\n  b: 2\n",
    "ts.yaml": b"t: 2001-12-14t21:59:43.10-05:00\nb: !!binary aGVsbG8=\nf: .inf\n",
    "bad_binary.yaml": b"b: !!binary '!!!'\n",
    "nonascii_error.yaml": "clé: [\n".encode(),
    "invalid_utf8.yaml": b"a: \xff\n",
    "utf16.yaml": "a: 1\n".encode("utf-16"),
    "binary.yaml": bytes(range(256)),
}

JSON: Files = {
    "ok.json": b'{"a": [1, 2.5, null, true], "b": {"c": "d"}}',
    "dup.json": b'{"a": 1, "a": 2}',
    "dup_nested.json": b'{"a": {"b": 1, "b": 2}}',
    "dup_unicode.json": '{"é": 1, "é": 2}'.encode(),
    "bad.json": b'{"a": }',
    "trailing_comma.json": b'{"a": 1,}',
    "utf16.json": '{"a": 1}'.encode("utf-16"),
    "utf16le.json": '{"a": 1}'.encode("utf-16-le"),
    "bom.json": b'\xef\xbb\xbf{"a": 1}',
    "invalid_utf8.json": b'{"a": "\xff"}',
    "empty.json": b"",
    "nan.json": b"NaN",
    "extra.json": b"1 2",
    "deep.json": b"[" * 100_000,
    "crlf.json": b'{\r\n"a": 1\r\n}\r\n',
    "control.json": b'"a\tb"',
}

TOML: Files = {
    "ok.toml": b'[a]\nb = 1\nc = "x"\n[[d]]\ne = 2021-01-01T00:00:00Z\n',
    "bad.toml": b"a = \n",
    "dup.toml": b"a = 1\na = 2\n",
    "dup_table.toml": b"[a]\n[a]\n",
    "crlf.toml": b"a = 1\r\nb = [\r\n",
    "cr.toml": b"a = 1\rb = 2\r",
    "bom.toml": b"\xef\xbb\xbfa = 1\n",
    "invalid_utf8.toml": b"a = '\xff'\n",
    "unicode.toml": 'a = "é"\nb = é\n'.encode(),
    "empty.toml": b"",
    "binary.toml": bytes(range(256)),
}

PYTHON: Files = {
    "dbg.py": (
        b"import pdb\nimport os, ipdb\nfrom pudb import set_trace\nbreakpoint()\n"
        b"x = [breakpoint() for _ in ()]\nf(breakpoint(breakpoint()))\n"
        b"def g():\n    import q as qq\n    from rdb import x\n"
    ),
    "clean.py": b"x = 1\nbreakpoint = 2\nimport pdbpp\nfrom pdb.x import y\nobj.breakpoint()\n",
    "relative.py": b"from . import pdb\nfrom .pdb import x\n",
    "bpdb.py": b"import bpdb\nimport wdb, pydevd_pycharm, rpdb, pdbr\n",
    "crlf.py": b"import pdb\r\nbreakpoint()\r\n",
    "cr.py": b"import pdb\rbreakpoint()\r",
    "latin1.py": b"# -*- coding: latin-1 -*-\nx = '\xe9'\nimport q\n",
    "bom.py": b"\xef\xbb\xbfimport rdb\n",
    # names not spelled as ASCII: NFKC makes the fullwidth name pdb; UTF-7 spells "pdb"
    # as "+AHA-db", and a name as its bytes under another coding comment
    "fullwidth.py": "import \uff50\uff44\uff42\nbreakpoin\uff54()\n".encode(),
    "utf7.py": b"# coding: utf-7\nimport +AHA-db\nx = 1\n",
    "utf8_cookie.py": b"# -*- coding: utf-8 -*-\nimport ipdb\n",
    "cookie_line2.py": b"#!/usr/bin/env python\n# vim: set fileencoding=ascii :\nimport wdb\n",
    "unknown_cookie.py": b"# coding: nonesuch\nimport pdb\n",
    # a coding comment on line 2 counts only after a comment or blank line 1: here the
    # source is UTF-8, where "+++++++breakpoint()" is a call (under UTF-7, base64 noise)
    "cookie_after_code.py": b"x = 1\n# coding: utf-7\ny = 1 +" + b"+" * 6 + b"breakpoint()\n",
    "cookie_in_string.py": b'"""\n# coding: utf-7\n"""\ny = 1 +' + b"+" * 6 + b"breakpoint()\n",
    # non-ASCII text: names are searched in it as the parser reads it
    "nonascii.py": "# caf\u00e9 \u2603\nx = '\u00fc'\nimport pdb\n".encode(),
    "nonascii_clean.py": "x = '\u00fc\u00df'  # \u4e2d\u6587\ny = x\n".encode(),
    "fullwidth_q.py": "s = '\u00e9'\nimport \uff51\n".encode(),
    "cp1251.py": b"# coding: cp1251\nx = '\xe9\xf0'\nbreakpoint()\n",
    "bom_nonascii.py": "\ufeffx = '\u00e9'\nfrom ipdb import set_trace\n".encode(),
    # words the hook does not report, beside one it does
    "words.py": b"q = 1\nmypdb = q\npdb_path = 'pdb'\nx.breakpoint()\nimport pdb.x\n",
    "continued.py": b"import os, \\\n    pdb\nfrom \\\n  q import z\n",
    "empty.py": b"",
    "syntax.py": b"def f(:\n",
    "null.py": b"x = 1\x00\n",
    "invalid_utf8.py": b"x = '\xff'\n",
    "binary.py": bytes(range(256)),
}

FIXERS = {
    "trailing-whitespace-fixer": [
        [],
        ["--markdown-linebreak-ext=md"],
        ["--markdown-linebreak-ext=*"],
        ["--markdown-linebreak-ext", "md,MARKDOWN", "--markdown-linebreak-ext=.mdx"],
        ["--chars", " "],
        ["--chars= \t\x0c"],
        ["--chars", "xé"],
        ["--no-markdown-linebreak-ext", "--markdown-linebreak-ext=md"],
    ],
    "end-of-file-fixer": [[]],
    "mixed-line-ending": [
        [],
        ["--fix=auto"],
        ["--fix=no"],
        ["--fix=lf"],
        ["--fix=crlf"],
        ["-f", "cr"],
    ],
    "fix-byte-order-marker": [[]],
}

# arguments argparse refuses, or answers with help: same status and message, no file read
BAD_ARGS = {
    "trailing-whitespace-fixer": [
        ["--bogus"],
        ["-h"],
        ["--markdown-linebreak-ext="],
        ["--markdown-linebreak-ext=a.b"],
        ["--markdown-linebreak-ext=md,x/y"],
        ["--no-markdown-linebreak-ext", "--markdown-linebreak-ext=a:b"],
        ["--chars"],
        ["--markdown"],
    ],
    "end-of-file-fixer": [["--bogus"], ["--help"]],
    "check-yaml": [["--bogus"], ["-h"], ["--unsafe=1"]],
    "check-toml": [["-x"], ["-h"]],
    "check-json": [["--bogus"], ["-h"]],
    "check-merge-conflict": [["--bogus"], ["-h"], ["--assume"]],
    "check-case-conflict": [["--bogus"], ["-h"]],
    "debug-statement-hook": [["--bogus"], ["-h"]],
    "check-added-large-files": [["--maxkb=abc"], ["--maxkb"], ["-h"], ["--enforce"]],
    "mixed-line-ending": [["--fix=bogus"], ["--fix"], ["-h"], ["-f"]],
    "fix-byte-order-marker": [["--bogus"], ["-h"]],
}


def test_every_entry_has_bad_argument_cases() -> None:
    assert set(BAD_ARGS) == set(ENTRIES)


@pytest.mark.parametrize(
    ("entry", "args"),
    [(entry, args) for entry, cases in FIXERS.items() for args in cases],
    ids=lambda v: v if isinstance(v, str) else " ".join(v) or "-",
)
def test_fixers_on_edge_cases(fast: Callable[[str], FastPath], entry: str, args: list[str]) -> None:
    outcomes = compare_each(fast, entry, args, TEXT)
    assert "same" in outcomes


@pytest.mark.parametrize("entry", sorted(FIXERS))
def test_fixers_on_a_5_mb_file(fast: Callable[[str], FastPath], entry: str) -> None:
    files = {"big.txt": BIG, "big.md": BIG, "big_bom.txt": b"\xef\xbb\xbf" + BIG}
    assert compare(fast, entry, FIXERS[entry][0], files) == "same"


@pytest.mark.parametrize(
    ("entry", "args"),
    [(entry, args) for entry, cases in BAD_ARGS.items() for args in cases],
    ids=lambda v: v if isinstance(v, str) else " ".join(v),
)
@pytest.mark.parametrize("columns", [None, "40"])
def test_bad_arguments_and_help(
    fast: Callable[[str], FastPath],
    monkeypatch: pytest.MonkeyPatch,
    entry: str,
    args: list[str],
    columns: str | None,
) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)  # help and usage wrap at its width
    files = {"a.txt": b"a \n"}
    assert compare(fast, entry, args, files, setup=git_repo()) == "same"


def test_file_names_that_look_like_options(fast: Callable[[str], FastPath]) -> None:
    files = {"-x.txt": b"a \n", "--fix=lf": b"a\r\nb\n", "b.txt": b"b"}
    for entry in ("trailing-whitespace-fixer", "end-of-file-fixer", "mixed-line-ending"):
        assert compare(fast, entry, [], files) == "same"
        assert compare(fast, entry, [], files, names=["--", *sorted(files)]) == "same"


def test_repeated_absolute_and_symlinked_names(fast: Callable[[str], FastPath]) -> None:
    """A name given twice is read again (fixed once, reported once); absolute names and
    symlinks are followed as open() follows them."""
    files = {"a.txt": b"a \r\nb\n\n", "t.md": b"x  \n\n", "\u00e9.txt": b"\xef\xbb\xbfe"}

    def with_links(setup: Setup | None) -> Setup:
        def prepare(path: Path) -> None:
            (path / "link.txt").symlink_to("a.txt")
            (path / "abs.md").symlink_to(path / "t.md")
            if setup is not None:
                setup(path)

        return prepare

    names = ["a.txt", "link.txt", "a.txt", "abs.md", "t.md", "\u00e9.txt", "\u00e9.txt"]
    for entry in [*FIXERS, "check-added-large-files", "check-merge-conflict"]:
        args = {
            "check-added-large-files": ["--maxkb=0", "--enforce-all"],
            "check-merge-conflict": ["--assume-in-merge"],
        }.get(entry, [])
        setup = with_links(git_repo() if entry.startswith("check-") else None)
        unordered = entry == "check-added-large-files"
        outcome = compare(fast, entry, args, files, names=names, setup=setup, unordered=unordered)
        assert outcome == "same", entry


@pytest.mark.parametrize(
    "args",
    [[], ["-m"], ["--multi"], ["--allow-multiple-documents"], ["--unsafe"], ["--unsafe", "-m"]],
)
def test_check_yaml_on_edge_cases(fast: Callable[[str], FastPath], args: list[str]) -> None:
    def warned_or_crashed(output: bytes) -> bool:  # ruamel.yaml's warnings name its files
        return crashed(output) or b"Warning" in output

    outcomes = compare_each(fast, "check-yaml", args, YAML, may_refuse=warned_or_crashed)
    assert outcomes.count("same") >= 2


def test_check_json_on_edge_cases(fast: Callable[[str], FastPath]) -> None:
    assert "same" in compare_each(fast, "check-json", [], JSON)


def test_check_toml_on_edge_cases(fast: Callable[[str], FastPath]) -> None:
    assert "same" in compare_each(fast, "check-toml", [], TOML)


def test_debug_statements_on_edge_cases(fast: Callable[[str], FastPath]) -> None:
    def unparsable(output: bytes) -> bool:  # its message is a traceback through its source
        return crashed(output) or b"Could not parse ast" in output

    outcomes = compare_each(fast, "debug-statement-hook", [], PYTHON, may_refuse=unparsable)
    assert "same" in outcomes
    assert (
        compare(
            fast, "debug-statement-hook", [], {"s.py": PYTHON["syntax.py"]}, may_refuse=unparsable
        )
        == "refused"
    )


@pytest.mark.parametrize(
    ("args", "merge"),
    [([], False), ([], True), (["--assume-in-merge"], False), (["--assume-in-merge"], True)],
)
def test_check_merge_conflict(
    fast: Callable[[str], FastPath], args: list[str], merge: bool
) -> None:
    files = {k: v for k, v in TEXT.items() if k != "binary.bin"}
    assert compare(fast, "check-merge-conflict", args, files, setup=git_repo(merge=merge)) == "same"


def test_check_merge_conflict_outside_a_repository(fast: Callable[[str], FastPath]) -> None:
    # the real hook dies in git rev-parse: the fast path refuses
    assert compare(fast, "check-merge-conflict", [], {"a.txt": b"x\n"}) == "refused"


def test_check_case_conflict(fast: Callable[[str], FastPath]) -> None:
    files = {
        "README.md": b"",
        "readme.md": b"",
        "src/a.py": b"",
        "SRC/b.py": b"",
        "docs/Index.rst": b"",
        "other.txt": b"",
        "Other.TXT": b"",
        "é.txt": b"",
        "É.txt": b"",
    }
    for staged, names in [
        ((), ["readme.md"]),
        (("README.md",), ["readme.md"]),
        (("README.md", "src/a.py"), ["SRC/b.py", "other.txt"]),
        (("other.txt", "Other.TXT"), ["docs/Index.rst"]),
        (("docs/Index.rst",), ["DOCS/index.rst"]),
        (("é.txt",), ["É.txt"]),
        ((), sorted(files)),
        ((), []),
    ]:
        assert (
            compare(fast, "check-case-conflict", [], files, names=names, setup=git_repo(*staged))
            == "same"
        )


@pytest.mark.parametrize(
    "args", [[], ["--maxkb=1"], ["--maxkb", "0", "--enforce-all"], ["--enforce-all", "--maxkb=4"]]
)
def test_check_added_large_files(fast: Callable[[str], FastPath], args: list[str]) -> None:
    files = {
        "small.txt": b"x" * 100,
        "one_kb.txt": b"x" * 1024,
        "just_over.txt": b"x" * 1025,
        "big.bin": b"x" * 5000,
        "big.lfs": b"x" * 5000,
        "unstaged.txt": b"x" * 9000,
        "empty.txt": b"",
        ".gitattributes": b"*.lfs filter=lfs diff=lfs merge=lfs -text\n",
    }
    staged = [n for n in files if n != "unstaged.txt"]
    assert (
        compare(
            fast,
            "check-added-large-files",
            args,
            files,
            setup=git_repo(*staged),
            unordered=True,  # the real hook prints in a set's (randomized) order
        )
        == "same"
    )


def test_check_added_large_files_outside_a_repository(fast: Callable[[str], FastPath]) -> None:
    outcome = compare(fast, "check-added-large-files", [], {"a.txt": b"x" * 2000})
    assert outcome == "refused"


def test_missing_and_unreadable_files_are_refused(fast: Callable[[str], FastPath]) -> None:
    for entry in ENTRIES:
        if entry in ("check-case-conflict", "check-added-large-files"):
            continue  # only stat()/git: a missing file is a name like any other
        args = ["--assume-in-merge"] if entry == "check-merge-conflict" else []
        files = {"a.txt": b"a \r\nb\n\n", "c.txt": b"c \n"}
        outcome = compare(
            fast, entry, args, files, names=["a.txt", "missing.txt", "c.txt"], setup=git_repo()
        )
        assert outcome == "refused", entry


@pytest.mark.parametrize("entry", sorted(FIXERS))
def test_a_refusal_rolls_back_earlier_fixes(
    fast: Callable[[str], FastPath], tmp_path: Path, entry: str
) -> None:
    """The real hook would fix a.txt, then die on the missing file: the runner reruns it on
    an a.txt as it was, so that it reports the fix."""
    content = b"\xef\xbb\xbfa \r\nb\n\n"
    (tmp_path / "a.txt").write_bytes(content)
    with pytest.raises(FastPathError):
        fast(entry)([], ["a.txt", "missing.txt"], tmp_path)
    assert (tmp_path / "a.txt").read_bytes() == content


# ---------------------------------------------------------------------------- hypothesis

_TEXT_TOKENS = [
    b"a", b"bc", b" ", b"  ", b"\t", b"\x0b", b"\x0c", b"\r", b"\n", b"\r\n", b"\n\n",
    b"\xef\xbb\xbf", b"\xff", b"\x00", "é".encode(), "\u00a0".encode(),
    b"<<<<<<< ", b"=======", b"======= ", b">>>>>>> ",
]  # fmt: skip
_YAML_TOKENS = [
    b"a", b"b", b": ", b":", b"- ", b"-", b"\n", b"\r\n", b"  ", b"\t", b"&x ", b"*x", b"---",
    b"...", b"!t ", b"!!str ", b"!!int ", b"[", b"]", b"{", b"}", b", ", b"'", b'"', b"#",
    b"? ", b"|", b">", b"1", b"1.5", b"1e3", b"%YAML 1.2\n", b"%TAG ! tag:x,2000:\n",
    "é".encode(), b"<<: ", b"null", b"~",
]  # fmt: skip
_JSON_TOKENS = [
    b"{", b"}", b"[", b"]", b'"a"', b'"b"', b'"\\u00e9"', b":", b",", b"1", b"-0.5e3", b"true",
    b"null", b"NaN", b" ", b"\n", b'"', b"\\", "é".encode(), b"\xff", b"\xef\xbb\xbf",
]  # fmt: skip
_TOML_TOKENS = [
    b"a", b"b", b" = ", b"=", b"1", b'"x"', b"'y'", b"[t]", b"[[u]]", b"\n", b"\r\n", b"\r",
    b"[", b"]", b"{", b"}", b", ", b"#", b"1979-05-27", b"T07:32:00Z", b"inf", b'"""', b".",
    "é".encode(), b" ",
]  # fmt: skip
_PYTHON_TOKENS = [
    b"import pdb", b"import os, ipdb", b"from q import x", b"from . import pdb", b"breakpoint()",
    b"f(breakpoint())", b"x = 1", b"\n", b"\r\n", b"def f():\n    ", b"    ", b"pass",
    b"import bpdb", b"# c", b"(", b")",
    # names the fast path's pre-filter must see through: coding comments, NFKC, words
    b"# coding: utf-7\n", b"# -*- coding: latin-1 -*-\n", b"import +AHA-db\n",
    "import \uff50db\n".encode(), b"q = 2\n", b"mypdb = 1", b"x.breakpoint()",
    "s = '\u00e9'\n".encode(), "import \uff51\n".encode(), b"y = 1 +++++++breakpoint()\n",
]  # fmt: skip


def _content(tokens: list[bytes], max_size: int = 30) -> st.SearchStrategy[bytes]:
    return st.lists(st.sampled_from(tokens), max_size=max_size).map(b"".join) | st.binary(
        max_size=40
    )


def _files(tokens: list[bytes], suffixes: Sequence[str]) -> st.SearchStrategy[Files]:
    names = st.tuples(st.sampled_from(["a", "B", "é", "x.y"]), st.sampled_from(suffixes))
    return st.dictionaries(
        names.map(lambda t: f"{t[0]}{t[1]}"), _content(tokens), min_size=1, max_size=6
    )


_HYPOTHESIS_CASES = {
    "trailing-whitespace-fixer": (_TEXT_TOKENS, [".txt", ".md", ".MD", ".markdown"]),
    "end-of-file-fixer": (_TEXT_TOKENS, [".txt"]),
    "mixed-line-ending": (_TEXT_TOKENS, [".txt"]),
    "fix-byte-order-marker": (_TEXT_TOKENS, [".txt"]),
    "check-merge-conflict": (_TEXT_TOKENS, [".txt"]),
    "check-yaml": (_YAML_TOKENS, [".yaml"]),
    "check-json": (_JSON_TOKENS, [".json"]),
    "check-toml": (_TOML_TOKENS, [".toml"]),
    "debug-statement-hook": (_PYTHON_TOKENS, [".py"]),
}
_HYPOTHESIS_ARGS = {
    **FIXERS,
    "check-merge-conflict": [["--assume-in-merge"]],
    "check-yaml": [[], ["-m"], ["--unsafe"]],
    "check-json": [[]],
    "check-toml": [[]],
    "debug-statement-hook": [[]],
}


def _may_refuse(entry: str) -> Callable[[bytes], bool]:
    if entry == "check-yaml":
        return lambda output: crashed(output) or b"Warning" in output
    if entry == "debug-statement-hook":
        return lambda output: crashed(output) or b"Could not parse ast" in output
    return crashed


@pytest.mark.parametrize("entry", sorted(_HYPOTHESIS_CASES))
def test_generated_files(fast: Callable[[str], FastPath], entry: str) -> None:
    tokens, suffixes = _HYPOTHESIS_CASES[entry]
    setup = git_repo() if entry == "check-merge-conflict" else None

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(files=_files(tokens, suffixes), args=st.sampled_from(_HYPOTHESIS_ARGS[entry]))
    def check(files: Files, args: list[str]) -> None:
        outcomes.append(
            compare(fast, entry, args, files, setup=setup, may_refuse=_may_refuse(entry))
        )

    outcomes: list[str] = []
    check()
    assert "same" in outcomes  # not only files the real hook crashes on


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_stdout_and_stderr_share_one_pipe(
    fast: Callable[[str], FastPath], monkeypatch: pytest.MonkeyPatch, unbuffered: str
) -> None:
    """A block-buffered stdout reaches the pipe at exit, after stderr; an unbuffered one
    (PYTHONUNBUFFERED) when printed."""
    monkeypatch.setenv("PYTHONUNBUFFERED", unbuffered)
    args = ["--no-markdown-linebreak-ext", "--markdown-linebreak-ext=a:b"]
    assert compare(fast, "trailing-whitespace-fixer", args, {"a.txt": b"a \n"}) == "same"
    args = ["--no-markdown-linebreak-ext", "--markdown-linebreak-ext=md"]
    assert compare(fast, "trailing-whitespace-fixer", args, {"a.md": b"a   \n"}) == "same"


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_the_server_is_the_console_script(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, unbuffered: str
) -> None:
    """The forking oracle answers as a fresh interpreter does: status, output, order, files."""
    if _server is None:
        pytest.skip("no server: every comparison already runs a fresh interpreter")
    monkeypatch.setenv("PYTHONUNBUFFERED", unbuffered)
    files = {"a.md": b"a   \r\n", "b.yaml": b"a: [\n", "c.py": b"import pdb\n", "d.txt": b"x"}
    cases = [
        (
            "trailing-whitespace-fixer",
            ["--no-markdown-linebreak-ext", "--markdown-linebreak-ext=:"],
        ),
        ("trailing-whitespace-fixer", ["--no-markdown-linebreak-ext"]),
        ("trailing-whitespace-fixer", ["-h"]),
        ("mixed-line-ending", ["--fix=x"]),
        ("end-of-file-fixer", []),
        ("check-yaml", []),
        ("check-yaml", ["--unsafe"]),
        ("debug-statement-hook", []),
        ("check-json", []),  # its tracebacks too: a missing file
    ]
    for i, (entry, args) in enumerate(cases):
        names = [*sorted(files), "missing"] if entry == "check-json" else sorted(files)
        results = []
        for how, run in (("process", run_process), ("server", _server.run)):
            where = tmp_path / f"{i}-{how}"
            populate(where, files, None)
            status, output = run(entry, args, names, where)
            if crashed(output):  # the last line names the error; the frames' paths differ
                output = output.splitlines()[-1]
            results.append((status, output, snapshot(where)))
        assert results[0] == results[1], (entry, args)


# ------------------------------------------------------------------------- fast_path_for


def test_the_oracle_is_a_supported_release(clone: Path) -> None:
    version = next(
        line.split("=", 1)[1].strip()
        for line in (clone / "setup.cfg").read_text().splitlines()
        if line.startswith("version")
    )
    assert version in SUPPORTED_VERSIONS
    for entry in ENTRIES:
        if not ENTRIES[entry].usable():
            continue
        assert fast_path_for(entry, clone) is not None, entry


def _copy(clone: Path, dest: Path) -> Path:
    shutil.copytree(clone / "pre_commit_hooks", dest / "pre_commit_hooks")
    shutil.copy(clone / "setup.cfg", dest / "setup.cfg")
    return dest


def test_fast_path_for_refuses_what_it_does_not_match(clone: Path, tmp_path: Path) -> None:
    assert fast_path_for("no-such-hook", clone) is None
    assert fast_path_for("check-ast", clone) is None  # a real hook we do not implement
    assert fast_path_for("trailing-whitespace-fixer", None) is None
    assert fast_path_for("trailing-whitespace-fixer", tmp_path / "missing") is None
    assert fast_path_for("trailing-whitespace-fixer --chars x", clone) is None

    other = tmp_path / "other"  # another repo that happens to have the same files
    _copy(clone, other)
    cfg = (other / "setup.cfg").read_text().replace("pre_commit_hooks", "my_hooks")
    (other / "setup.cfg").write_text(cfg)
    assert fast_path_for("trailing-whitespace-fixer", other) is None

    for version in ("3.4.0", "4.2.0", "6.0.1", "7.0.0", ""):
        old = _copy(clone, tmp_path / f"v{version}")
        text = "[metadata]\nname = pre_commit_hooks\nversion = " + version + "\n"
        (old / "setup.cfg").write_text(text)
        assert fast_path_for("trailing-whitespace-fixer", old) is None, version

    edited = _copy(clone, tmp_path / "edited")  # the right version, but changed source
    module = edited / "pre_commit_hooks" / "end_of_file_fixer.py"
    module.write_text(module.read_text() + "\n# patched\n")
    assert fast_path_for("end-of-file-fixer", edited) is None
    assert fast_path_for("trailing-whitespace-fixer", edited) is not None
    (edited / "pre_commit_hooks" / "util.py").write_text("")
    assert fast_path_for("check-merge-conflict", edited) is None  # util.py is part of it

    crlf = _copy(clone, tmp_path / "crlf")  # a checkout with core.autocrlf
    module = crlf / "pre_commit_hooks" / "check_json.py"
    module.write_bytes(module.read_bytes().replace(b"\n", b"\r\n"))
    assert fast_path_for("check-json", crlf) is not None

    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / "setup.cfg").write_bytes(b"\xff[[[")
    assert fast_path_for("check-json", tmp_path / "garbage") is None


def test_version_differences(clone: Path) -> None:
    """4.3.0 and 4.4.0 do not know bpdb, and misspell one word of check-yaml's help."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "a.py").write_bytes(b"import bpdb\n")
        new = hooks.debug_statement_hook("6.0.0")
        old = hooks.debug_statement_hook("4.4.0")
        assert FastHook("debug-statement-hook", "6.0.0", new)([], ["a.py"], Path(tmp))[0] == 1
        assert FastHook("debug-statement-hook", "4.4.0", old)([], ["a.py"], Path(tmp)) == (0, b"")
        _, help_old = FastHook("check-yaml", "4.4.0", hooks.check_yaml("4.4.0"))(
            ["-h"], [], Path(tmp)
        )
        assert b"contstructs" in help_old


def test_threads_share_nothing(fast: Callable[[str], FastPath], tmp_path: Path) -> None:
    """Batches of several hooks at once in threads each get their own output."""
    dirs = []
    for i in range(8):
        d = tmp_path / f"d{i}"
        d.mkdir()
        for j in range(20):
            (d / f"f{j}.txt").write_bytes(b"x \r\n" * (i + j) + b"y")
        (d / "c.yaml").write_bytes(b"a: [" if i % 2 else b"a: 1\n")
        dirs.append(d)
    results: dict[int, list[tuple[int, bytes]]] = {}

    def work(i: int) -> None:
        names = [f"f{j}.txt" for j in range(20)]
        results[i] = [
            fast("trailing-whitespace-fixer")([], names, dirs[i]),
            fast("end-of-file-fixer")([], names, dirs[i]),
            fast("check-yaml")([], ["c.yaml"], dirs[i]),
        ]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(8):
        tw, eof, yaml = results[i]
        fixed = sorted(f"Fixing f{j}.txt" for j in range(20) if i + j)
        assert tw[0] == 1 and sorted(tw[1].decode().splitlines()) == sorted(fixed)
        assert eof == (1, b"".join(f"Fixing f{j}.txt\n".encode() for j in range(20)))
        assert yaml[0] == i % 2
        assert all(b"\r\n" in (dirs[i] / f"f{j}.txt").read_bytes() or not i + j for j in range(20))


@pytest.mark.parametrize("entry", ["trailing-whitespace-fixer", "debug-statement-hook"])
def test_a_thousand_files(fast: Callable[[str], FastPath], entry: str) -> None:
    """A batch as large as pre-commit makes: one run, every file reported in order."""
    files = {f"d{i % 7}/f{i}.py": b"import os\n\nx = 1  \n" * (i % 5) for i in range(1000)}
    files.update({f"pdb{i}.py": b"import pdb\n" for i in range(50)})
    assert compare(fast, entry, [], files) == "same"


@given(
    data=st.lists(
        st.sampled_from([b" ", b"\t", b"\x0b", b"\x0c", b"\r", b"\n", b"\r\n", b"a", b"\xe9"])
    ).map(b"".join),
    markdown=st.booleans(),
)
def test_trailing_whitespace_is_looked_for_line_by_line_only_where_it_may_be(
    data: bytes, markdown: bool
) -> None:
    """The quick look of the trailing-whitespace fast path: where it finds nothing, the
    line-by-line fix changes nothing; and it finds exactly what "whitespace before a
    newline or at the end" does."""
    import io
    import re

    from pytest_hookrun.fastpaths.hooks import _may_have_trailing_whitespace, _process_line

    lines = io.BytesIO(data).readlines()
    fixed = b"".join(_process_line(line, markdown, None) for line in lines)
    quick = _may_have_trailing_whitespace(data)
    assert quick or fixed == data
    assert quick == bool(re.search(rb"[ \t\x0b\x0c\r](?:\n|\Z)", data))


def test_the_helper_is_started_for_the_hooks_whose_fast_paths_it_runs() -> None:
    """A config is searched for helper.HOOK_IDS before it is read: they must be the ids
    (in pre-commit-hooks' manifest) of the entries a helper runs."""
    manifest = {"debug-statements": "debug-statement-hook", "check-toml": "check-toml"}

    def runs(entry: str) -> bool:  # (in a helper, and long enough to share)
        return ENTRIES[entry].in_helper and ENTRIES[entry].ns_per_byte > 0

    assert set(HOOK_IDS) == set(manifest)
    assert {entry for entry in ENTRIES if runs(entry)} == set(manifest.values())
    assert not runs("check-yaml")  # ruamel.yaml is in site-packages, which a helper skips
    assert not runs("trailing-whitespace-fixer")  # too quick to share


def test_the_helper_hands_a_file_its_parser_warns_of_to_the_real_hook(tmp_path: Path) -> None:
    """The helper turns the parser's warnings into the fast path's refusal too
    (``PYTHONWARNINGS=always`` makes its interpreter show a 3.11 DeprecationWarning):
    the file goes to the real hook, here a stand-in that says it ran."""
    from pytest_hookrun import helper

    (tmp_path / "esc.py").write_text("import re\nimport pdb\nDIGITS = re.compile('\\d+')\n")
    (tmp_path / "fine.py").write_text("import pdb\n")
    fallback = [sys.executable, "-c", "import sys; print('real hook', sys.argv[1:]); exit(3)"]
    env = {**os.environ, "PYTHONWARNINGS": "always"}
    version = importlib.metadata.version("pre-commit-hooks")
    for name, status, out in (
        ("esc.py", 3, "real hook ['esc.py']\n"),
        ("fine.py", 1, "fine.py:1:0: pdb imported\n"),
    ):
        work = helper.request(
            "debug-statement-hook", version, [name], [*fallback, name], env, tmp_path
        )
        done = subprocess.run(
            helper.command(), input=work, capture_output=True, env=env, cwd=tmp_path
        )
        assert (done.returncode, done.stdout.decode()) == (status, out), done.stderr
        assert b"Warning" not in done.stderr
