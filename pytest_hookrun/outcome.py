"""What one hook run produced: its status, its batches, its modified files."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Status(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    MODIFIED = "modified"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"
    ERROR = "error"

    @property
    def is_failure(self) -> bool:
        """Failures stop dependents and trigger fail_fast; MODIFIED does neither."""
        return self in (Status.FAILED, Status.TIMEOUT, Status.ERROR)


@dataclass(frozen=True)
class BatchResult:
    argv: tuple[str, ...]
    returncode: int | None
    output: bytes
    duration: float
    timed_out: bool = False
    truncated: bool = False
    files: int = 0
    started: float = 0.0  # time.monotonic() at start


@dataclass(frozen=True)
class HookOutcome:
    status: Status
    reason: str = ""
    batches: tuple[BatchResult, ...] = ()
    modified: tuple[str, ...] = ()
    diff: str = ""
    duration: float = 0.0
    files: int = 0
    timeout: float | None = None
    started: float | None = None  # time.monotonic() of the first process start
    finished: float | None = None
    notes: tuple[str, ...] = field(default=())
    cached: int = 0  # files whose pass was reused from an earlier run (all: cached whole)
    whole_cached: bool = False  # the hook did not run at all: it passed on these inputs before

    @property
    def returncode(self) -> int | None:
        """The first non-zero exit code; None when nothing ran or a process was killed."""
        if not self.batches or any(b.returncode is None for b in self.batches):
            return None
        codes = [b.returncode for b in self.batches if b.returncode]
        return codes[0] if codes else 0

    @property
    def busy_time(self) -> float:
        """Seconds during which at least one batch ran (waits for tokens excluded)."""
        total, end = 0.0, float("-inf")
        for start, stop in sorted((b.started, b.started + b.duration) for b in self.batches):
            if stop > end:
                total += stop - max(start, end)
                end = stop
        return total

    @property
    def output(self) -> bytes:
        return b"".join(b.output for b in self.batches)
