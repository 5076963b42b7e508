"""The run as Chrome trace events (``--hooks-trace FILE.json``), for Perfetto or chrome://tracing.

Rows of process "job slots" show each file batch on the slot it held; rows of
process "hooks" show each hook from its first batch to its last. Times are from
the hooks' own clocks, so a reader sees what ran in parallel and what waited.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from .outcome import HookOutcome
from .runner import HookJob

_SLOTS, _HOOKS = 1, 2


def _us(seconds: float, origin: float) -> float:
    return round((seconds - origin) * 1_000_000, 1)


def chrome_trace(done: Sequence[tuple[HookJob, HookOutcome]], tokens: int) -> dict[str, Any]:
    """Trace events of the hooks that ran (and instant markers for the ones that did not)."""
    batches = [
        (b.started, b.started + b.duration, job, outcome, b)
        for job, outcome in done
        for b in outcome.batches
        if b.started
    ]
    origin = min((start for start, *_ in batches), default=0.0)
    events: list[dict[str, Any]] = [
        {"ph": "M", "pid": _SLOTS, "name": "process_name", "args": {"name": "job slots"}},
        {"ph": "M", "pid": _HOOKS, "name": "process_name", "args": {"name": "hooks"}},
    ]
    # each batch on the lowest free slot when it started (greedy interval colouring)
    free: list[int] = []
    busy: list[tuple[float, int]] = []
    used = 0
    for start, end, job, outcome, batch in sorted(batches, key=lambda row: row[0]):
        while busy and busy[0][0] <= start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            slot = heapq.heappop(free)
        else:
            slot = used
            used += 1
        heapq.heappush(busy, (end, slot))
        events.append(
            {
                "ph": "X",
                "pid": _SLOTS,
                "tid": slot,
                "name": job.hook.id,
                "cat": "batch",
                "ts": _us(start, origin),
                "dur": _us(end, start),
                "args": {
                    "files": batch.files,
                    "exit_code": batch.returncode,
                    "timed_out": batch.timed_out,
                    "outcome": outcome.status.value,
                },
            }
        )
    for slot in range(max(used, 1)):
        events.append(
            {
                "ph": "M",
                "pid": _SLOTS,
                "tid": slot,
                "name": "thread_name",
                "args": {"name": f"slot {slot + 1}"},
            }
        )
    for row, (job, outcome) in enumerate(done):
        events.append(
            {
                "ph": "M",
                "pid": _HOOKS,
                "tid": row,
                "name": "thread_name",
                "args": {"name": job.hook.id},
            }
        )
        starts = [b.started for b in outcome.batches if b.started]
        args = {
            "key": job.key,
            "outcome": outcome.status.value,
            "files": outcome.files,
            "exit_code": outcome.returncode,
            "modified": list(outcome.modified),
            "reason": outcome.reason,
        }
        if starts:
            end = max(b.started + b.duration for b in outcome.batches if b.started)
            events.append(
                {
                    "ph": "X",
                    "pid": _HOOKS,
                    "tid": row,
                    "name": job.hook.id,
                    "cat": "hook",
                    "ts": _us(min(starts), origin),
                    "dur": _us(end, min(starts)),
                    "args": args,
                }
            )
        else:
            events.append(
                {
                    "ph": "i",
                    "s": "t",
                    "pid": _HOOKS,
                    "tid": row,
                    "name": job.hook.id,
                    "cat": "hook",
                    "ts": 0,
                    "args": args,
                }
            )
    return {"traceEvents": events, "displayTimeUnit": "ms", "otherData": {"tokens": tokens}}
