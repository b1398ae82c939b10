"""CSRF tokens and the IP-free rate limiter, without a server."""

from __future__ import annotations

from survey.http import csrf
from survey.http.ratelimit import RateLimiter
from survey.http.shared_counts import SlotCounts, TableSpec

KEY = "test-secret-key-0123456789"


def test_csrf_token_must_be_the_mac_of_the_cookies_seed() -> None:
    seed, other = csrf.new_seed(), csrf.new_seed()
    token = csrf.token(KEY, seed)
    assert csrf.check(KEY, seed, token)
    assert not csrf.check(KEY, seed, csrf.token(KEY, other))
    assert not csrf.check(KEY, None, token)
    assert not csrf.check(KEY, seed, seed)  # the seed itself is no token (the former citizen scheme's)
    assert not csrf.check(KEY, seed, "")
    assert not csrf.check(KEY, seed, None)
    assert not csrf.check("other-key", seed, token)
    # text outside ASCII is refused like any other forgery (compare_digest would raise: a 500)
    assert not csrf.check(KEY, seed, "é" + token[1:])
    assert not csrf.check(KEY, "é.\udcff", "é.é")
    assert csrf.check(KEY, "é.\udcff", csrf.token(KEY, "é.\udcff"))


def test_rate_limiter_counts_per_client_and_forgets() -> None:
    now = [0.0]
    table = SlotCounts(TableSpec(window=60, slots=6), clock=lambda: now[0])
    limiter = RateLimiter(2, table=lambda: table)
    assert limiter.hit("10.0.0.1") and limiter.hit("10.0.0.1")
    assert not limiter.hit("10.0.0.1")
    assert limiter.hit("10.0.0.2")
    now[0] = 30  # a sliding window: the hits of second 0 still count half a minute later
    assert not limiter.hit("10.0.0.1")
    now[0] = 61
    assert limiter.hit("10.0.0.1")


def test_two_limiters_in_one_table_count_apart() -> None:
    table = SlotCounts(TableSpec(window=60, slots=6))
    forms, api = RateLimiter(1, "forms", lambda: table), RateLimiter(1, "api", lambda: table)
    assert forms.hit("10.0.0.1") and api.hit("10.0.0.1")
    assert not forms.hit("10.0.0.1") and not api.hit("10.0.0.1")


def test_rate_limit_zero_disables() -> None:
    limiter = RateLimiter(0)
    assert all(limiter.hit("x") for _ in range(1000))
