"""The scrypt cost: production hashes at N = 2**14; tests lower it through SURVEY_SCRYPT_N, never production."""

from __future__ import annotations

import pytest

from survey.store.services.users import (
    PRODUCTION_SCRYPT_N,
    SCRYPT_N_VARIABLE,
    hash_password,
    scrypt_n,
    verify_password,
)


def test_without_the_setting_new_hashes_use_the_production_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCRYPT_N_VARIABLE, raising=False)
    assert PRODUCTION_SCRYPT_N == 2**14
    assert scrypt_n() == 2**14
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse", stored) and not verify_password("wrong horse", stored)


def test_a_lower_cost_is_recorded_in_the_hash_and_both_kinds_keep_verifying(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SCRYPT_N_VARIABLE, raising=False)
    production = hash_password("correct horse")
    monkeypatch.setenv(SCRYPT_N_VARIABLE, "16")
    cheap = hash_password("correct horse")
    assert cheap.startswith("scrypt$16$8$1$")
    assert verify_password("correct horse", cheap) and verify_password("correct horse", production)
    assert not verify_password("wrong horse", cheap)


@pytest.mark.parametrize("value", ["0", "1", "1000", "-16", "16k", "١٦"])
def test_a_cost_that_is_not_a_power_of_two_is_refused_by_name(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SCRYPT_N_VARIABLE, value)
    with pytest.raises(ValueError, match=SCRYPT_N_VARIABLE):
        hash_password("correct horse")


def test_production_refuses_a_cost_below_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.setenv(SCRYPT_N_VARIABLE, "16")
    with pytest.raises(ValueError, match="not production"):
        scrypt_n()
    monkeypatch.setenv(SCRYPT_N_VARIABLE, str(2**15))
    assert scrypt_n() == 2**15
