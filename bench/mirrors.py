#!/usr/bin/env python3
"""Local git mirrors of real hook repositories, built from PyPI alone (no GitHub).

pre-commit, prek and pytest-hookrun clone a hook repository at a tag, read its
``.pre-commit-hooks.yaml`` and install it into an environment.  The real repositories
live on GitHub, which this machine cannot reach, so this module rebuilds each one in a
local git repository whose contents are close enough to the real one that all three
tools install and run it the same way:

- ``pre-commit-hooks``: the sdist of ``pre-commit-hooks==VERSION`` from PyPI
  (``pip download --no-binary :all: --no-deps``), which is the repository's Python
  package, ``setup.py`` and ``setup.cfg``, plus the ``.pre-commit-hooks.yaml`` the sdist
  leaves out (the real manifest's entries for the hooks of this benchmark and a few more;
  the hooks are unchanged since pre-commit-hooks 4.x, only ``stages`` were renamed).
  Tagged ``vVERSION``.
- ``ruff-pre-commit``: the real repository is a ``pyproject.toml`` depending on
  ``ruff==VERSION`` plus the manifest; the wheel of ruff comes from PyPI at install time.
  Tagged ``vVERSION``.
- ``black-pre-commit-mirror``: the real repository is the same kind (a ``pyproject.toml``
  depending on ``black==VERSION``, mypyc-compiled wheels from PyPI, plus the manifest).
  Tagged ``VERSION`` (no ``v``, as upstream).
- ``isort``, ``codespell``, ``yamllint``: the real repositories are the projects' own
  sources, which pip builds at install time.  Their mirrors are a ``pyproject.toml``
  depending on the PyPI release at the pinned version, plus the upstream manifest; pip
  then installs the release's wheel instead of building one (a little cheaper than the
  real repositories, for every tool alike).  Tagged as upstream tags: ``VERSION`` for
  isort, ``vVERSION`` for codespell and yamllint.
- ``mirrors-prettier`` (a ``language: node`` repo): the real repository is a placeholder
  ``package.json`` plus the manifest, whose ``additional_dependencies`` name
  ``prettier@VERSION``; prettier comes from the npm registry at install time.  Tagged
  ``vVERSION``.

Each mirror is one commit with a fixed author and date, so a mirror built twice has the
same commit id.  A mirror that already exists with its tag is reused, so
``--mirrors DIR`` (bench/remote.py) builds them once.

Usage on its own: ``python bench/mirrors.py DIR`` builds the mirrors in DIR and prints the
``repos:`` entries of a config that uses them.  Stdlib only (pip is run as a command).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # bench/_common.py, next to this file

PRE_COMMIT_HOOKS_VERSION = "6.0.0"
RUFF_VERSION = "0.17.6"
PRETTIER_VERSION = "3.10.1"
# Current releases (2026-11) that install on Python 3.11 (`pip index versions NAME`).
BLACK_VERSION = "26.10.1"
ISORT_VERSION = "9.0.2"
CODESPELL_VERSION = "2.4.3"
YAMLLINT_VERSION = "1.38.0"

# A fixed date: a mirror built twice gets the same commit id.
FIXED_DATES = {
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
}


def git(cwd: Path, *args: str) -> str:
    return _common.git(cwd, *args, env=FIXED_DATES)


# --------------------------------------------------------------------------- manifests

# pre-commit/pre-commit-hooks' .pre-commit-hooks.yaml (v5/v6), the entries of the hooks
# this benchmark uses and a few neighbours, field for field as upstream writes them.
PRE_COMMIT_HOOKS_MANIFEST = """\
-   id: check-added-large-files
    name: check for added large files
    description: prevents giant files from being committed.
    entry: check-added-large-files
    language: python
    stages: [pre-commit, pre-push, manual]
    minimum_pre_commit_version: 3.2.0
-   id: check-ast
    name: check python ast
    description: simply checks whether the files parse as valid python.
    entry: check-ast
    language: python
    types: [python]
-   id: check-case-conflict
    name: check for case conflicts
    description: checks for files that would conflict in case-insensitive filesystems.
    entry: check-case-conflict
    language: python
-   id: check-json
    name: check json
    description: checks json files for parseable syntax.
    entry: check-json
    language: python
    types: [json]
