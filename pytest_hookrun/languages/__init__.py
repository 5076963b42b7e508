"""How each hook language turns into a command (or a reason it cannot run here)."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pygrep and meta run as `python -m` here: keep their start-up light
    from ..config import Hook

# languages that need no environment: they run from the repository itself
NO_ENVIRONMENT = ("unsupported", "unsupported_script", "pygrep", "fail")


@dataclass(frozen=True)
class Command:
    """Run ``argv`` plus file names; ``resolve`` finds argv[0] on PATH first."""

    argv: tuple[str, ...]
    resolve: bool = True


@dataclass(frozen=True)
class Fail:
    """The ``fail`` language: no process, the entry is the message."""

    message: str


@dataclass(frozen=True)
class Unsupported:
    reason: str


@dataclass(frozen=True)
class Invalid:
    """The hook cannot start: an error outcome, not a skip."""

    message: str


Action = Command | Fail | Unsupported | Invalid


def action_for(hook: Hook, root: Path, config_path: Path) -> Action:
    """Decide how ``hook`` runs; never raises."""
    if hook.is_meta:
        return Command(
            (sys.executable, "-m", "pytest_hookrun.languages.meta", hook.id, str(config_path)),
            resolve=False,
        )
    if hook.is_remote:
        return Unsupported(f"hooks from remote repositories ({hook.repo}) are not supported yet")
    if hook.language in NO_ENVIRONMENT:
        if hook.additional_dependencies:
            return Invalid(
                f"hook {hook.id!r} sets additional_dependencies but language "
                f"{hook.language!r} installs no environment"
            )
        if hook.language_version != "default":
            return Invalid(
                f"hook {hook.id!r} sets language_version but language "
                f"{hook.language!r} installs no environment"
            )
    if hook.language == "fail":
        return Fail(hook.entry)
    if hook.language == "pygrep":
        return Command(
            (sys.executable, "-m", "pytest_hookrun.languages.pygrep", *hook.args, hook.entry),
            resolve=False,
        )
    try:
        entry = shlex.split(hook.entry)
    except ValueError as exc:
        return Invalid(f"hook {hook.id!r}: cannot split entry {hook.entry!r}: {exc}")
    if not entry:
        return Invalid(f"hook {hook.id!r}: entry is empty")
    if hook.language == "unsupported":
        return Command((*entry, *hook.args))
    if hook.language == "unsupported_script":
        return Command((str(root / entry[0]), *entry[1:], *hook.args))
    return Unsupported(f"language {hook.language!r} is not supported yet")
