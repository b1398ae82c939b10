"""Services: the only code that touches a session. Web, CLI and sync call these, never the ORM."""
