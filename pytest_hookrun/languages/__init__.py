"""How each hook language turns into a command (or a reason it cannot run here)."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pygrep and meta run as `python -m` here: keep their start-up light
    from ..changes import Written
    from ..config import Hook

# languages that need no environment: they run from the repository itself
NO_ENVIRONMENT = ("unsupported", "unsupported_script", "pygrep", "fail")
# languages whose hooks get an environment of their own in the store
WITH_ENVIRONMENT = ("python", "node")
RUNNABLE = "python, node, script, system, pygrep, fail and meta"


@dataclass(frozen=True)
class Environment:
    """What a hook runs from: its repo's clone and its installed environment, if any."""

    source: Path | None = None  # the clone of a remote hook's repo
    prefix: Path | None = None  # the environment of a python or node hook
    language: str = ""
    version: str = "default"  # the language_version it was built for

    def environ(self, base: Mapping[str, str]) -> Mapping[str, str]:
        if self.prefix is None:
            return base
        if self.language == "python":
            from . import python

            return python.run_environ(self.prefix, base)
        from . import node

        return node.run_environ(self.prefix, base)


@dataclass(frozen=True)
class Command:
    """Run ``argv`` plus file names; ``resolve`` finds argv[0] on PATH first."""

    argv: tuple[str, ...]
    resolve: bool = True
    env: Mapping[str, str] | None = None  # None: the run's environment


class InProcessRun(Protocol):
    """Runs a hook in this process: (exit status, output); every file write goes to
    ``writes`` as (name, bytes before, bytes after)."""

    def __call__(
        self,
        args: Sequence[str],
        files: Sequence[str],
        cwd: Path,
        *,
        writes: list[Written] | None = None,
    ) -> tuple[int, bytes]: ...


@dataclass(frozen=True)
class InProcess:
    """A hook run in this process (a fast path); ``fallback`` runs the real hook."""

    run: InProcessRun
    args: tuple[str, ...]
    fallback: Command
    label: str  # what the report shows as its command
    declines: tuple[type[Exception], ...] = ()  # raised by ``run``: the fallback runs instead
    # its CPU cost per byte of input here: work in this process holds the GIL, so a
    # long one runs faster as the real hook's processes on every core
    ns_per_byte: float = 0.0
    # (entry, version): the run's helper process can run part of its files (helper.py)
    helper: tuple[str, str] | None = None


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


Action = Command | InProcess | Fail | Unsupported | Invalid


def action_for(
    hook: Hook,
    root: Path,
    config_path: Path,
    environment: Environment | None = None,
    env: Mapping[str, str] | None = None,
    fast_paths: bool = True,
) -> Action:
    """Decide how ``hook`` runs (``env``: the run's variables); never raises.

    ``fast_paths``: a pre-commit-hooks hook we reproduce exactly runs in-process.
    """
    if hook.is_meta:
        return Command(
            (sys.executable, "-m", "pytest_hookrun.languages.meta", hook.id, str(config_path)),
            resolve=False,
        )
    if hook.language not in (*NO_ENVIRONMENT, *WITH_ENVIRONMENT):
        return Unsupported(
            f"language {hook.language!r} is not supported by pytest-hookrun "
            f"(hooks in {RUNNABLE} run)"
        )
    environment = environment or Environment()
    if hook.is_remote and environment.source is None:
        return Invalid(f"hook {hook.id!r}: its repository {hook.repo} was not prepared")
    if hook.language in WITH_ENVIRONMENT and environment.prefix is None:
        return Invalid(f"hook {hook.id!r}: its {hook.language} environment was not prepared")
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
        from . import pygrep

        args = (*hook.args, hook.entry)
        return InProcess(
            pygrep.run,
            args,
            Command((sys.executable, "-m", "pytest_hookrun.languages.pygrep", *args), False),
            label="pygrep (in-process)",
            declines=(pygrep.ArgumentsError,),
        )
    try:
        entry = shlex.split(hook.entry)
    except ValueError as exc:
        return Invalid(f"hook {hook.id!r}: cannot split entry {hook.entry!r}: {exc}")
    if not entry:
        return Invalid(f"hook {hook.id!r}: entry is empty")
    if hook.language == "unsupported_script":
        # a script's path is relative to its repo: the clone, or this repository
        return Command((str((environment.source or root) / entry[0]), *entry[1:], *hook.args))
    command = Command(
        (*entry, *hook.args), env=environment.environ(env) if env is not None else None
    )
    if (
        fast_paths
        and hook.language == "python"
        and environment.source is not None
        # a fast path is what the hook does under this interpreter (argparse, json, ast)
        and environment.version in ("default", "system")
    ):
        from ..fastpaths import fast_path_for

        fast = fast_path_for(hook.entry, environment.source)
        if fast is not None:
            from ..fastpaths import FastPathError

            label = f"{hook.entry} (in-process)"
            return InProcess(
                fast,
                hook.args,
                command,
                label,
                declines=(FastPathError,),
                ns_per_byte=fast.ns_per_byte,
                helper=(fast.entry, fast.version) if fast.in_helper else None,
            )
    return command
