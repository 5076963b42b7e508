"""Builders of real hook repositories, for the tests of remote repos and environments.

Each builder makes a git repository under a directory it is given and returns a
:class:`HookRepo`: its ``file://`` URL, a tag, and the commit sha of that tag. The
repositories are what a hook author publishes: a ``.pre-commit-hooks.yaml`` manifest
next to the package (python, node) or the scripts (script, system) that its hooks run.
pre-commit can install and run every one of them (except the golang one, which is
there to be skipped), so the same configs serve as the oracle of the differential test.

The hook programs are small and deterministic, print what they find with the file
name, and touch only the files they are given.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

# the words the python checker rejects, by revision: a test of a rev sees which one ran
WORD_V1 = "BAD"  # at the tag
WORD_MID = "EVIL"  # at a later commit that is neither a tag nor a branch tip
WORD_TIP = "NASTY"  # at the tip of the branch (HEAD of the hook repo)

# a Python package that exists on PyPI, small and pure (an additional_dependency)
PY_DEPENDENCY = "six==1.16.0"
PY_DEPENDENCY_MODULE = "six"
# an npm package, small and pure, that the node hook package does not depend on
NODE_DEPENDENCY = "is-odd@3.0.1"
NODE_DEPENDENCY_MODULE = "is-odd"
# names that no registry has: installing them must fail
MISSING_PY_PACKAGE = "hookrun-test-no-such-package-4f1c"
MISSING_NODE_PACKAGE = "hookrun-test-no-such-package-4f1c"


@dataclass(frozen=True)
class HookRepo:
    path: Path
    tag: str
    sha: str  # the commit of ``tag``
    revs: dict[str, str] = field(default_factory=dict)  # other named commits

    @property
    def url(self) -> str:
        return self.path.as_uri()


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ("git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args),
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(cwd),
            "GIT_AUTHOR_NAME": "Hook Author",
            "GIT_AUTHOR_EMAIL": "hooks@example.com",
            "GIT_COMMITTER_NAME": "Hook Author",
            "GIT_COMMITTER_EMAIL": "hooks@example.com",
            "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+0000",
            "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+0000",
            "GIT_CONFIG_NOSYSTEM": "1",
        },
    ).stdout.strip()


def _write(root: Path, files: dict[str, str], executable: tuple[str, ...] = ()) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        path.chmod(0o755 if name in executable else 0o644)


def _init(path: Path) -> None:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")


def _commit(path: Path, message: str) -> str:
    git(path, "add", "-A")
    git(path, "commit", "-q", "--no-verify", "-m", message)
    return git(path, "rev-parse", "HEAD")


def _manifest(hooks: list[dict[str, object]]) -> str:
    # JSON is YAML: no yaml dump needed, and the key order stays as written
    return "\n".join(["# hooks of a test repository", json.dumps(hooks, indent=2), ""])


# --------------------------------------------------------------------------- (a) python

PY_CHECK = '''
"""py-upper-check: fail when a file contains a forbidden word; print the file."""
import sys

WORD = {word!r}


def main() -> int:
    argv = sys.argv[1:]
    words = []
    while argv[:1] == ["--word"]:
        words.append(argv[1])
        argv = argv[2:]
    words = words or [WORD]
    status = 0
    for name in argv:
        with open(name, "rb") as f:
            data = f.read()
        for word in words:
            if word.encode() in data:
                print(f"{{word}} found in {{name}}")
                status = 1
    return status
'''

PY_FIX = '''
"""py-fixer: strip trailing spaces and tabs on every line; print each file fixed."""
import sys


def main() -> int:
    for name in sys.argv[1:]:
        with open(name, "rb") as f:
            data = f.read()
        fixed = b"\\n".join(line.rstrip(b" \\t") for line in data.split(b"\\n"))
        if fixed != data:
            with open(name, "wb") as f:
                f.write(fixed)
            print(f"fixed {name}")
    return 0
'''

PY_ENV = '''
"""py-env-check: the hook runs in its own environment, the one that has this package.

