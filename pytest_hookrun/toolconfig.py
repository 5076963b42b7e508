"""What a tool's own config file says: whether it writes files, and which others it reads.

Some checkers write only when their config file tells them to: codespell fixes typos in
place with ``write-changes`` in ``.codespellrc``, ``setup.cfg`` or ``pyproject.toml``.
Such a hook is a reader (it may share files with other readers) only when neither its
arguments nor those files turn writing on. Deliberately conservative: anything we cannot
read for sure (another config file named in its args, an unreadable file) counts as
writing, since a false "writes" costs only parallelism and a false "reads" could race
two hooks on one file.

A config may also name files the tool reads besides those it is given: codespell's
``ignore-words``, ``exclude-file`` and ``dictionary``, yamllint's ``extends`` and
``ignore-from-file``, cmake-format's ``include``, pymarkdown's plugin files and
directories. Their content decides the verdict on every file, so the result cache keys
on them (``named_files``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

# codespell reads these from the directory it runs in (the repository root)
_CODESPELL_FILES = ("setup.cfg", ".codespellrc", "pyproject.toml")
# the long option in a config file (either spelling), or its short form
_CODESPELL_WRITES = re.compile(r"^\s*(write[-_]changes|w)\s*([=:]|$)", re.MULTILINE)
# args that name another config file, whose contents we do not read
_CODESPELL_OTHER_CONFIG = ("--config", "--toml")

CONDITIONAL_READERS = frozenset({"codespell"})


def config_writes(hook_id: str, args: Sequence[str], root: Path) -> bool:
    """Whether ``hook_id`` (one of CONDITIONAL_READERS) may write, given its args and the
    config files at ``root``. Write flags in ``args`` (``-w``) are the caller's to see."""
    if hook_id != "codespell":
        return True
    if any(arg.split("=", 1)[0] in _CODESPELL_OTHER_CONFIG for arg in args):
        return True
    return _any_config_says(
        [root / name for name in _CODESPELL_FILES],
        lambda path, text: bool(
            _CODESPELL_WRITES.search(_section(text, _codespell_header(path.name)))
        ),
    )


def _any_config_says(paths: Sequence[Path], says: Callable[[Path, str], bool]) -> bool:
    """Whether any of these config files ``says(path, text)`` so: a missing one says
    nothing, one that cannot be read counts as saying so (the cautious answer)."""
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError):
            return True
        if says(path, text):
            return True
    return False


def _section(text: str, header: str) -> str:
    """The section of an INI or TOML text under ``header``, up to the next (none: "")."""
    start = text.find(header)
    if start < 0:
        return ""
    rest = text[start + len(header) :]
    end = re.search(r"^\s*\[", rest, re.MULTILINE)
    return rest if end is None else rest[: end.start()]


# the config files, at the repository root, of tools whose config may name other files
# they read
_NAMING_CONFIGS = {
    "codespell": _CODESPELL_FILES,
    "yamllint": (".yamllint", ".yamllint.yaml", ".yamllint.yml"),
    # its `include` names more config files
    "cmake-format": (".cmake-format.yaml", ".cmake-format.json", ".cmake-format.py"),
    "cmake-lint": (".cmake-format.yaml", ".cmake-format.json", ".cmake-format.py"),
    # its `plugins.additional_paths` name plugin files, or directories of them
    "pymarkdown": (".pymarkdown", ".pymarkdown.yaml", ".pymarkdown.yml", "pyproject.toml"),
}
# tools whose config may name a directory: the files in it count
_NAMING_DIRECTORIES = frozenset({"pymarkdown"})
# a word of a config that may be a path: what lies between quotes, commas, brackets,
# `=`, `:` and spaces
_WORD = re.compile(r"[^\s=,:\"'\[\]{}]+")


def _codespell_header(name: str) -> str:
    """The section of config file ``name`` that codespell reads."""
    return "[tool.codespell]" if name.endswith(".toml") else "[codespell]"


def named_files(hook_id: str, arg_files: Sequence[str], root: Path) -> list[str]:
    """The files that ``hook_id``'s config names (each word of its section that is a
    file, relative to the root or to the config): over-inclusive on purpose, since a
    file wrongly counted costs only a rerun after it changes. ``arg_files`` are the
    files its arguments name (``--config x.cfg``, ``-c .yamllint-ci``): read as its
    config too."""
    configs = _NAMING_CONFIGS.get(hook_id)
    if configs is None:
        return []
    found: list[str] = []
    for path in [root / name for name in (*configs, *arg_files)]:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        header = _tool_section(hook_id, path.name)
        if header is not None:  # (yamllint's and cmake-format's files are their own)
            text = _section(text, header)
        for word in _WORD.findall(text):
            for base in (root, path.parent):
                name = os.path.join(base, word)
                if name == str(path):
                    continue
                if os.path.isfile(name):
                    found.append(os.path.normpath(name))
                elif hook_id in _NAMING_DIRECTORIES and _is_subdirectory(name, root):
                    found += [os.path.normpath(e.path) for e in os.scandir(name) if e.is_file()]
    return sorted(set(found))


