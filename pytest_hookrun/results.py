"""The result cache: a hook that passed on exactly the same inputs is not run again.

A hook's *definition key* covers what decides its behaviour besides its files:
its config and manifest keys, its environment (the store entry, or the
executable or script it runs), and the repo's tool config files (``pyproject.toml``,
``setup.cfg``, ``.flake8``, ...). Hooks known to judge each file on its own
(``filelocal_hooks.txt``, and every pygrep hook) are cached per file: after one
file changes, they run on that file only. Every other hook may read files it was
not given (mypy follows imports), so it is cached whole, on the content of every
tracked file. Only passes are recorded; failures, modifications and timeouts
never are.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shlex
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files as resource_files
from pathlib import Path
from typing import Any

from .config import Hook

# bump when the meaning of a key changes: old entries are ignored
FORMAT = 1

# names of tool config files: part of every hook's key, wherever they are in the tree
CONFIG_NAMES = frozenset(
    (
        "pyproject.toml",
        "setup.cfg",
        "tox.ini",
        ".flake8",
        "ruff.toml",
        ".ruff.toml",
        ".isort.cfg",
        ".codespellrc",
        ".yamllint",
        ".yamllint.yaml",
        ".yamllint.yml",
        ".editorconfig",
        ".pep8",  # autopep8
        ".pycodestyle",
        ".prettierrc",
        ".prettierrc.json",
        ".prettierrc.json5",
        ".prettierrc.yaml",
        ".prettierrc.yml",
        ".prettierrc.toml",
        ".prettierrc.js",
        ".prettierrc.cjs",
        ".prettierrc.mjs",
        ".prettierrc.ts",
        "prettier.config.js",
        "prettier.config.cjs",
        "prettier.config.mjs",
        "prettier.config.ts",
        ".prettierignore",
        "package.json",
        ".eslintrc",
        ".eslintrc.json",
        ".eslintrc.js",
        "eslint.config.js",
        ".mdformat.toml",
        "pyproject-fmt.toml",
        "typos.toml",
        "_typos.toml",
        ".typos.toml",
        "Cargo.toml",  # typos reads its [package.metadata.typos]
        ".pymarkdown",
        ".pymarkdown.yaml",
        ".pymarkdown.yml",
        "taplo.toml",
        ".taplo.toml",
        "zizmor.yml",
        "zizmor.yaml",
        "zizmor.toml",
        "actions.lock",  # zizmor takes the actions it pins as pinned
        ".clang-format",
        "_clang-format",
        ".clang-format-ignore",
        ".pydocstyle",
        ".pydocstyle.ini",
        ".pydocstylerc",
        ".pydocstylerc.ini",
        ".pep257",
        ".cmake-format",
        ".cmake-format.py",
        ".cmake-format.json",
        ".cmake-format.yaml",
        "cmake-format.py",
        "cmake-format.json",
        "cmake-format.yaml",
        ".hadolint.yaml",
        ".hadolint.yml",
        ".markdownlint.json",
        ".markdownlint.yaml",
        "mypy.ini",
        ".mypy.ini",
        ".pylintrc",
        "pylintrc",
        ".bandit",
        ".gitattributes",
        ".pre-commit-config.yaml",
        # a version manager's choice (pyenv, nvm, asdf, mise): one shim, another tool
        ".python-version",
        ".node-version",
        ".nvmrc",
        ".ruby-version",
        ".tool-versions",
        "mise.toml",
        ".mise.toml",
        # a project runner's lock file (`uv run ruff`, `npx prettier`, `poetry run black`):
        # one runner, another version of the tool
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "pixi.lock",
        "pixi.toml",  # and pixi's tasks, as hatch.toml holds hatch's scripts
        "hatch.toml",
        "Pipfile.lock",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "bun.lockb",
    )
)

# the tool configs that tools look for in the directories above the tree too, up to the
# filesystem's root (ruff, isort, yamllint, prettier, EditorConfig, mdformat, typos,
# clang-format, pyproject-fmt, pydocstyle, cmake-format)
_CLIMBING_NAMES = frozenset(
    (
        "pyproject.toml", "ruff.toml", ".ruff.toml", "setup.cfg", "tox.ini", ".isort.cfg",
        ".editorconfig", ".flake8", "package.json", ".mdformat.toml", "pyproject-fmt.toml",
        "Cargo.toml", "typos.toml", "_typos.toml", ".typos.toml", "taplo.toml", ".taplo.toml",
        "zizmor.yml", "zizmor.yaml", "zizmor.toml",
    )
)  # fmt: skip
_CLIMBING_PREFIXES = (
    ".prettierrc", "prettier.config.", ".yamllint", ".clang-format", "_clang", ".pydocstyle",
    ".pep257", ".cmake-format", "cmake-format.",
)  # fmt: skip
_CLIMBING_CONFIGS = tuple(
    sorted(n for n in CONFIG_NAMES if n in _CLIMBING_NAMES or n.startswith(_CLIMBING_PREFIXES))
)
# a tool's own config in the user's config directory ($XDG_CONFIG_HOME, else ~/.config):
# black's, ruff's, yamllint's, autopep8's, mypy's, pylint's
_USER_CONFIGS = (
    "black",
    "ruff/ruff.toml",
    "ruff/.ruff.toml",
    "ruff/pyproject.toml",
    "yamllint/config",
    "pep8",
    "pycodestyle",
    "mypy/config",
    "pylintrc",
    "hadolint.yaml",
    "hadolint.yml",
)
# ... in the home directory (and AWS's and boto's, whose keys detect-aws-credentials
# looks for), and named by environment variables
_HOME_CONFIGS = (
    ".mypy.ini",
    ".pylintrc",
    ".isort.cfg",
    ".editorconfig",
    ".hadolint.yaml",
    ".hadolint.yml",
    ".hadolint/hadolint.yaml",
    ".hadolint/hadolint.yml",
    ".hadolint/config.yaml",
    ".hadolint/config.yml",
    ".aws/credentials",
    ".aws/config",
    ".boto",
)
_CONFIG_VARIABLES = (
    "YAMLLINT_CONFIG_FILE",
    "PYLINTRC",
    "AWS_CONFIG_FILE",
    "AWS_CREDENTIAL_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "BOTO_CONFIG",
    "TAPLO_CONFIG",
    "ZIZMOR_CONFIG",
)
_SYSTEM_CONFIGS = ("/etc/boto.cfg",)


def outside_configs(root: Path) -> list[tuple[str, int, int]]:
    """The tool config files outside the tree that tools read: those in the directories
    above it and the user's own (``~/.config/black``, ...). Path, size and mtime of each
    that exists: about a hundred stats (a millisecond), once a run."""
    home = os.path.expanduser("~")
    user = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    paths = [os.path.join(user, name) for name in _USER_CONFIGS]
    paths += [os.path.join(home, name) for name in _HOME_CONFIGS]
    paths += [os.environ[var] for var in _CONFIG_VARIABLES if os.environ.get(var)]
    paths += _SYSTEM_CONFIGS
    for parent in map(str, root.parents):
        paths += [os.path.join(parent, name) for name in _CLIMBING_CONFIGS]
    found = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        found.append((path, st.st_size, st.st_mtime_ns))
    return found


# environment variables by which a version manager's shim chooses the tool's version
# (PYENV_VERSION, NODENV_VERSION, ASDF_PYTHON_VERSION, MISE_NODE_VERSION, ...), as the
# files above do (.python-version, ...)
_VERSION_MANAGERS = ("PYENV", "NODENV", "RBENV", "GOENV", "PLENV", "JENV", "ASDF_", "MISE_")


def version_variables() -> list[tuple[str, str]]:
    """The version managers' choices in the environment: part of every key."""
    return sorted(
        (name, value)
        for name, value in os.environ.items()
        if name.endswith("_VERSION") and name.startswith(_VERSION_MANAGERS)
    )


