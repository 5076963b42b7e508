"""One settings object for a run, resolved ini < environment < command line."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

# Allocations, less deallocations, between two collections of the garbage collector's
# youngest generation in a process that runs hooks (Python's default: 700).
RUN_GC_THRESHOLD = 100_000

T = TypeVar("T")

DEFAULT_TIMEOUT = 600.0
DEFAULT_KILL_GRACE = 2.0


class SettingsError(Exception):
    """A bad option value; the message names the option."""


@dataclass(frozen=True)
class Settings:
    enabled: bool
    config_path: Path
    jobs: int
    timeout: float | None  # None: no limit
    kill_grace: float
    serial: bool
    fail_fast: bool
    stage: str
    files: tuple[str, ...] | None
    from_ref: str | None
    to_ref: str | None
    plan_format: str | None
    trace_path: str | None = None
    staged: bool = False
    show_diff: bool = False
    no_cache: bool = False  # run every hook, as if no earlier run had passed
    fast_paths: bool = True  # pre-commit-hooks hooks we reproduce exactly run in-process
    # timeout auto: factor x p95 of the hook's past runs, within floor and ceiling
    timeout_auto: bool = False
    timeout_factor: float = 3.0
    timeout_floor: float = 10.0
    timeout_ceiling: float = DEFAULT_TIMEOUT
    order: str = "critical-path"  # which ready hook starts first (ORDERS)


ORDERS = ("critical-path", "fast-first", "config")


def _pick(
    name: str,
    cli: object,
    env_name: str | None,
    ini: object,
    convert: Callable[[str], T],
    environ: Mapping[str, str],
) -> T | None:
    """The first of CLI, environment, ini that is set, converted; None when none is."""
    for source, value in (
        (f"--{name}", cli),
        (env_name, environ.get(env_name) if env_name else None),
        (f"hookrun_{name.removeprefix('hooks-').replace('-', '_')} (ini)", ini),
    ):
        if value is None or value == "":
            continue
        try:
            return convert(str(value))
        except ValueError:
            raise SettingsError(f"{source}: invalid value {value!r}") from None
    return None


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


AUTO = -1.0  # "auto" as parsed: a limit learned from the hook's history


def _seconds_or_auto(text: str) -> float:
    return AUTO if text.strip() == "auto" else _seconds(text)


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise ValueError(text)
    return value


def resolve(
    *,
    enabled: bool,
    rootdir: Path,
    option: Callable[[str], object],
    ini: Callable[[str], object],
    environ: Mapping[str, str] = os.environ,
    pytest_timeout: float | None = None,
) -> Settings:
    """Resolve every setting; ``option`` and ``ini`` read pytest's values by dest/name."""
    config = _pick(
        "hooks-config", option("hooks_config"), None, ini("hookrun_config"), str, environ
    )
    config_path = Path(config) if config else Path(".pre-commit-config.yaml")
    if not config_path.is_absolute():
        config_path = rootdir / config_path
    jobs = _pick(
        "hooks-jobs",
        option("hooks_jobs"),
        "HOOKRUN_JOBS",
        ini("hookrun_jobs"),
        _positive_int,
        environ,
    )
    timeout = _pick(
        "hooks-timeout",
        option("hooks_timeout"),
        "HOOKRUN_TIMEOUT",
        ini("hookrun_timeout"),
        _seconds_or_auto,
        environ,
    )
    timeout_auto = timeout == AUTO
    if timeout is None or timeout_auto:
        timeout = pytest_timeout if pytest_timeout else DEFAULT_TIMEOUT
    factor, floor, ceiling = (
        _pick(name, None, None, ini(f"hookrun_{name}"), _seconds, environ)
        for name in ("timeout_factor", "timeout_floor", "timeout_ceiling")
    )
    grace = _pick(
        "hooks-kill-grace",
        option("hooks_kill_grace"),
        "HOOKRUN_KILL_GRACE",
        ini("hookrun_kill_grace"),
        _seconds,
        environ,
    )
    files = option("hooks_files")
    order = _pick(
        "hooks-order", option("hooks_order"), "HOOKRUN_ORDER", ini("hookrun_order"), _order, environ
    )
    no_cache = bool(option("hooks_no_cache")) or environ.get("HOOKRUN_NO_CACHE", "").lower() in (
        "1",
        "true",
        "yes",
    )
    return Settings(
        enabled=enabled,
        config_path=config_path,
        jobs=jobs or len(os.sched_getaffinity(0)) or 1,
        timeout=timeout or None,
        kill_grace=DEFAULT_KILL_GRACE if grace is None else grace,
        serial=bool(option("hooks_serial")),
        # pytest's -x (maxfail 1) also means: after a failing hook, start no new hook
        fail_fast=bool(option("hooks_fail_fast")) or option("maxfail") == 1,
        stage=str(option("hooks_stage") or "pre-commit"),
        files=tuple(files) if isinstance(files, list) else None,
        from_ref=_opt_str(option("hooks_from_ref")),
        to_ref=_opt_str(option("hooks_to_ref")),
        plan_format=_opt_str(option("hooks_plan")),
        trace_path=_opt_str(option("hooks_trace")),
        staged=bool(option("hooks_staged")),
        show_diff=bool(option("hooks_show_diff")),
        no_cache=no_cache,
        fast_paths=not option("hooks_no_fast_path"),
        timeout_auto=timeout_auto,
        timeout_factor=3.0 if factor is None else factor,
        timeout_floor=10.0 if floor is None else floor,
        timeout_ceiling=DEFAULT_TIMEOUT if ceiling is None else ceiling,
        order=order or "critical-path",
    )


def _order(text: str) -> str:
    if text not in ORDERS:
        raise ValueError(text)
    return text


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