# flake8's config files, in the directory it runs in
_FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")


def loads_local_plugins(hook_id: str, arg_files: Sequence[str], root: Path) -> bool:
    """Whether flake8's config (at ``root`` or above it, up to the home directory, as
    flake8 looks; or one its arguments name) loads local plugins
    (``[flake8:local-plugins]``): code it runs on every file, which no file it is given
    shows. Unreadable counts as loading."""
    if hook_id != "flake8":
        return False
    home, places = Path(os.path.expanduser("~")), [root]
    for parent in root.parents:  # (flake8 stops short of the home directory)
        if parent == home:
            break
        places.append(parent)
    return _any_config_says(
        [*(d / name for d in places for name in _FLAKE8_FILES), *(root / a for a in arg_files)],
        lambda _, text: "flake8:local-plugins" in text,
    )


# runners that run a task or script of the project's by the name they are given, if it
# has one, else the command (pixi's tasks; pdm's, hatch's and rye's scripts), with the
# project files each reads (in the directory it runs in, or above)
_TASK_RUNNERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("pixi", "run"): ("pixi.toml", "pyproject.toml"),
    ("pdm", "run"): ("pyproject.toml",),
    ("hatch", "run"): ("pyproject.toml", "hatch.toml"),
    ("rye", "run"): ("pyproject.toml",),
}
_TOML_HEADER = re.compile(r"^[ \t]*\[([^\[\]\n]+)\][ \t]*(?:#.*)?$", re.MULTILINE)
_TASK_TABLES = ("tasks", "scripts")


def _toml_key(part: str) -> str:
    return part.strip().strip("\"'")


def _defines_task(text: str, name: str) -> bool:
    """Whether a TOML text has a task or script ``name``: a key of a ``[...tasks]`` or
    ``[...scripts]`` table, a ``[...tasks.name]`` table, ``tasks.name =`` or an inline
    ``tasks = { name = ... }``. Only keys of such tables count (a dependency of that
    name does not)."""
    key = re.compile(r"^[ \t]*[\"']?" + re.escape(name) + r"[\"']?[ \t]*=", re.MULTILINE)
    headers = list(_TOML_HEADER.finditer(text))
    for i, header in enumerate(headers):
        parts = [_toml_key(p) for p in header.group(1).split(".")]
        body = text[header.end() : headers[i + 1].start() if i + 1 < len(headers) else len(text)]
        if parts[-1] in _TASK_TABLES and key.search(body):
            return True
        if len(parts) > 1 and parts[-2] in _TASK_TABLES and parts[-1] == name:
            return True
    quoted = r"[\"']?" + re.escape(name) + r"[\"']?"
    dotted = re.compile(r"\b(?:tasks|scripts)\s*\.\s*" + quoted + r"\s*=")
    # (on the table's line, nested tables included: `tasks = { a = { cmd = "x" }, ruff = "y" }`)
    inline = re.compile(r"\b(?:tasks|scripts)\s*=\s*\{[^\n]*?[{,\s]" + quoted + r"\s*=")
    return bool(dotted.search(text) or inline.search(text))


def runs_a_task(entry: str, program: str, root: Path) -> bool:
    """Whether ``entry`` runs ``program`` through a task runner (``pixi run ruff``) whose
    project files, at ``root`` or above it, define a task or script of that name: the
    runner then runs that, which may do anything. Unreadable counts as defining one."""
    names = [os.path.basename(word) for word in entry.split()]
    files = sorted(
        {
            name
            for pair, project_files in _TASK_RUNNERS.items()
            if any(tuple(names[i : i + 2]) == pair for i in range(len(names) - 1))
            for name in project_files
        }
    )
    if not files:
        return False
    return _any_config_says(
        [d / name for d in (root, *root.parents) for name in files],
        lambda _, text: _defines_task(text, program),
    )


def _tool_section(hook_id: str, name: str) -> str | None:
    """The section of config file ``name`` that ``hook_id`` reads (None: all of it)."""
    if hook_id == "codespell":
        return _codespell_header(name)
    return f"[tool.{hook_id}]" if name == "pyproject.toml" else None


def _is_subdirectory(name: str, root: Path) -> bool:
    real = Path(os.path.realpath(name))
    return real.is_dir() and Path(os.path.realpath(root)) in real.parents
