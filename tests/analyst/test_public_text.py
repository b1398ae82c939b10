"""The public methodology text is built from the snapshot, and codes are shown with the form's labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from survey.analyst.labels import Labels
from survey.analyst.public_text import methodology
from survey.questionnaire.model import Choice, Page, Question, Questionnaire, QuestionType

FORM = Questionnaire(
    "ghent", {"fr": "Gand demain", "nl": "Gent morgen", "en": "Ghent tomorrow"}, "1", "nl", ("fr", "nl", "en"),
    (Page("p", {}, questions=(
        Question("district", QuestionType.SELECT_ONE, {"fr": "Votre quartier :", "nl": "Uw wijk:", "en": "Your district:"},
                 choice_list="districts"),
        Question("sex", QuestionType.SELECT_ONE, {"fr": "Sexe", "nl": "Geslacht", "en": "Sex"}, choice_list="sex"),
    )),),
    {"districts": (Choice("d1", {"fr": "Centre", "nl": "Centrum", "en": "Centre"}), Choice("d2", {"nl": "Haven"})),
     "sex": (Choice("F", {"fr": "Femme", "nl": "Vrouw", "en": "Woman"}),)},
)  # fmt: skip


def _content() -> dict[str, Any]:
    return {
        "title": {"fr": "Gand demain", "nl": "Gent morgen", "en": "Ghent tomorrow"},
        "organiser": "Stad Gent",
        "n": {"all": 2400, "online": 1500, "field": 600, "paper": 300},
        "n_eff": 1712.4,
        "margins": ["district", "sex"],
        "labels": Labels.from_questionnaire(FORM, {"district", "sex"}).to_dict(),
        "targets_label": "Statbel 2025",
        "spec": {"method": "poststratify"},
    }


PUBLISHED = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
EXPECTED = {
    "fr": ["Gand demain", "Stad Gent", "2\u202f400", "1\u202f500 en ligne", "600 avec un enquêteur",
           "300 sur papier", "post-stratification", "quartier et sexe", "Statbel 2025", "1\u202f712",
           "5 mars 2026"],
    "nl": ["Gent morgen", "Stad Gent", "2.400", "1.500 online", "600 met een enquêteur", "300 op papier",
           "poststratificatie", "wijk en geslacht", "Statbel 2025", "1.712", "5 maart 2026"],
    "en": ["Ghent tomorrow", "Stad Gent", "2,400", "1,500 online", "600 with an interviewer", "300 on paper",
           "post-stratification", "district and sex", "Statbel 2025", "1,712", "5 March 2026"],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_methodology_comes_from_the_snapshot(lang: str) -> None:
    text = " ".join(methodology(_content(), PUBLISHED, lang, easy=False))
    for expected in EXPECTED[lang]:
        assert expected in text, (expected, text)
    for brussels in ("Bruxelles", "Brussel", "Région", "Gewest", "Region", "{"):
        assert brussels not in text


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_easy_read_is_short_sentences_with_the_same_facts(lang: str) -> None:
    lines = methodology(_content(), PUBLISHED, lang, easy=True)
    standard = methodology(_content(), PUBLISHED, lang, easy=False)
    assert len(lines) > len(standard)
    assert max(len(line.split()) for line in lines) <= 20  # easy read: one idea per short sentence
    text = " ".join(lines)
    for expected in (
        EXPECTED[lang][0],
        EXPECTED[lang][2],
        "1\u202f500" if lang == "fr" else EXPECTED[lang][3][:5],
    ):
        assert expected in text
    assert "post-stratification" not in text and "poststratificatie" not in text


def test_methodology_without_organiser_or_labels() -> None:
    content = _content() | {"organiser": "", "labels": None, "n": {"all": 10, "online": 10}}
    text = " ".join(methodology(content, None, "en", easy=False))
    assert "organised by" not in text and "district and sex" in text and "10 online" in text
    easy = " ".join(methodology(content, None, "en", easy=True))
    assert "organised by" not in easy and "interviewer" not in easy


def test_labels_fall_back_to_the_code_and_cross_margins() -> None:
    labels = Labels.from_questionnaire(FORM)
    assert labels.question("district", "nl") == "Uw wijk"
    assert labels.choice("district", "d2", "nl") == "Haven"
    assert labels.choice("district", "d2", "fr") == "d2"  # no French label: the code, not the Dutch text
    assert labels.choice("district", "d9", "en") == "d9" and labels.question("unknown", "en") == "unknown"
    assert labels.choice("district:sex", "d1:F", "en") == "Centre × Woman"
    assert labels.question("district:sex", "fr") == "Votre quartier × Sexe"
    assert Labels.from_dict(labels.to_dict()) == labels
