"""pytest-hookrun: run a repository's pre-commit hooks as pytest items."""

from __future__ import annotations

__version__ = "0.1.0"
