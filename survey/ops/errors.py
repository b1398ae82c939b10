"""The one error the operations raise: a message for the operator, shown as one line."""

from __future__ import annotations


class OperationsError(RuntimeError):
    """A backup, restore or check cannot go on; the message names what and what to do."""
