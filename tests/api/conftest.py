"""The JSON API shares the citizen pages' fixtures (the demo form in an open consultation, a client)
and builds its request bodies in one place."""

import uuid

from tests.factories import valid_answers
from tests.web.conftest import SLUG, _no_rate_limit, client, version

__all__ = ["SLUG", "URL", "_no_rate_limit", "body", "client", "version"]

URL = f"/api/consultations/{SLUG}/responses"


def body(version_id: int, **overrides: object) -> dict[str, object]:
    """A valid complete response in Dutch with a fresh UUID; keywords replace any field."""
    return {"uuid": str(uuid.uuid4()), "version_id": version_id, "language": "nl", "answers": valid_answers(),
            **overrides}  # fmt: skip
