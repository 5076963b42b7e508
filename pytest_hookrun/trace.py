"""The run as Chrome trace events (``--hooks-trace FILE.json``), or as an HTML timeline.

Rows of process "job slots" show each file batch on the slot it held; rows of
process "hooks" show each hook from its first batch to its last. Times are from
the hooks' own clocks, so a reader sees what ran in parallel and what waited.
The JSON opens in Perfetto; ``FILE.html`` draws the same events for any browser,
offline (chrome://tracing is gone from recent Chromium, Perfetto needs the web).
"""

from __future__ import annotations

import heapq
import html
import math
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
                    "key": job.key,
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


# --------------------------------------------------------------------------- HTML timeline

_OUTCOMES = ("passed", "failed", "modified", "timeout", "skipped", "error")
_WIDTH, _LEFT, _RIGHT = 1160, 190, 24  # svg width, label column, right margin
_SLOT_ROW, _HOOK_ROW, _GAP = 26, 22, 34  # row heights, space before each section
_CHAR = 6.8  # rough width of one 12px character, to decide whether a label fits

_STYLE = """
text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #212529; }
text.section { font-weight: 600; fill: #495057; }
text.axis, text.note { fill: #6c757d; }
text.in { fill: #fff; }
text.in.modified, text.in.skipped { fill: #212529; }
line.grid { stroke: #e9ecef; }
line.base { stroke: #adb5bd; }
rect.row { fill: #f8f9fa; }
.passed { fill: #2f9e44; } .failed { fill: #e03131; } .modified { fill: #f59f00; }
.timeout { fill: #7048e8; } .skipped { fill: #adb5bd; } .error { fill: #a61e4d; }
rect.hook { fill-opacity: 0.35; }
rect.segment { stroke: #fff; stroke-width: 1; }
line.wait { stroke: #adb5bd; stroke-width: 1.5; stroke-dasharray: 2 3; }
g.bar:hover rect { stroke: #212529; stroke-width: 1.5; }
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fit(text: str, width: float) -> str:
    """``text`` cut with an ellipsis to about ``width`` pixels (the title keeps it whole)."""
    room = max(int(width / _CHAR), 1)
    return text if len(text) <= room else text[: max(room - 1, 0)] + "…"


def _outcome(args: dict[str, Any]) -> str:
    value = str(args.get("outcome", ""))
    return value if value in _OUTCOMES else "error"


def _name(event: dict[str, Any]) -> str:
    """The hook's item name (``id``, or ``id#2`` for a repeated id) from its key, else its id."""
    key = str(event.get("args", {}).get("key") or "")
    return key.split("::", 1)[1] if "::" in key else str(event["name"])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _seconds(us: float) -> str:
    return f"{us / 1_000_000:.2f} s"


def _tick_step(total_s: float) -> float:
    """A 1-2-5 step giving about eight ticks over ``total_s`` seconds."""
    raw = max(total_s, 1e-3) / 8
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude)


def _batch_title(name: str, args: dict[str, Any], dur: float) -> str:
    code = "killed" if args.get("exit_code") is None else f"exit code {args['exit_code']}"
    timed_out = ", timed out" if args.get("timed_out") else ""
    files = int(args.get("files") or 0)
    batch = f"batch of {_count(files, 'file')}" if files else "batch without file arguments"
    return f"{name}: {batch}, {code}{timed_out}, {_seconds(dur)}; hook {_outcome(args)}"


def _hook_title(name: str, args: dict[str, Any], dur: float | None) -> str:
    lines = [f"{name}: {_outcome(args)}"]
    if dur is not None:
        code = args.get("exit_code")
        lines.append(
            f"{_count(int(args.get('files') or 0), 'file')}, "
            f"{'killed' if code is None else f'exit code {code}'}, "
            f"{_seconds(dur)} from first batch start to last batch end"
        )
    modified = [str(m) for m in args.get("modified") or []]
    if modified:
        more = f" and {len(modified) - 10} more" if len(modified) > 10 else ""
        lines.append("modified: " + ", ".join(modified[:10]) + more)
    if args.get("reason"):
        lines.append(str(args["reason"]))
    return "\n".join(lines)


class _Scale:
    """Microseconds since the run started to an x position; the axis ends on a tick."""

    def __init__(self, total_us: float) -> None:
        self.plot = _WIDTH - _LEFT - _RIGHT
        self.step = _tick_step(total_us / 1_000_000)
        self.ticks = max(math.ceil(total_us / 1_000_000 / self.step - 1e-9), 1)
        self.end_s = self.ticks * self.step

    def __call__(self, us: float) -> float:
        return round(_LEFT + self.plot * us / 1_000_000 / self.end_s, 1)