-   id: check-merge-conflict
    name: check for merge conflicts
    description: checks for files that contain merge conflict strings.
    entry: check-merge-conflict
    language: python
    types: [text]
-   id: check-toml
    name: check toml
    description: checks toml files for parseable syntax.
    entry: check-toml
    language: python
    types: [toml]
-   id: check-yaml
    name: check yaml
    description: checks yaml files for parseable syntax.
    entry: check-yaml
    language: python
    types: [yaml]
-   id: debug-statements
    name: debug statements (python)
    description: checks for debugger imports and py37+ `breakpoint()` calls in python source.
    entry: debug-statement-hook
    language: python
    types: [python]
-   id: detect-private-key
    name: detect private key
    description: detects the presence of private keys.
    entry: detect-private-key
    language: python
    types: [text]
-   id: end-of-file-fixer
    name: fix end of files
    description: ensures that a file is either empty, or ends with one newline.
    entry: end-of-file-fixer
    language: python
    types: [text]
    stages: [pre-commit, pre-push, manual]
    minimum_pre_commit_version: 3.2.0
-   id: fix-byte-order-marker
    name: fix utf-8 byte order marker
    description: removes utf-8 byte order marker.
    entry: fix-byte-order-marker
    language: python
    types: [text]
-   id: mixed-line-ending
    name: mixed line ending
    description: replaces or checks mixed line ending.
    entry: mixed-line-ending
    language: python
    types: [text]
-   id: trailing-whitespace
    name: trim trailing whitespace
    description: trims trailing whitespace.
    entry: trailing-whitespace-fixer
    language: python
    types: [text]
    stages: [pre-commit, pre-push, manual]
    minimum_pre_commit_version: 3.2.0
"""

# astral-sh/ruff-pre-commit's manifest (ruff 0.16/0.17): ruff-check, ruff-format and the
# legacy id `ruff`.
RUFF_MANIFEST = """\
- id: ruff-check
  name: ruff check
  description: "Run 'ruff check' for extremely fast Python linting"
  entry: ruff check --force-exclude
  language: python
  types_or: [python, pyi, jupyter]
  args: []
  require_serial: true
  additional_dependencies: []
  minimum_pre_commit_version: "2.9.2"

- id: ruff-format
  name: ruff format
  description: "Run 'ruff format' for extremely fast Python formatting"
  entry: ruff format --force-exclude
  language: python
  types_or: [python, pyi, jupyter]
  args: []
  require_serial: true
  additional_dependencies: []
  minimum_pre_commit_version: "2.9.2"

- id: ruff
  name: ruff (legacy alias)
  description: "Run 'ruff check' for extremely fast Python linting"
  entry: ruff check --force-exclude
  language: python
  types_or: [python, pyi, jupyter]
  args: []
  require_serial: true
  additional_dependencies: []
  minimum_pre_commit_version: "2.9.2"
"""

# psf/black-pre-commit-mirror's manifest, as upstream writes it (black and black-jupyter).
BLACK_MANIFEST = """\
- id: black
  name: black
  description: "Black: The uncompromising Python code formatter"
  entry: black
  stages: [pre-commit, pre-merge-commit, pre-push, manual]
  language: python
  minimum_pre_commit_version: 2.9.2
  require_serial: true
  types_or: [python, pyi]
- id: black-jupyter
  name: black-jupyter
  description:
    "Black: The uncompromising Python code formatter (with Jupyter Notebook support)"
  entry: black
  stages: [pre-commit, pre-merge-commit, pre-push, manual]
  language: python
  minimum_pre_commit_version: 2.9.2
  require_serial: true
  types_or: [python, pyi, jupyter]
  additional_dependencies: [".[jupyter]"]
"""

# PyCQA/isort's manifest (isort 5.13 and later).
ISORT_MANIFEST = """\
-   id: isort
    name: isort
    entry: isort
    stages: [pre-commit, pre-merge-commit, pre-push, manual]
    require_serial: true
    language: python
    types_or: [cython, pyi, python]
    args: ['--filter-files']
    minimum_pre_commit_version: '3.2.0'
"""

# codespell-project/codespell's manifest.
CODESPELL_MANIFEST = """\
-   id: codespell
    name: codespell
    description: Checks for common misspellings in text files.
    entry: codespell
    language: python
    types: [text]
    args: []
    require_serial: false
    additional_dependencies: []