# variables a tool reads besides those named after it: detect-aws-credentials looks for
# the keys AWS's variables hold; markdownlint's rc reads `markdownlint_*`
_READ_VARIABLES = {
    "detect-aws-credentials": ("AWS_",),
    "markdownlint": ("markdownlint_",),
    "flake8": ("PYFLAKES_",),  # pyflakes' builtins and doctest switch
    # a token turns zizmor's online audits on; the ceiling hides the repository's root
    "zizmor": ("GH_TOKEN", "GH_HOST", "GITHUB_TOKEN", "GIT_CEILING_DIRECTORIES"),
}
# what pre-commit tells every hook (PRE_COMMIT_FROM_REF, PRE_COMMIT_REMOTE_BRANCH, ...)
_HOOK_VARIABLES = "PRE_COMMIT_"
# this run's own variables, which a program named pytest would otherwise bring in
_RUNNER_VARIABLES = ("PYTEST_CURRENT_TEST", "PYTEST_XDIST_")
# arguments that make a verdict turn on the date (insert-license's copyright year)
_DATED_ARGUMENTS = frozenset({"--use-current-year"})
# hooks that read HEAD's commit, which neither the tree nor the index shows:
# destroyed-symlinks compares each file's mode and blob in HEAD with the index's,
# forbid-new-submodules what the index adds to HEAD (or what `--to-ref` adds)
HEAD_READERS = frozenset({"destroyed-symlinks", "forbid-new-submodules"})


