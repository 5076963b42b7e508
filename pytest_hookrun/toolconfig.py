"""What a tool's own config file says about writing files.

Some checkers write only when their config file tells them to: codespell fixes typos in
place with ``write-changes`` in ``.codespellrc``, ``setup.cfg`` or ``pyproject.toml``.
Such a hook is a reader (it may share files with other readers) only when neither its
arguments nor those files turn writing on. Deliberately conservative: anything we cannot
read for sure (another config file named in its args, an unreadable file) counts as
writing, since a false "writes" costs only parallelism and a false "reads" could race
two hooks on one file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    for name in _CODESPELL_FILES:
        path = root / name
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError):
            return True
        if _CODESPELL_WRITES.search(_codespell_section(text, name)):
            return True
    return False


def _codespell_section(text: str, name: str) -> str:
    """The part of the file codespell reads: its ``[codespell]`` or ``[tool.codespell]``
    section (none: nothing)."""
    header = "[tool.codespell]" if name == "pyproject.toml" else "[codespell]"
    start = text.find(header)
    if start < 0:
        return ""
    rest = text[start + len(header) :]
    end = re.search(r"^\s*\[", rest, re.MULTILINE)
    return rest if end is None else rest[: end.start()]
