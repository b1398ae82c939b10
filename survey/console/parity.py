"""Every console write and the ``survey`` command that does the same through the same service.

One rule, two doors: ``tests/console/test_cli_parity.py`` lists the console's POST routes from the
app's route table and fails when one has no line here or when the named command does not exist.
A page that adds a write adds its line (route path template → command words after ``survey``).
"""

from __future__ import annotations

# Signing in and out are not organiser actions: the CLI runs on the server with its own rights.
# The preview's buttons post only to move between pages: nothing is stored.
NOT_ACTIONS = frozenset(
    {"/console/login", "/console/logout", "/console/c/{slug:str}/preview/{number:int}/p/{page:int}"}
)

CLI_FOR_WRITE: dict[str, str] = {
    "/console/new": "consultation create",
    "/console/c/{slug:str}/open": "consultation open",
    "/console/c/{slug:str}/close": "consultation close",
    "/console/c/{slug:str}/schedule": "consultation schedule",
    "/console/c/{slug:str}/questionnaire": "form import",  # `_action=check` is `form validate`
    "/console/people": "user create",
    "/console/people/{user_id:int}/role": "user role",
    "/console/people/{user_id:int}/active": "user disable",
    "/console/people/{user_id:int}/reset": "user reset",
    "/console/people/{user_id:int}/grants": "grant add",  # and `grant remove` (remove=1)
    "/console/reset/{token:str}": "user password",
    "/console/people/{user_id:int}/assign": "device assign",  # and `device unassign` (remove=1)
    "/console/people/{user_id:int}/devices/{device_id:int}/revoke": "device revoke",
    "/console/c/{slug:str}/invitations/issue": "invite create",
    "/console/c/{slug:str}/invitations/download": "invite create",  # the CLI writes the codes at issue
    "/console/c/{slug:str}/invitations/access": "invite require",
    "/console/c/{slug:str}/targets/derive": "targets from-population",
    "/console/c/{slug:str}/targets/save": "targets from-population",  # with --consultation
    "/console/c/{slug:str}/quotas": "quota set",
}
