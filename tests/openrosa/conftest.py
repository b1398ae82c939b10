"""OpenRosa tests reuse the field app's environment: a three-language form and an assigned interviewer."""

from tests.field_app.conftest import client, field_env  # noqa: F401  (fixtures shared with the field app)
