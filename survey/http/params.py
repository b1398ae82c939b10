"""Bounds on the ids that requests name, declared once for paths and bodies alike.

An id the store cannot hold (above 2**31 - 1) is refused before any query, naming it: a 400 for
a path parameter, a 422 for a body field. PostgreSQL would answer it with an error, SQLite
with an overflow.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import Parameter

from survey.store.bounds import MAX_ID

__all__ = ["BodyId", "PathId"]

PathId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
BodyId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