def _legend(y: float) -> list[str]:
    out, lx = [], float(_LEFT)
    for name in _OUTCOMES:
        out.append(
            f'<rect class="legend {name}" x="{lx}" y="{y}" width="12" height="12" rx="2"/>'
            f'<text x="{lx + 17}" y="{y + 10}">{name}</text>'
        )
        lx += 17 + len(name) * _CHAR + 22
    out.append(
        f'<rect class="legend passed hook" x="{lx}" y="{y}" width="24" height="12" rx="2"/>'
        f'<rect class="legend passed" x="{lx + 4}" y="{y + 3}" width="8" height="6"/>'
        f'<text x="{lx + 30}" y="{y + 10}">hook, its batches inside</text>'
    )
    lx += 30 + 24 * _CHAR + 22
    out.append(
        f'<line class="legend wait" x1="{lx}" y1="{y + 6}" x2="{lx + 24}" y2="{y + 6}"/>'
        f'<text x="{lx + 30}" y="{y + 10}">waiting</text>'
    )
    return out


def _slot_row(top: float, label: str, batches: list[dict[str, Any]], x: _Scale) -> list[str]:
    """One job slot: a bar per batch it ran, labelled with the hook id where it fits."""
    out = [
        f'<g class="slot-row"><rect class="row" x="{_LEFT}" y="{top}" '
        f'width="{x.plot}" height="{_SLOT_ROW - 4}"/>'
        f'<text x="16" y="{top + 15}">{_esc(label)}</text>'
    ]
    for e in batches:
        name, args, kind = _name(e), e.get("args", {}), _outcome(e.get("args", {}))
        x0, width = x(e["ts"]), max(x(e["ts"] + e["dur"]) - x(e["ts"]), 1.0)
        out.append(
            f'<g class="bar"><title>{_esc(_batch_title(name, args, e["dur"]))}</title>'
            f'<rect class="batch {kind}" data-hook="{_esc(name)}" x="{x0}" y="{top + 1}" '
            f'width="{width}" height="{_SLOT_ROW - 6}" rx="2"/>'
        )
        if width > 6 * _CHAR:
            out.append(
                f'<text class="in {kind}" x="{x0 + 4}" y="{top + 15}">'
                f"{_esc(_fit(name, width - 8))}</text>"
            )
        out.append("</g>")
    return [*out, "</g>"]


def _hook_row(top: float, e: dict[str, Any], batches: list[dict[str, Any]], x: _Scale) -> str:
    """One hook: its span (light) with its batches inside, or why it did not run."""
    name, args = _name(e), e.get("args", {})
    kind, ran = _outcome(args), e["ph"] == "X"
    out = [
        f'<g class="hook-row"><title>{_esc(_hook_title(name, args, e.get("dur")))}</title>'
        f'<text x="16" y="{top + 14}">{_esc(_fit(name, _LEFT - 24))}</text>'
    ]
    if not ran:
        reason = f"{kind}: {args.get('reason') or 'did not run'}"
        out.append(
            f'<rect class="notrun {kind}" data-hook="{_esc(name)}" x="{_LEFT}" '
            f'y="{top + 5}" width="8" height="{_HOOK_ROW - 12}" rx="2"/>'
            f'<text class="note" x="{_LEFT + 14}" y="{top + 14}">'
            f"{_esc(_fit(reason, x.plot - 14))}</text></g>"
        )
        return "".join(out)
    x0, x1 = x(e["ts"]), x(e["ts"] + e["dur"])
    if x0 > _LEFT + 2:  # every hook is queued when the run starts: before this, it waited
        out.append(
            f'<line class="wait" x1="{_LEFT}" y1="{top + 10}" x2="{x0 - 2}" y2="{top + 10}"/>'
        )
    out.append(
        f'<g class="bar"><rect class="hook {kind}" data-hook="{_esc(name)}" x="{x0}" '
        f'y="{top + 2}" width="{max(x1 - x0, 1.0)}" height="{_HOOK_ROW - 6}" rx="2"/>'
    )
    key = args.get("key")
    for b in batches:
        if b["name"] == e["name"] and b.get("args", {}).get("key", key) == key:
            b0 = x(b["ts"])
            out.append(
                f'<rect class="segment {kind}" x="{b0}" y="{top + 6}" '
                f'width="{max(x(b["ts"] + b["dur"]) - b0, 1.0)}" height="{_HOOK_ROW - 14}"/>'
            )
    text = f"{_seconds(e['dur'])} {kind}"
    if x1 + 6 + len(text) * _CHAR <= _WIDTH:
        out.append(f'</g><text class="note" x="{x1 + 6}" y="{top + 14}">{text}</text></g>')
    else:  # no room after the bar: before it
        end = max(x0 - 6, _LEFT + len(text) * _CHAR)
        out.append(
            f'</g><text class="note" x="{end}" y="{top + 14}" text-anchor="end">{text}</text></g>'
        )
    return "".join(out)


