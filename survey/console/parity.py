"""Every console write and the ``survey`` command that does the same through the same service.

One rule, two doors: ``tests/console/test_cli_parity.py`` lists the console's POST routes from the
app's route table and fails when one has no line here or when the named command does not exist.
A page that adds a write adds its line (route path template → command words after ``survey``).
"""

from __future__ import annotations

# Signing in and out are not organiser actions: the CLI runs on the server with its own rights.
NOT_ACTIONS = frozenset({"/console/login", "/console/logout"})

CLI_FOR_WRITE: dict[str, str] = {}
