"""Plain data kept in files of pytest's cache directory, as marshal.

The result cache and the tag cache hold an entry per file of the repository (a
megabyte and more). ``config.cache.set`` writes indented, sorted JSON: about ten
times slower to write and read than marshal, and a commit's run pays both. A file
that cannot be read counts as absent; one that cannot be written is no cache.
Pure: no pytest.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any


def read(path: Path) -> object:
    """What ``write`` put in ``path``; None when it is missing or unreadable."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write(path: Path, value: Any) -> bool:
    """Replace ``path`` by ``value`` at once (a reader never sees half a file); False
    when it could not be written."""
    try:
        data = marshal.dumps(value)
    except ValueError:  # not plain data
        return False
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
