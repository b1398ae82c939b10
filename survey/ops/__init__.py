"""Operations: back up and restore the store, check a deployment (``survey doctor``), readiness.

Why a package of its own: these are what an operator runs around the application (before a
deploy, on a schedule, after a lost disk), not parts of collecting or weighting responses. They
use the store's engines and migrations but nothing of the web layer, except ``routes`` which
serves the readiness check.
"""

from __future__ import annotations

__all__: list[str] = []
