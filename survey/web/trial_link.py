"""The organisers' test link: ``/c/{slug}?test=TOKEN`` starts a response marked as a test.

Why a signed token rather than a flag: anyone could add ``?test=1`` and have their answers left
out of the results. The token is an HMAC of the slug under the app's secret, so only someone who
saw it in the console has it; responses started with it carry ``is_test`` and no result counts
them (``counted.counted``). It also opens a draft, so a form can be tried before it is opened.
"""

from __future__ import annotations

import hashlib
import hmac

from survey.http.csrf import same_text


def trial_token(secret_key: str, slug: str) -> str:
    """The test token of one consultation (stable: the link can be bookmarked and shared in the team)."""
    return hmac.new(secret_key.encode(), f"test-link|{slug}".encode(), hashlib.sha256).hexdigest()[:32]


def is_trial(secret_key: str, slug: str, token: object) -> bool:
    """Whether ``token`` is this consultation's test token."""
    return isinstance(token, str) and bool(token) and same_text(token, trial_token(secret_key, slug))
