"""A realistic, biased demo sample: about 1,003 online and 148 field respondents.

Online respondents are drawn with a propensity that favours the young and the highly educated
(the digital divide); field respondents favour older, less educated and non-EU residents. Opinions
depend on age and education, so the unweighted online result is visibly off and weighting both
modes to the population margins pulls it back: exactly what the analyst pages must show.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd

ONLINE_PROPENSITY = {
    "age_group": {"18-24": 2.2, "25-34": 2.0, "35-44": 1.4, "45-54": 1.0, "55-64": 0.7, "65+": 0.35},
    "education": {"low": 0.35, "medium": 0.8, "high": 2.0},
    "nationality_group": {"belgian": 1.0, "eu": 1.3, "non_eu": 0.6},
}
FIELD_PROPENSITY = {
    "age_group": {"18-24": 0.8, "25-34": 0.8, "35-44": 0.9, "45-54": 1.0, "55-64": 1.3, "65+": 1.7},
    "education": {"low": 2.2, "medium": 1.1, "high": 0.45},
    "nationality_group": {"belgian": 1.0, "eu": 0.8, "non_eu": 1.6},
}
_LIKERT = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")
_COMMENTS = {
    "fr": [
        "Plus de transparence svp.",
        "Simplifier <vraiment> les choses & écouter les habitants.",
        "Garder la proximité.",
    ],
    "nl": ["Meer samenwerking tussen gemeenten.", "Minder bestuurslagen!"],
    "en": ["One police zone would be simpler.", "Listen to residents <please>."],
}
NAMESPACE = uuid.UUID("6f1d3c9a-2022-4bd5-9b1e-0c0ffee02022")


def _draw(
    population: pd.DataFrame, propensity: dict[str, dict[str, float]], n: int, rng: np.random.Generator
) -> pd.DataFrame:
    weight = population["count"].to_numpy(dtype=float)
    for column, factors in propensity.items():
        weight = weight * population[column].map(factors).to_numpy(dtype=float)
    picked = rng.choice(len(population), size=n, replace=True, p=weight / weight.sum())
    return population.iloc[picked].drop(columns="count").reset_index(drop=True)


def _likert(score: np.ndarray) -> np.ndarray:
    cuts = np.array([-1.2, -0.4, 0.2, 1.0])
    return np.array(_LIKERT, dtype=object)[np.searchsorted(cuts, score)]


def _opinions(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(people)
    young = people["age_group"].isin(["18-24", "25-34"]).to_numpy()
    old = (people["age_group"] == "65+").to_numpy()
    high = (people["education"] == "high").to_numpy()
    low = (people["education"] == "low").to_numpy()
    support = -0.3 + 0.7 * high - 0.6 * low + 0.5 * young - 0.6 * old + rng.normal(0, 0.8, n)
    out = people.copy()
    out["merge_municipalities"] = _likert(support)
    agree = np.isin(out["merge_municipalities"], ["agree", "strongly_agree"])
    disagree = np.isin(out["merge_municipalities"], ["disagree", "strongly_disagree"])
    nothing = np.full(n, None, dtype=object)
    how = rng.choice(["one_city", "fewer", "shared_services"], n, p=[0.4, 0.35, 0.25]).astype(object)
    out["merge_how"] = np.where(agree, how, nothing)
    reasons = [
        " ".join(sorted(set(rng.choice(["identity", "proximity", "cost", "other"], rng.integers(1, 3)))))
        for _ in range(n)
    ]
    out["merge_why_not"] = np.where(disagree, np.array(reasons, dtype=object), nothing)
    out["merge_why_not_other"] = [
        "Les petites communes disparaîtraient." if isinstance(r, str) and "other" in r.split() else None
        for r in out["merge_why_not"]
    ]
    regional = 0.35 + 0.25 * high - 0.2 * low
    for service, shift in (("police", 0.0), ("social_aid", -0.2), ("housing", 0.1), ("mobility", 0.25)):
        p_region = np.clip(regional + shift, 0.05, 0.9)
        draw = rng.random(n)
        out[f"level_{service}"] = np.select(
            [draw < p_region, draw < p_region + (1 - p_region) * 0.6, draw < 0.97],
            ["region", "municipality", "federal"],
            "no_opinion",
        )
    base = {"municipality": 6.0, "region": 5.0, "federal": 4.0}
    for level, mean in base.items():
        value = mean + 0.8 * old - 0.9 * low * (level == "federal") + rng.normal(0, 1.8, n)
        out[f"trust_{level}"] = np.clip(np.round(value), 0, 10).astype(int)
    out["simpler_institutions"] = _likert(0.8 + 0.3 * high + rng.normal(0, 0.8, n))
    out["more_participation"] = _likert(0.9 - 0.4 * high + 0.3 * low + rng.normal(0, 0.8, n))
    out["years_in_brussels"] = np.where(
        rng.random(n) < 0.85, np.clip(rng.normal(20, 12, n), 0, 90).astype(int), -1
    )
    return out


def generate_sample(
    population: pd.DataFrame, *, n_online: int = 1003, n_field: int = 148, seed: int = 2022
) -> pd.DataFrame:
    """One row per respondent with mode, language, demographics and answers; deterministic per seed."""
    rng = np.random.default_rng(seed)
    online = _draw(population, ONLINE_PROPENSITY, n_online, rng).assign(mode="online")
    field = _draw(population, FIELD_PROPENSITY, n_field, rng).assign(mode="field")
    people = pd.concat([online, field], ignore_index=True)
    sample = _opinions(people, rng)
    sample["language"] = np.where(
        sample["mode"] == "online",
        rng.choice(["fr", "nl", "en"], len(sample), p=[0.68, 0.17, 0.15]),
        rng.choice(["fr", "nl", "en"], len(sample), p=[0.8, 0.12, 0.08]),
    )
    sample["comment"] = [
        rng.choice(_COMMENTS[lang]) if rng.random() < 0.25 else None for lang in sample["language"]
    ]
    sample["uuid"] = [str(uuid.uuid5(NAMESPACE, f"{seed}-{i}")) for i in range(len(sample))]
    return sample
