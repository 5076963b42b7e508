"""Per-hook duration history: what the plan and ``timeout: auto`` learn from past runs.

Kept in pytest's cache, per hook (its node id) and reset when the hook's
definition changes, so a new version of a tool starts learning afresh. Pure: no
pytest, no files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .config import Hook
from .results import digest

KEEP = 20  # runs remembered per hook


def definition(hook: Hook) -> str:
    """What makes a hook's run time comparable from one run to the next."""
    return digest(
        hook.id, hook.entry, hook.language, hook.repo, hook.rev, hook.args,
        hook.additional_dependencies, hook.language_version, hook.pass_filenames,
    )  # fmt: skip


def p95(runs: list[float]) -> float:
    """The 95th percentile by nearest rank (the slowest run of fewer than 20)."""
    ordered = sorted(runs)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class History:
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: object) -> History:
        if not isinstance(data, dict):
            return cls()
        entries = {
            k: v
            for k, v in data.items()
            if isinstance(v, dict)
            and isinstance(v.get("runs"), list)
            and all(isinstance(x, (int, float)) for x in v["runs"])
        }
        return cls(entries)

    def to_json(self) -> dict[str, Any]:
        return self.entries

    def runs(self, key: str, hook: Hook) -> list[float]:
        entry = self.entries.get(key)
        if entry is None or entry.get("def") != definition(hook):
            return []
        return [float(x) for x in entry["runs"]]

    def record(self, key: str, hook: Hook, seconds: float) -> None:
        runs = self.runs(key, hook)
        self.entries[key] = {"def": definition(hook), "runs": [*runs, seconds][-KEEP:]}

    def mean(self, key: str, hook: Hook) -> float | None:
        runs = self.runs(key, hook)
        return sum(runs) / len(runs) if runs else None

    def means(self, hooks: Mapping[str, Hook]) -> dict[str, float]:
        out = {}
        for key, hook in hooks.items():
            value = self.mean(key, hook)
            if value is not None:
                out[key] = value
        return out
