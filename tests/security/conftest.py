"""The security tests use the citizen pages' fixtures: the demo form in an open consultation, a client."""

from tests.web.conftest import SLUG, _no_rate_limit, client, version

__all__ = ["SLUG", "_no_rate_limit", "client", "version"]