def environment_inputs(
    hook: Hook, program: str | None, environ: Mapping[str, str]
) -> list[tuple[str, str]]:
    """What a hook reads from its environment besides files: what pre-commit tells every
    hook (``PRE_COMMIT_*``), the variables named after its program (``RUFF_*``,
    ``MYPYPATH``, ``PYLINTRC``), those a few tools are known to read, and the year for a
    hook told to use it."""
    prefixes = [_HOOK_VARIABLES, *_READ_VARIABLES.get(hook.id, ())]
    if program:
        name = re.sub(r"\W", "_", program.upper())
        # a short name only as a whole word: SH_* but not SHLVL
        prefixes.append(name if len(name) >= 4 else name + "_")
    found = sorted(
        (var, value)
        for var, value in environ.items()
        if var.startswith(tuple(prefixes)) and not var.startswith(_RUNNER_VARIABLES)
    )
    if _DATED_ARGUMENTS.intersection(hook.args):
        found.append(("(year)", time.strftime("%Y")))
    return found


def option_paths(arg: str) -> list[str]:
    """The paths in the tree that one argument may name besides itself: the value after
    an option's ``=`` (``--ignore-words=words.txt``), an ``@file`` of arguments, and each
    piece of a comma-separated list (codespell's ``-I a.txt,b.txt``). Relative paths
    only: an option naming a file outside the tree is more often its output (a log)."""
    values = [arg.split("=", 1)[1]] if arg.startswith("-") and "=" in arg else []
    if arg.startswith("@"):
        values.append(arg[1:])
    lists = values if arg.startswith("-") else [arg, *values]  # an option is no list
    values += [piece for value in lists if "," in value for piece in value.split(",")]
    paths = (os.path.normpath(value.strip()) for value in values if value.strip())
    return [path for path in paths if not os.path.isabs(path) and not path.startswith("..")]


@cache
def _file_local_table() -> dict[str, frozenset[str]]:
    """filelocal_hooks.txt: hook id -> its flags (``+names``, ``+settings``, ``+added``,
    ``+index``)."""
    text = resource_files("pytest_hookrun").joinpath("filelocal_hooks.txt").read_text()
    table: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            table[words[0]] = frozenset(words[1:])
    return table


def is_file_local(hook: Hook) -> bool:
    if not hook.pass_filenames or hook.always_run:
        return False
    if hook.language == "pygrep":
        return True
    flags = _file_local_table().get(hook.id)
    if flags is None:
        return False
    if "+own-env" in flags and (hook.language != "python" or hook.additional_dependencies):
        return False  # plugins may come with it, and judge across files
    # an entry of the config's own (a local hook, or a remote one's `entry:`) is taken
    # at its word only when it runs the tool the id names: `id: black` may run anything
    return (hook.is_remote and "entry" not in hook.overrides) or runs_its_tool(hook)


# commands that run the command or script after them (past their options): `uv run
# ruff`, `npx prettier`, `python -m black`, `env X=1 prettier`
_RUNNERS = (
    ("uv", "run"),
    ("uvx",),
    ("pixi", "run"),
    ("poetry", "run"),
    ("pdm", "run"),
    ("pipx", "run"),
    ("hatch", "run"),
    ("rye", "run"),
    ("npx",),
    ("bunx",),
    ("pnpm", "exec"),
    ("pnpm", "dlx"),
    ("yarn", "exec"),
    ("python",),  # `python -m black`, `python3 -u tools/black.py`
    ("node",),
    ("env",),
)
_PYTHON = re.compile(r"^python[0-9.]*$")  # python3.11 -m black


@cache  # (shlex is slow, and every run asks again for every hook)
def entry_program(entry: str, language: str) -> str | None:
    """The program an entry runs, past runners and variable assignments (``uv run ruff
    check`` -> ``ruff``); for a docker image without a command, the image's name
    (``--net none mvdan/shfmt:v3.5.1`` -> ``shfmt``). None when it cannot be told."""
    try:
        words = shlex.split(entry)
    except ValueError:
        return None
    if language == "docker_image":
        is_image = [not w.startswith("-") and ("/" in w or ":" in w) for w in words]
        images = [i for i, yes in enumerate(is_image) if yes]
        if not images:
            return None
        image, words = words[images[0]], words[images[0] + 1 :]
        if not words:
            return image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    while words:
        if "=" in words[0] and words[0].split("=", 1)[0].isidentifier():
            words = words[1:]  # VAR=value
            continue
        named = [_PYTHON.sub("python", os.path.basename(w)) for w in words[:2]]
        runner = next((r for r in _RUNNERS if named[: len(r)] == list(r)), None)
        if runner is None:
            break
        words = words[len(runner) :]
        while words and words[0].startswith("-"):
            words = words[1:]  # the runner's options (`npx --yes prettier`)
    return os.path.splitext(os.path.basename(words[0]))[0] if words else None


