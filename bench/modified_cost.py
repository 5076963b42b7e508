"""What attributing modified files costs on a large repository (20,000 files by default).

Compares pytest-hookrun's per-hook check (stat every file of the hook, hash only where
the stat moved; every file is hashed once per run) with what pre-commit does after each
hook (`git diff` over the whole work tree).

    python bench/modified_cost.py [--files 20000]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from pytest_hookrun.changes import ContentCache


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hookrun-bench-") as tmp:
        root = Path(tmp)
        names = []
        for i in range(args.files):
            name = f"pkg{i // 500}/mod{i // 50}/file{i}.py"
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# file {i}\n" + "x = 1\n" * 40)
            names.append(name)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "x"],
            cwd=root,
            check=True,
        )
        cache = ContentCache(root)
        first = _timed(lambda: cache.snapshot(names))
        snap = cache.snapshot(names)
        again = _timed(lambda: cache.snapshot(names))
        for name in names[:10]:
            (root / name).write_text("changed\n")
        changed: list[str] = []
        check = _timed(lambda: changed.extend(cache.changed_since(snap)))
        git_diff = _timed(
            lambda: subprocess.run(
                ["git", "diff", "--no-ext-diff", "--no-color"], cwd=root, capture_output=True
            )
        )
        print(f"{args.files} tracked files, 10 changed")
        print(f"  first snapshot (stat + hash of every file, once per run): {first * 1000:8.1f} ms")
        print(f"  later snapshot (stat only):                               {again * 1000:8.1f} ms")
        print(f"  after-hook check (stat, hash of the 10 changed):          {check * 1000:8.1f} ms")
        print(
            f"  pre-commit's per-hook `git diff` of the whole tree:       {git_diff * 1000:8.1f} ms"
        )
        assert len(changed) == 10


if __name__ == "__main__":
    main()
