"""The helper process (:mod:`pytest_hookrun.helper`): one fast path, run on the files of
one request read from stdin, with the hook's output and exit status.

Started before its work is known, it imports the fast paths first (that is what it is
started early for), then waits. The request is one JSON object: ``entry`` and ``version``
(the fast path), ``args`` (the hook's arguments, then its files), ``fallback`` (the real
hook's command line with the same arguments and files), ``env`` (the variables the real
hook would get) and ``cwd`` (where it runs). Where the fast path declines
(:class:`FastPathError`: a file that does not parse, ...), it ``exec``s the real hook on
its files instead, as the runner's in-process batches fall back to it. No request (stdin
closed): not needed, exit 0.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

from .. import parsewarnings
from . import ENTRIES
from ._base import FastHook, FastPathError


def main() -> int:
    raw = sys.stdin.buffer.read()
    if not raw:
        return 0
    # a short life that allocates much (syntax trees) and frees it by reference
    # counting: the cyclic collector would only walk it, again and again
    gc.disable()
    parsewarnings.refuse()
    work = json.loads(raw)
    null = os.open(os.devnull, os.O_RDONLY)  # what every hook process reads
    os.dup2(null, 0)
    os.close(null)
    os.chdir(work["cwd"])
    entry = ENTRIES[work["entry"]]
    version = work["version"]
    fast = FastHook(work["entry"], version, entry.impl(version), entry.usable)
    try:
        status, output = fast([], work["args"], Path.cwd())
    except FastPathError:
        fallback = work["fallback"]
        try:
            os.execve(fallback[0], fallback, work["env"])
        except OSError as exc:
            output, status = f"hookrun: cannot run {fallback[0]}: {exc}\n".encode(), 1
    view = memoryview(output)
    while view:
        view = view[os.write(1, view) :]
    # written, unbuffered, and nothing else to finish (the fast paths a helper runs only
    # read): no teardown
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