def runs_its_tool(hook: Hook) -> bool:
    """Whether the hook's entry runs the tool its id names: the id itself
    (``codespell``), its first words (``ruff`` for ``ruff-check``), or a name
    filelocal_hooks.txt gives after ``=`` (``trailing-whitespace-fixer``)."""
    program = entry_program(hook.entry, hook.language)
    if program is None:
        return False
    program = program.lower().replace("_", "-")
    names = {name[1:] for name in _file_local_table().get(hook.id, ()) if name.startswith("=")}
    return program == hook.id or hook.id.startswith(program + "-") or program in names


def file_local_flags(hook: Hook) -> frozenset[str]:
    """What else a file-local hook's per-file passes hold on (filelocal_hooks.txt says
    why): ``+names`` which files exist, ``+settings`` every *.toml, *.cfg and *.ini file
    (``+names`` includes it), ``+added`` which files the index adds against HEAD,
    ``+index`` each file's mode in the index."""
    return _file_local_table().get(hook.id, frozenset())


def digest(*parts: object) -> str:
    data = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def strings_digest(strings: Iterable[str]) -> str:
    """The digest of strings in their order (file names; names and file digests in
    turn): what ``digest`` gives lists of, a third of its cost on 50,000 names (no
    JSON). File names hold no NUL, which separates them."""
    data = "\0".join(strings).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def definition_key(hook: Hook, environment: object, tool: str, configs: str) -> str:
    """What the hook is, apart from its files: a change here reruns it everywhere."""
    fields = {
        name: getattr(hook, name)
        for name in (
            "id", "entry", "language", "repo", "rev", "args", "additional_dependencies",
            "language_version", "files", "exclude", "types", "types_or", "exclude_types",
            "pass_filenames", "always_run", "require_serial", "log_file", "verbose",
        )
    }  # fmt: skip
    return digest(FORMAT, fields, str(environment), tool, configs)


def tool_identity(argv0: str | None, root: Path) -> str:
    """The executable or script a hook runs: its path and stat (a reinstall changes them)."""
    if not argv0:
        return ""
    try:
        st = os.stat(argv0)
    except OSError:
        return argv0
    # the path as named too: two virtualenvs' python3 link to one interpreter, but each
    # is a different environment
    identity = f"{argv0}:{os.path.realpath(argv0)}:{st.st_size}:{st.st_mtime_ns}"
    real = Path(os.path.realpath(argv0))
    if root in real.parents:  # a script of this repo: its content is what counts
        with contextlib.suppress(OSError):
            identity = hashlib.blake2b(real.read_bytes(), digest_size=16).hexdigest()
    return identity


def config_files(names: Iterable[str]) -> list[str]:
    return sorted(n for n in names if n.rsplit("/", 1)[-1] in CONFIG_NAMES)


# settings files under any name (ruff's `extend = "base.toml"`): part of the key of a
# hook whose names matter
SETTINGS_SUFFIXES = (".toml", ".cfg", ".ini")


def settings_files(names: Iterable[str]) -> list[str]:
    return sorted(n for n in names if n.endswith(SETTINGS_SUFFIXES))


@dataclass
class ResultCache:
    """Per hook (its node id): its definition key and what passed under it.

    ``files`` maps path -> content digest of files that passed; ``trees`` lists
    digests of whole trees the hook passed on. A new definition starts afresh, so
    the cache holds one entry per hook. Loaded from and saved to pytest's cache by
    the plugin; shared by the hook threads of one run.
    """

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_json(cls, data: object) -> ResultCache:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls()
        entries = data.get("entries")
        return cls(entries=entries if isinstance(entries, dict) else {})

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            return {"format": FORMAT, "entries": self.entries}

    def _entry(self, hook: str, key: str) -> dict[str, Any]:
        entry = self.entries.get(hook)
        if not isinstance(entry, dict) or entry.get("def") != key:
            return {}
        return entry

    def passed_files(self, hook: str, key: str, state: Mapping[str, str]) -> set[str]:
        """The files of ``state`` (path -> digest) that passed with exactly this content."""
        with self._lock:
            known = self._entry(hook, key).get("files", {})
            return {name for name, dig in state.items() if known.get(name) == dig}

    def passed_whole(self, hook: str, key: str, tree: str) -> bool:
        with self._lock:
            return tree in self._entry(hook, key).get("trees", ())

    def _writable(self, hook: str, key: str) -> dict[str, Any]:
        entry = self._entry(hook, key)
        if not entry:
            entry = self.entries[hook] = {"def": key}
        self.changed = True
        return entry

    def record_files(self, hook: str, key: str, state: Mapping[str, str]) -> None:
        with self._lock:
            self._writable(hook, key).setdefault("files", {}).update(state)

    def record_whole(self, hook: str, key: str, tree: str, keep: int = 8) -> None:
        with self._lock:
            entry = self._writable(hook, key)
            trees = [t for t in entry.get("trees", ()) if t != tree]
            entry["trees"] = [*trees, tree][-keep:]
