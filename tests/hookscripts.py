"""Small hook programs for the differential tests, written once to a shared directory.

Every script is a plain Python file run as ``python SCRIPT [ARGS...] [FILE...]``; the
options come first (the hook's ``args``), the file names last, as pre-commit passes
them. They work on bytes, so binary files and odd encodings never crash them, and each
one touches only the files it is given (except ``touchfixed``, which is meant for
``pass_filenames: false`` hooks and writes the one file named in its arguments).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

SCRIPTS: dict[str, str] = {
    # writers -------------------------------------------------------------------------
    "upper": """
        for name in present(files):
            data = read(name)
            write(name, data.upper())
    """,
    "rstrip": """
        # strip trailing blanks on every line (a trailing-whitespace fixer)
        for name in present(files):
            data = read(name)
            lines = data.split(b"\\n")
            write(name, b"\\n".join(line.rstrip(b" \\t") for line in lines))
    """,
    "header": """
        # add the header line (first argument) to files that lack it
        head, names = files[0].encode(), files[1:]
        for name in present(names):
            data = read(name)
            if not data.startswith(head):
                write(name, head + b"\\n" + data)
    """,
    "append": """
        token, names = files[0].encode(), files[1:]
        for name in present(names):
            write(name, read(name) + token)
    """,
    "prepend": """
        token, names = files[0].encode(), files[1:]
        for name in present(names):
            write(name, token + read(name))
    """,
    "sub": """
        old, new, names = files[0].encode(), files[1].encode(), files[2:]
        for name in present(names):
            write(name, read(name).replace(old, new))
    """,
    "mark": """
        # append one line naming the hook: the final files show which hook got which file
        tag, names = files[0].encode(), files[1:]
        for name in present(names):
            write(name, read(name) + b"\\n#" + tag + b"\\n")
    """,
    "fixfail": """
        # a fixer that also fails: appends "!" and exits 1
        for name in present(files):
            write(name, read(name) + b"!")
        status = 1 if files else 0
    """,
    "touchfixed": """
        # for pass_filenames: false: append a token to one named file
        target, token = files[0], files[1].encode()
        write(target, read(target) + token)
    """,
    "chmodx": """
        # make every file executable (content unchanged: only the mode moves)
        for name in present(files):
            os.chmod(name, os.stat(name).st_mode | 0o111)
    """,
    "rmempty": """
        # delete empty files
        for name in present(files):
            if not read(name):
                os.remove(name)
    """,
    "nul": """
        # append a NUL byte: the file turns binary for identify
        for name in present(files):
            write(name, read(name) + b"\\0")
    """,
    "relink": """
        # point every symlink it is given at README.md instead
        for name in present(files):
            os.remove(name)
            os.symlink("README.md", name)
    """,
    # readers -------------------------------------------------------------------------
    "check": """
        # fail when a file contains the pattern (first argument)
        needle, names = files[0].encode(), files[1:]
        for name in present(names):
            if needle in read(name):
                print(f"{name}: contains {files[0]!r}")
                status = 1
    """,
    "reject": """
        # fail as soon as it is given any file (a probe for the file filters)
        for name in present(files):
            print(f"got {name}")
            status = 1
    """,
    "exit1": """
        print("always fails")
        status = 1
    """,
    "sleep": """
        import time
        time.sleep(float(files[0]))
    """,
    "stamp": """
        # the workload of a slow hook: sleep, then record when it ran (time.time())
        # in a file outside the repository, one file per hook
        import time
        start = time.time()
        time.sleep(float(files[0]))
        with open(files[1], "w") as f:
            f.write(f"{start} {time.time()}\\n")
    """,
    "selfkill": """
        # dies of SIGKILL: no exit code, a signal
        import signal
        if files:
            os.kill(os.getpid(), signal.SIGKILL)
    """,
    "envcheck": """
        # hooks run at the repository root, with PRE_COMMIT=1 in their environment
        if os.environ.get("PRE_COMMIT") != "1" or not os.path.isdir(".git"):
            print("PRE_COMMIT:", os.environ.get("PRE_COMMIT"), "cwd:", os.getcwd())
            status = 1
    """,
    "noop": """
        pass
    """,
}

_PRELUDE = '''\
import os
import sys

files = sys.argv[1:]
status = 0


def present(names):
    """The names that exist; a missing one (deleted by an earlier hook) fails the hook."""
    global status
    for name in names:
        if os.path.lexists(name):
            yield name
        else:
            print(f"{name}: no such file")
            status = 1


def read(name):
    with open(name, "rb") as f:
        return f.read()


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


'''


def _dedent(body: str) -> str:
    lines = [line for line in body.splitlines() if line.strip()]
    indent = min(len(line) - len(line.lstrip()) for line in lines)
    return "\n".join(line[indent:] for line in body.splitlines()).strip("\n") + "\n"


def source(name: str) -> str:
    """The full program of script ``name``."""
    return _PRELUDE + _dedent(SCRIPTS[name]) + "\nsys.stdout.flush()\nsys.exit(status)\n"


def write_scripts(directory: Path) -> Path:
    """Write every script to ``directory`` (created) and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in SCRIPTS:
        (directory / f"{name}.py").write_text(source(name))
    return directory


def entry(directory: Path, name: str, *args: str) -> str:
    """A ``language: system`` entry that runs script ``name`` with ``args`` first."""
    return shlex.join([sys.executable, "-S", str(directory / f"{name}.py"), *args])