Fails unless VIRTUAL_ENV is this interpreter's prefix, the environment's bin comes
first on PATH, the console scripts resolve there, and (with --python X.Y) the
interpreter is that version. With --import MOD, also imports MOD and prints its file.
"""
import importlib
import os
import shutil
import sys


def real(path):
    return os.path.realpath(path)


def main() -> int:
    argv = sys.argv[1:]
    problems = []
    venv = os.environ.get("VIRTUAL_ENV", "")
    bindir = os.path.dirname(sys.executable)
    if not venv or real(venv) != real(sys.prefix):
        problems.append(f"VIRTUAL_ENV={{venv!r}} but sys.prefix={{sys.prefix!r}}")
    first = os.environ.get("PATH", "").split(os.pathsep)[0]
    if real(first) != real(bindir):
        problems.append(f"PATH starts with {{first!r}}, not {{bindir!r}}")
    tool = shutil.which("py-upper-check")
    if tool is None or real(os.path.dirname(tool)) != real(bindir):
        problems.append(f"py-upper-check resolves to {{tool!r}}")
    while argv:
        option, value, argv = argv[0], argv[1], argv[2:]
        if option == "--python":
            have = "%d.%d" % sys.version_info[:2]
            if have != value:
                problems.append(f"python {{have}}, not {{value}}")
        elif option == "--import":
            try:
                module = importlib.import_module(value)
            except ImportError as exc:
                problems.append(f"cannot import {{value}}: {{exc}}")
            else:
                print(f"imported {{value}} from {{module.__file__}}")
    print(f"env-check: python %d.%d in {{sys.prefix}}" % sys.version_info[:2])
    for problem in problems:
        print("env-check:", problem)
    return 1 if problems else 0
'''

PY_PYPROJECT = """
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "hookrun-test-py-hooks"
version = "{version}"
requires-python = ">=3.8"

[project.scripts]
py-upper-check = "hookrun_test_hooks.check:main"
py-fixer = "hookrun_test_hooks.fix:main"
py-env-check = "hookrun_test_hooks.env:main"

[tool.setuptools]
packages = ["hookrun_test_hooks"]
"""

PY_MANIFEST = [
    {
        "id": "py-upper-check",
        "name": "py upper check",
        "entry": "py-upper-check",
        "language": "python",
        "types": ["text"],
    },
    {
        "id": "py-fixer",
        "name": "py fixer",
        "entry": "py-fixer",
        "language": "python",
        "types": ["text"],
    },
    {
        "id": "py-env-check",
        "name": "py env check",
        "entry": "py-env-check",
        "language": "python",
        "pass_filenames": False,
        "always_run": True,
    },
    {
        # only at the manual stage, by the manifest
        "id": "py-manual-check",
        "name": "py manual check",
        "entry": "py-upper-check --word MANUAL",
        "language": "python",
        "types": ["text"],
        "stages": ["manual"],
    },
    {
        # the fixer, also only at the manual stage by the manifest
        "id": "py-manual-fixer",
        "name": "py manual fixer",
        "entry": "py-fixer",
        "language": "python",
        "types": ["text"],
        "stages": ["manual"],
    },
]


def python_repo(root: Path) -> HookRepo:
    """(a) A setuptools package with console scripts, and its manifest.

    Three commits: the tag ``v1.0`` (the checker rejects ``WORD_V1``), a commit ``mid``
    that is no ref's tip (rejects ``WORD_MID``), and ``main`` (rejects ``WORD_TIP``).
    """
    path = root / "py-hooks"
    _init(path)
    commits = {}
    for rev, word, version in (
        ("v1.0", WORD_V1, "1.0"),
        ("mid", WORD_MID, "1.1"),
        ("tip", WORD_TIP, "1.2"),
    ):
        _write(
            path,
            {
                "pyproject.toml": PY_PYPROJECT.format(version=version),
                "hookrun_test_hooks/__init__.py": "",
                "hookrun_test_hooks/check.py": PY_CHECK.format(word=word),
                "hookrun_test_hooks/fix.py": PY_FIX,
                "hookrun_test_hooks/env.py": PY_ENV.format(),
                ".pre-commit-hooks.yaml": _manifest(PY_MANIFEST),
                "README.md": f"test hooks, version {version}\n",
            },
        )
        commits[rev] = _commit(path, f"version {version}")
        if rev == "v1.0":
            git(path, "tag", "-a", "v1.0", "-m", "release 1.0")
    return HookRepo(path, "v1.0", commits["v1.0"], {"mid": commits["mid"], "tip": commits["tip"]})


GATE_VARIABLE = "HOOKREPOS_BUILD_GATE"

GATED_BACKEND = f'''
"""setuptools, except that build_wheel can be held: a test stops an install midway.

