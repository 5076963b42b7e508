"""What people read: the failure text of a hook and the run's summary."""

from __future__ import annotations

import shlex

from .config import Hook
from .outcome import HookOutcome, Status
from .scheduler import Scheduler

OUTPUT_LIMIT = 20_000  # characters of hook output shown in a failure


def _command(argv: tuple[str, ...], files: int) -> str:
    shown = argv[: len(argv) - files] if files else argv
    text = shlex.join(shown)
    return f"{text} <{files} file{'s' if files != 1 else ''}>" if files else text


def failure_text(hook: Hook, outcome: HookOutcome) -> str:
    """Command, exit code, duration, modified files with a diff, and the capped output."""
    lines = []
    head = {
        Status.FAILED: "FAILED",
        Status.MODIFIED: "MODIFIED",
        Status.TIMEOUT: "TIMEOUT",
    }.get(outcome.status, outcome.status.value.upper())
    lines.append(f"hook {hook.id!r} ({hook.name}): {head}")
    if outcome.status is Status.TIMEOUT:
        lines.append(f"timed out after {outcome.timeout:g} s: the whole process tree was killed")
    for batch in outcome.batches:
        if batch.argv == ("fail",):
            lines.append("language: fail (this hook always fails on the files it is given)")
            continue
        code = "killed" if batch.returncode is None else str(batch.returncode)
        lines.append(f"command: {_command(batch.argv, batch.files)}")
        lines.append(f"exit code: {code}    duration: {batch.duration:.2f} s")
    if outcome.modified:
        lines.append(f"files were modified by this hook ({len(outcome.modified)}):")
        lines.extend(f"  {name}" for name in outcome.modified)
    lines.extend(outcome.notes)
    if outcome.diff:
        lines.append("diff:")
        lines.append(outcome.diff.rstrip("\n"))
    output = outcome.output.decode("utf-8", errors="replace")
    if output.strip():
        cut = len(output) > OUTPUT_LIMIT or any(b.truncated for b in outcome.batches)
        lines.append("output:")
        lines.append(output[:OUTPUT_LIMIT].rstrip("\n"))
        if cut:
            lines.append(f"[output cut: showing the first {OUTPUT_LIMIT} characters]")
    return "\n".join(lines)


def _max_parallel(intervals: list[tuple[float, float]]) -> int:
    """The most hooks running at one moment."""
    points = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    best = running = 0
    for _, step in points:
        running += step
        best = max(best, running)
    return best


def summary_lines(
    scheduler: Scheduler, slowest: int = 5, slow_threshold: float | None = None
) -> list[str]:
    """Wall time, summed hook times, speedup, parallelism, critical path, slowest hooks."""
    done = scheduler.outcomes()
    ran = [(job, o) for job, o in done if o.batches and o.duration > 0]
    cached = sum(1 for _, o in done if o.whole_cached)
    reused = f"; {cached} cached (passed before on the same inputs)" if cached else ""
    if not ran or scheduler.wall_start is None:
        return [f"hooks run: 0 of {len(done)}{reused}"] if cached else []
    starts = [o.started for _, o in ran if o.started is not None]
    ends = [o.finished for _, o in ran if o.finished is not None]
    wall = (max(ends) - min(starts)) if starts and ends else 0.0
    total = sum(o.duration for _, o in ran)
    lines = [
        f"hooks run: {len(ran)} of {len(done)}{reused}; wall time {wall:.2f} s; "
        f"sum of hook times {total:.2f} s; speedup {total / wall if wall else 1.0:.2f}x "
        f"with {scheduler.tokens} job tokens",
    ]
    spans = [(o.started, o.finished) for _, o in ran if o.started and o.finished]
    lines.append(f"max parallelism: {_max_parallel(spans)} hooks at once")
    path = scheduler.plan.critical_path
    if path:
        lines.append("critical path: " + " -> ".join(k.rsplit("::", 1)[-1] for k in path))
    lines.append("slowest hooks:")
    for job, o in sorted(ran, key=lambda p: -p[1].duration)[:slowest]:
        lines.append(f"  {o.duration:8.2f} s  {job.hook.id} ({o.status.value})")
    if slow_threshold is not None:
        slow = [(job, o) for job, o in ran if o.duration > slow_threshold]
        if slow:
            lines.append(f"hooks slower than {slow_threshold:g} s (hookrun_slow_threshold):")
            for job, o in slow:
                lines.append(f"  {o.duration:8.2f} s  {job.hook.id}")
    return lines


def verbose_outputs(scheduler: Scheduler) -> list[tuple[str, str]]:
    """(title, output) of each passing hook with ``verbose: true`` that printed something."""
    shown = []
    for job, outcome in scheduler.outcomes():
        if job.hook.verbose and outcome.status is Status.PASSED and outcome.output.strip():
            text = outcome.output.decode("utf-8", errors="replace")[:OUTPUT_LIMIT]
            shown.append((f"{job.hook.id} (verbose) output", text))
    return shown
