"""Interviewer login throttling: per account, per client, 429 with a clear message, no address kept."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from field_app.api import LIMITER_KEY
from survey.http.login_throttle import MAX_PER_ACCOUNT, MAX_PER_CLIENT, LoginLimiter, TooManyAttempts
from survey.store.errors import AuthError
from tests.field_app.conftest import PASSWORD, FieldEnv, basic


def attempt(client, username: str, password: str = "wrong-password"):
    return client.post("/field/api/login", json={"username": username, "password": password})


def test_account_is_throttled_after_failures_even_with_the_right_password(
    client, field_env: FieldEnv
) -> None:
    for _ in range(MAX_PER_ACCOUNT):
        assert attempt(client, "int1").status_code == 401
    blocked = attempt(client, "INT1", PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed login attempts" in blocked.json()["detail"]
    assert int(blocked.headers["retry-after"]) > 0
    assert attempt(client, "int2", PASSWORD).status_code == 200  # other accounts are not locked out


def test_success_clears_the_account_count(client, field_env: FieldEnv) -> None:
    for _ in range(MAX_PER_ACCOUNT - 1):
        attempt(client, "int1")
    assert attempt(client, "int1", PASSWORD).status_code == 200
    assert attempt(client, "int1").status_code == 401  # counting starts again


def test_one_client_trying_many_accounts_is_throttled(client, field_env: FieldEnv) -> None:
    for i in range(MAX_PER_CLIENT):
        assert attempt(client, f"nobody{i}").status_code == 401
    assert attempt(client, "int1", PASSWORD).status_code == 429
    limiter: LoginLimiter = client.app.state[LIMITER_KEY]
    assert limiter.counts("int1", "testclient") == (
        0,
        MAX_PER_CLIENT,
    )  # refused before its password was tried


def test_entries_expire_after_the_window() -> None:
    now = [1000.0]
    limiter = LoginLimiter(window=60, per_account=2, per_client=10, clock=lambda: now[0])
    limiter.failed("a", "10.0.0.1")
    limiter.failed("a", "10.0.0.1")
    with pytest.raises(TooManyAttempts):
        limiter.check("a", "10.0.0.1")
    assert limiter.counts("a", "10.0.0.1") == (2, 2)
    now[0] += 61
    limiter.check("a", "10.0.0.1")


def test_attempts_in_flight_count_so_a_parallel_burst_cannot_slip_through() -> None:
    """Five password checks still running fill the account: the sixth is refused before any ends."""
    limiter = LoginLimiter(window=60, per_account=5, per_client=50)
    with ExitStack() as running:
        for _ in range(5):
            running.enter_context(limiter.attempt("coord", "10.0.0.9"))
        with pytest.raises(TooManyAttempts):
            limiter.check("coord", "10.0.0.9")
    limiter.check("coord", "10.0.0.9")  # all five ended well: nothing is held against the account


def test_a_failed_attempt_is_counted_and_a_good_one_clears_the_account() -> None:
    limiter = LoginLimiter(window=60, per_account=2, per_client=50)
    for _ in range(2):
        with pytest.raises(AuthError), limiter.attempt("coord", "10.0.0.9"):
            raise AuthError("wrong password")
    with pytest.raises(TooManyAttempts), limiter.attempt("coord", "10.0.0.9"):
        raise AssertionError("not reached: the account is full")
    fresh = LoginLimiter(window=60, per_account=2, per_client=50)
    with pytest.raises(AuthError), fresh.attempt("coord", "10.0.0.9"):
        raise AuthError("wrong password")
    with fresh.attempt("coord", "10.0.0.9"):
        pass
    fresh.failed("coord", "10.0.0.9")
    fresh.check("coord", "10.0.0.9")  # one failure counted since the good password, not two


def test_basic_credentials_on_the_admin_api_are_throttled_too(client, field_env: FieldEnv) -> None:
    url = "/field/api/admin/devices"
    for _ in range(MAX_PER_ACCOUNT):
        assert client.get(url, headers=basic("boss", "wrong-password")).status_code == 401
    assert client.get(url, headers=basic("boss")).status_code == 429