With ${GATE_VARIABLE} naming a directory, build_wheel creates ``started`` there, then
waits (at most two minutes) until ``release`` exists. Without it: plain setuptools.
"""
import os
import time

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    gate = os.environ.get("{GATE_VARIABLE}")
    if gate:
        open(os.path.join(gate, "started"), "w").close()
        deadline = time.monotonic() + 120
        while not os.path.exists(os.path.join(gate, "release")):
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
'''


def gated_python_repo(root: Path) -> HookRepo:
    """The python hook package of :func:`python_repo` (as at ``v1.0``), built by a
    backend whose ``build_wheel`` a test can hold (see ``GATED_BACKEND``)."""
    path = root / "py-hooks-gated"
    _init(path)
    pyproject = PY_PYPROJECT.format(version="1.0").replace(
        'build-backend = "setuptools.build_meta"',
        'build-backend = "gated_backend"\nbackend-path = ["_build"]',
    )
    _write(
        path,
        {
            "pyproject.toml": pyproject,
            "_build/gated_backend.py": GATED_BACKEND,
            "hookrun_test_hooks/__init__.py": "",
            "hookrun_test_hooks/check.py": PY_CHECK.format(word=WORD_V1),
            "hookrun_test_hooks/fix.py": PY_FIX,
            "hookrun_test_hooks/env.py": PY_ENV.format(),
            ".pre-commit-hooks.yaml": _manifest(PY_MANIFEST),
        },
    )
    sha = _commit(path, "gated build")
    git(path, "tag", "v1.0")
    return HookRepo(path, "v1.0", sha)


# --------------------------------------------------------------------------- (b) node

NODE_CHECK = """
#!/usr/bin/env node
// node-number-check: fail on lines that are a bare number (is-number decides)
'use strict';
const fs = require('fs');
const isNumber = require('is-number');
let status = 0;
for (const name of process.argv.slice(2)) {
  const lines = fs.readFileSync(name, 'latin1').split('\\n');
  lines.forEach((line, i) => {
    if (line.trim() !== '' && isNumber(line.trim())) {
      console.log(`${name}:${i + 1}: a bare number`);
      status = 1;
    }
  });
}
process.exit(status);
"""

NODE_FIX = """
#!/usr/bin/env node
// node-tab-fixer: tabs become two spaces; print each file fixed
'use strict';
const fs = require('fs');
for (const name of process.argv.slice(2)) {
  const data = fs.readFileSync(name, 'latin1');
  const fixed = data.replace(/\\t/g, '  ');
  if (fixed !== data) {
    fs.writeFileSync(name, fixed, 'latin1');
    console.log(`fixed ${name}`);
  }
}
"""

NODE_REQUIRE = """
#!/usr/bin/env node
// node-require: require each module named in argv; fail when one is missing
'use strict';
let status = 0;
for (const name of process.argv.slice(2)) {
  try {
    require(name);
    console.log(`required ${name}`);
  } catch (e) {
    console.log(`cannot require ${name}: ${e.code}`);
    status = 1;
  }
}
process.exit(status);
"""

NODE_PACKAGE = {
    "name": "hookrun-test-node-hooks",
    "version": "1.0.0",
    "description": "test hooks",
    "license": "MIT",
    "bin": {
        "node-number-check": "bin/check.js",
        "node-tab-fixer": "bin/fix.js",
        "node-require": "bin/require.js",
    },
    "dependencies": {"is-number": "7.0.0"},
}

NODE_MANIFEST = [
    {
        "id": "node-number-check",
        "name": "node number check",
        "entry": "node-number-check",
        "language": "node",
        "types": ["text"],
    },
    {
        "id": "node-tab-fixer",
        "name": "node tab fixer",
        "entry": "node-tab-fixer",
        "language": "node",
        "types": ["text"],
    },
    {
        "id": "node-require",
        "name": "node require",
        "entry": "node-require",
        "language": "node",
        "pass_filenames": False,
        "always_run": True,
    },
]


def node_repo(root: Path) -> HookRepo:
    """(b) An npm package with ``bin`` scripts and one real dependency (is-number)."""
    path = root / "node-hooks"
    _init(path)
    _write(
        path,
        {
            "package.json": json.dumps(NODE_PACKAGE, indent=2) + "\n",
            "bin/check.js": NODE_CHECK,
            "bin/fix.js": NODE_FIX,
            "bin/require.js": NODE_REQUIRE,
            ".pre-commit-hooks.yaml": _manifest(NODE_MANIFEST),
        },
        executable=("bin/check.js", "bin/fix.js", "bin/require.js"),
    )
    sha = _commit(path, "node hooks")
    git(path, "tag", "v1.0")  # a lightweight tag
    return HookRepo(path, "v1.0", sha)


# --------------------------------------------------------------------------- (c) script, system

SCRIPT_TODO = """
#!/bin/sh
# script-todo: fail on files that contain {word}, naming them
status=0
for f in "$@"; do
    if grep -q {word} "$f"; then
        echo "{word} in $f"
        status=1
    fi
done
exit $status
"""

# the word script-todo rejects, by revision (as for the python repo)
SCRIPT_WORD_V1 = "TODO"
SCRIPT_WORD_MID = "HACK"
SCRIPT_WORD_TIP = "XXX"


SCRIPT_FINAL_NEWLINE = """
#!/usr/bin/env python3
# script-final-newline: every non-empty file ends with exactly one newline
import sys

for name in sys.argv[1:]:
    with open(name, "rb") as f:
        data = f.read()
    fixed = data.rstrip(b"\\n") + b"\\n" if data.strip(b"\\n") else data
    if fixed != data:
        with open(name, "wb") as f:
            f.write(fixed)
        print(f"fixed {name}")