def html_timeline(trace: dict[str, Any]) -> str:
    """A self-contained page drawing ``trace`` (from :func:`chrome_trace`), for any browser.

    Drawn from the trace data itself, so the HTML and the JSON form always agree;
    inline SVG and CSS only (no script, no network), every text escaped.
    """
    events: list[dict[str, Any]] = trace.get("traceEvents", [])
    slot_names = {
        e.get("tid"): str(e["args"]["name"])
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e.get("pid") == _SLOTS
    }
    batches = [e for e in events if e.get("ph") == "X" and e.get("cat") == "batch"]
    spans = [e for e in events if e.get("ph") == "X" and e.get("cat") == "hook"]
    not_run = [e for e in events if e.get("ph") == "i" and e.get("cat") == "hook"]
    spans.sort(key=lambda e: (e["ts"], e.get("tid", 0)))
    not_run.sort(key=lambda e: e.get("tid", 0))
    slots = sorted({e.get("tid", 0) for e in batches})
    total = max((e["ts"] + e["dur"] for e in batches + spans), default=0.0)
    x = _Scale(total)

    out = _legend(4)
    y = 20 + _GAP
    axis_top = y - 18
    out.append(f'<text class="section" x="8" y="{y - 10}">job slots</text>')
    for row, slot in enumerate(slots):
        label = slot_names.get(slot, f"slot {slot + 1}")
        mine = [b for b in batches if b.get("tid", 0) == slot]
        out.extend(_slot_row(y + row * _SLOT_ROW, label, mine, x))
    if not slots:
        out.append(f'<text class="note" x="{_LEFT}" y="{y + 15}">no hook ran a batch</text>')
    y += max(len(slots), 1) * _SLOT_ROW + _GAP
    out.append(f'<text class="section" x="8" y="{y - 10}">hooks</text>')
    for row, e in enumerate(spans + not_run):  # in start order; those that did not run last
        out.append(_hook_row(y + row * _HOOK_ROW, e, batches, x))
    y += max(len(spans) + len(not_run), 1) * _HOOK_ROW + 8
    grid = []  # drawn first, behind the rows
    for i in range(x.ticks + 1):
        gx = x(i * x.step * 1_000_000)
        grid.append(f'<line class="grid" x1="{gx}" y1="{axis_top}" x2="{gx}" y2="{y}"/>')
        out.append(
            f'<text class="axis" x="{gx}" y="{y + 16}" text-anchor="middle">'
            f"{round(i * x.step, 6):g} s</text>"
        )
    out.append(f'<line class="base" x1="{_LEFT}" y1="{y}" x2="{_LEFT + x.plot}" y2="{y}"/>')
    height = y + 26
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}"><style>{_STYLE}</style>' + "".join(grid + out) + "</svg>"
    )
    tokens = trace.get("otherData", {}).get("tokens")
    held = f" ({_count(tokens, 'job token')})" if isinstance(tokens, int) else ""
    summary = (
        f"{_count(len(spans), 'hook')} ran in {_seconds(total)} on "
        f"{_count(len(slots), 'job slot')}{held}; their batches ran "
        f"{_seconds(sum(e['dur'] for e in batches))} in all"
        + (f"; {_count(len(not_run), 'hook')} did not run" if not_run else "")
        + ". Hover a bar for its files, exit code and outcome."
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>pytest-hookrun timeline</title><style>"
        "body { margin: 16px 20px; font: 14px system-ui, 'DejaVu Sans', sans-serif; "
        "color: #212529; background: #fff; }"
        "h1 { font-size: 18px; margin: 0 0 4px; } p { margin: 0 0 10px; color: #495057; }"
        "</style></head><body>\n<h1>pytest-hookrun timeline</h1>\n"
        f"<p>{_esc(summary)}</p>\n{svg}\n</body></html>\n"
    )