"""

# adrienverge/yamllint's manifest.
YAMLLINT_MANIFEST = """\
---

# For use with pre-commit.
# See usage instructions at https://pre-commit.com

- id: yamllint
  name: yamllint
  description: This hook runs yamllint.
  entry: yamllint
  language: python
  types: [file, yaml]
"""


# pre-commit/mirrors-prettier's manifest and package.json (its generator fills in the
# version; the curly-brace note is upstream's own).
PRETTIER_MANIFEST = """\
-   id: prettier
    name: prettier
    description: ''
    entry: prettier --write --list-different --ignore-unknown
    language: node
    'types': [text]
    args: []
    require_serial: false
    additional_dependencies: ["prettier@{version}"]
    minimum_pre_commit_version: '0'
"""
PRETTIER_PACKAGE_JSON = """\
{
    "name": "placeholder_package",
    "description": "Note: double curly-braces because python .format",
    "version": "0.0.0"
}
"""


# --------------------------------------------------------------------------- building


@dataclass(frozen=True)
class Mirror:
    """One local hook repository: what a config's `repo:` and `rev:` point at."""

    name: str  # the upstream repository it stands for, owner/name
    path: Path
    rev: str

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()  # file:///...


def _commit_and_tag(path: Path, tag: str, message: str) -> None:
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message)
    git(path, "tag", tag)


def _has_tag(path: Path, tag: str) -> bool:
    if not (path / ".git").exists():
        return False
    done = subprocess.run(
        ["git", "rev-parse", "-q", "--verify", f"refs/tags/{tag}"],
        cwd=path,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _pip_download_sdist(
    requirement: str, dest: Path, python: str, env: Mapping[str, str] | None
) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    argv = [python, "-m", "pip", "download", "--quiet", "--no-binary", ":all:", "--no-deps"]
    argv += ["--disable-pip-version-check", "-d", str(dest), requirement]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"pip download {requirement} failed:\n{done.stdout}{done.stderr}")
    found = sorted(dest.glob("*.tar.gz"))
    if len(found) != 1:
        raise RuntimeError(f"pip download {requirement}: expected one sdist, found {found}")
    return found[0]


def build_pre_commit_hooks(
    root: Path,
    version: str = PRE_COMMIT_HOOKS_VERSION,
    python: str = sys.executable,
    env: Mapping[str, str] | None = None,
) -> Mirror:
    path = root / "pre-commit-hooks"
    tag = f"v{version}"
    if _has_tag(path, tag):
        return Mirror("pre-commit/pre-commit-hooks", path, tag)
    shutil.rmtree(path, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="sdist-") as tmp:
        sdist = _pip_download_sdist(f"pre-commit-hooks=={version}", Path(tmp), python, env)
        with tarfile.open(sdist) as tar:
            top = tar.getnames()[0].split("/")[0]
            if sys.version_info >= (3, 12):
                tar.extractall(tmp, filter="data")
            else:
                tar.extractall(tmp)  # PyPI's sdist of a known package
        # A copy, not a move: the files then belong to us, not to the sdist's uid, which
        # git would refuse as "dubious ownership".
        shutil.copytree(Path(tmp) / top, path)
    # What the git repository has and the sdist adds: drop the build's leftovers.
    for extra in ("PKG-INFO", "pre_commit_hooks.egg-info"):
        target = path / extra
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    (path / ".pre-commit-hooks.yaml").write_text(PRE_COMMIT_HOOKS_MANIFEST, encoding="utf-8")
    _commit_and_tag(path, tag, f"pre-commit-hooks {version} (mirror of the PyPI sdist)")
    return Mirror("pre-commit/pre-commit-hooks", path, tag)


def _build_files_mirror(
    root: Path, dirname: str, upstream: str, tag: str, files: Mapping[str, str], message: str
) -> Mirror:
    """A mirror of a few files (the manifest and what installs the hooks), one commit."""
    path = root / dirname
    if _has_tag(path, tag):
        return Mirror(upstream, path, tag)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    _commit_and_tag(path, tag, message)
    return Mirror(upstream, path, tag)