"""

SCRIPT_MANIFEST = [
    {
        "id": "script-todo",
        "name": "script todo",
        "entry": "hooks/todo.sh",
        "language": "script",
        "types": ["text"],
    },
    {
        "id": "script-final-newline",
        "name": "script final newline",
        "entry": "hooks/final_newline.py",
        "language": "script",
        "types": ["text"],
    },
    {
        # a system hook: the entry is found on PATH (sh), nothing is installed
        "id": "system-fixme",
        "name": "system fixme",
        "entry": "sh -c 'if grep -Hn FIXME \"$@\"; then exit 1; fi' --",
        "language": "system",
        "types": ["text"],
    },
    {
        # languages that need no environment, from a remote repo (as pre-commit/pygrep-hooks)
        "id": "pygrep-print",
        "name": "pygrep print",
        "entry": r"\bprint\(",
        "language": "pygrep",
        "types": ["python"],
    },
    {
        "id": "fail-rej",
        "name": "fail rej",
        "entry": "leftover .rej files",
        "language": "fail",
        "files": r"\.rej$",
    },
]


def script_repo(root: Path) -> HookRepo:
    """(c) Executable scripts inside the repository (``script``) and a ``system`` hook.

    Three commits, as for the python repo: ``v1.0`` (an annotated tag: script-todo
    rejects ``SCRIPT_WORD_V1``), ``mid`` (no ref's tip: ``SCRIPT_WORD_MID``) and the tip
    of ``main`` (``SCRIPT_WORD_TIP``).
    """
    path = root / "script-hooks"
    _init(path)
    commits = {}
    for rev, word in (("v1.0", SCRIPT_WORD_V1), ("mid", SCRIPT_WORD_MID), ("tip", SCRIPT_WORD_TIP)):
        _write(
            path,
            {
                "hooks/todo.sh": SCRIPT_TODO.format(word=word),
                "hooks/final_newline.py": SCRIPT_FINAL_NEWLINE,
                ".pre-commit-hooks.yaml": _manifest(SCRIPT_MANIFEST),
            },
            executable=("hooks/todo.sh", "hooks/final_newline.py"),
        )
        commits[rev] = _commit(path, f"script hooks rejecting {word}")
        if rev == "v1.0":
            git(path, "tag", "-a", "v1.0", "-m", "release 1.0")
    return HookRepo(path, "v1.0", commits["v1.0"], {"mid": commits["mid"], "tip": commits["tip"]})


# --------------------------------------------------------------------------- (d) unsupported

OTHER_MANIFEST = [
    {"id": "go-hook", "name": "go hook", "entry": "go-hook", "language": "golang"},
    {"id": "rust-hook", "name": "rust hook", "entry": "rust-hook", "language": "rust"},
    {"id": "docker-hook", "name": "docker hook", "entry": "docker-hook", "language": "docker"},
    {
        # a hook of this repo that needs no environment: it runs beside the skipped ones
        "id": "other-script",
        "name": "other script",
        "entry": "hooks/ok.sh",
        "language": "script",
        "pass_filenames": False,
        "always_run": True,
    },
]


def other_repo(root: Path) -> HookRepo:
    """(d) A manifest with hooks of languages the plugin does not install (golang, ...)."""
    path = root / "other-hooks"
    _init(path)
    _write(
        path,
        {
            "go.mod": "module example.com/gohook\n\ngo 1.21\n",
            "main.go": "package main\n\nfunc main() {}\n",
            "hooks/ok.sh": "#!/bin/sh\necho other-script ran\n",
            ".pre-commit-hooks.yaml": _manifest(OTHER_MANIFEST),
        },
        executable=("hooks/ok.sh",),
    )
    sha = _commit(path, "other hooks")
    git(path, "tag", "v1.0")
    return HookRepo(path, "v1.0", sha)


# --------------------------------------------------------------------------- (e) flake8


def flake8_repo(root: Path) -> HookRepo:
    """(e) A hook repo as pycqa/flake8's: its flake8 hook, in an environment of flake8 (and
    pyflakes, pycodestyle, mccabe) from the package index, and no plugin."""
    path = root / "flake8"
    _init(path)
    _write(
        path,
        {
            "pyproject.toml": """
                [build-system]
                requires = ["setuptools>=68"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "flake8-hook"
                version = "1"
                dependencies = ["flake8==7.3.0"]

                [tool.setuptools]
                py-modules = []
            """,
            ".pre-commit-hooks.yaml": _manifest(
                [
                    {
                        "id": "flake8",
                        "name": "flake8",
                        "entry": "flake8",
                        "language": "python",
                        "types": ["python"],
                        "require_serial": True,
                    }
                ]
            ),
        },
    )
    sha = _commit(path, "flake8 7.3.0")
    git(path, "tag", "7.3.0")
    return HookRepo(path, "7.3.0", sha)
