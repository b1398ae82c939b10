"""What the store keeps of a bearer secret: its SHA-256, never the secret itself.

One rule for resume tokens, device tokens and staff session ids, so that a table or a Redis dump
that leaks signs nobody in, and so that erasing by resume token finds what the pages stored.
"""

from __future__ import annotations

import hashlib

__all__ = ["hash_token"]


def hash_token(token: str) -> str:
    """The hex SHA-256 of ``token`` (UTF-8; lone surrogates kept rather than refused)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