@dataclass(frozen=True)
class PypiHookRepo:
    """A ``language: python`` hook repo mirrored as a pyproject.toml whose one dependency
    is the pinned PyPI release, plus the upstream manifest: pip installs the wheel."""

    dirname: str
    upstream: str  # owner/name
    package: str  # on PyPI
    manifest: str
    tag_prefix: str  # "v" when upstream tags vX.Y.Z
    project: str = ""  # the pyproject's name (default dirname; never the package itself)
    readme: str = ""  # a README.md, "{version}" filled in

    def build(self, root: Path, version: str) -> Mirror:
        pyproject = (
            f'[project]\nname = "{self.project or self.dirname}"\nversion = "0.0.0"\n'
            f'dependencies = [\n    "{self.package}=={version}",\n]\n'
        )
        files = {"pyproject.toml": pyproject, ".pre-commit-hooks.yaml": self.manifest}
        if self.readme:
            files["README.md"] = self.readme.replace("{version}", version)
        tag = f"{self.tag_prefix}{version}"
        message = f"Mirror: {self.package} {version}"
        return _build_files_mirror(root, self.dirname, self.upstream, tag, files, message)


PYPI_HOOK_REPOS = {
    "ruff": PypiHookRepo(
        "ruff-pre-commit",
        "astral-sh/ruff-pre-commit",
        "ruff",
        RUFF_MANIFEST,
        "v",
        readme="# ruff-pre-commit (local mirror)\n\nA pre-commit hook for ruff "
        "{version}, installed from PyPI's wheels.\n",
    ),
    "black": PypiHookRepo(
        "black-pre-commit-mirror", "psf/black-pre-commit-mirror", "black", BLACK_MANIFEST, ""
    ),
    # The real isort, codespell and yamllint repos are the projects' sources.
    "isort": PypiHookRepo("isort", "pycqa/isort", "isort", ISORT_MANIFEST, "", "isort-mirror"),
    "codespell": PypiHookRepo(
        "codespell",
        "codespell-project/codespell",
        "codespell",
        CODESPELL_MANIFEST,
        "v",
        "codespell-mirror",
    ),
    "yamllint": PypiHookRepo(
        "yamllint", "adrienverge/yamllint", "yamllint", YAMLLINT_MANIFEST, "v", "yamllint-mirror"
    ),
}


def build_ruff_pre_commit(root: Path, version: str = RUFF_VERSION) -> Mirror:
    return PYPI_HOOK_REPOS["ruff"].build(root, version)


def build_mirrors_prettier(root: Path, version: str = PRETTIER_VERSION) -> Mirror:
    files = {
        "package.json": PRETTIER_PACKAGE_JSON,
        ".pre-commit-hooks.yaml": PRETTIER_MANIFEST.replace("{version}", version),
    }
    return _build_files_mirror(
        root,
        "mirrors-prettier",
        "pre-commit/mirrors-prettier",
        f"v{version}",
        files,
        f"Mirror: prettier {version}",
    )


def build_all(
    root: Path,
    *,
    pre_commit_hooks_version: str = PRE_COMMIT_HOOKS_VERSION,
    ruff_version: str = RUFF_VERSION,
    prettier_version: str = PRETTIER_VERSION,
    black_version: str = BLACK_VERSION,
    isort_version: str = ISORT_VERSION,
    codespell_version: str = CODESPELL_VERSION,
    yamllint_version: str = YAMLLINT_VERSION,
    python: str = sys.executable,
    env: Mapping[str, str] | None = None,
) -> dict[str, Mirror]:
    """Build (or reuse) every mirror under root; keyed by the upstream owner/name."""
    root.mkdir(parents=True, exist_ok=True)
    mirrors = [
        build_pre_commit_hooks(root, pre_commit_hooks_version, python, env),
        PYPI_HOOK_REPOS["ruff"].build(root, ruff_version),
        PYPI_HOOK_REPOS["black"].build(root, black_version),
        PYPI_HOOK_REPOS["isort"].build(root, isort_version),
        PYPI_HOOK_REPOS["codespell"].build(root, codespell_version),
        PYPI_HOOK_REPOS["yamllint"].build(root, yamllint_version),
        build_mirrors_prettier(root, prettier_version),
    ]
    return {m.name: m for m in mirrors}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python bench/mirrors.py DIR", file=sys.stderr)
        return 2
    mirrors = build_all(Path(argv[0]))
    print("repos:")
    for mirror in mirrors.values():
        print(f"  - repo: {mirror.url} # {mirror.name}\n    rev: {mirror.rev}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
