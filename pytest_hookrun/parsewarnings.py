"""A warning from a fast path's parser turns that file over to the real hook.

debug-statements parses files in pytest's process. Python's parser warns of some
source (an invalid escape sequence: a DeprecationWarning on 3.11, a SyntaxWarning on
3.12 and later) through the process-wide ``warnings`` filters. Under pytest such a
warning would land in the session's warnings summary, charged to whichever item was
running, while the real hook prints it or ignores it as its own interpreter's filters
say. Filters cannot differ per thread, so the fast paths parse under a name of their
own (:data:`PARSED`), and :func:`refuse` adds the filter that makes a warning under that
name the ``SyntaxError`` on which the fast path declines the file. The plugin keeps it in
front wherever pytest resets the filters (around the run, and in each item); the
helper process adds it once.
"""

from __future__ import annotations

import re
import warnings

PARSED = "<pytest-hookrun parse>"
"""The file name the fast paths give the parser (warnings name it as their module)."""


def refuse() -> None:
    """Make a warning while a fast path parses an error, in front of every filter."""
    warnings.filterwarnings("error", module=re.escape(PARSED) + r"\Z")
