"""The demo questionnaire, written as an XLSForm workbook so the demo goes through the real importer.

Regenerate ``data/brussels_futures.xlsx`` with ``python -m survey.demo.form``.
"""

from __future__ import annotations

from pathlib import Path

from survey.demo._places import MUNICIPALITIES

FORM_XLSX = Path(__file__).parent / "data" / "brussels_futures.xlsx"
LANGS = ("Français (fr)", "Nederlands (nl)", "English (en)")
EASY = ("FALC (fr)", "Makkelijk lezen (nl)", "Easy read (en)")
T = tuple[str, str, str]

SURVEY_HEADER = (
    "type", "name", *(f"label::{lang}" for lang in LANGS), *(f"label::{lang}" for lang in EASY),
    *(f"hint::{lang}" for lang in LANGS), "required", "relevant", "constraint",
    *(f"constraint_message::{lang}" for lang in LANGS), "appearance",
)  # fmt: skip

_LEVELS: list[tuple[str, T]] = [
    ("municipality", ("La commune", "De gemeente", "The municipality")),
    ("region", ("La Région", "Het Gewest", "The Region")),
    ("federal", ("L'État fédéral", "De federale staat", "The federal state")),
    ("no_opinion", ("Sans avis", "Geen mening", "No opinion")),
]
_AGREE: list[tuple[str, T]] = [
    ("strongly_disagree", ("Pas du tout d'accord", "Helemaal niet akkoord", "Strongly disagree")),
    ("disagree", ("Plutôt pas d'accord", "Eerder niet akkoord", "Disagree")),
    (
        "neutral",
        ("Ni d'accord ni pas d'accord", "Noch akkoord noch niet akkoord", "Neither agree nor disagree"),
    ),
    ("agree", ("Plutôt d'accord", "Eerder akkoord", "Agree")),
    ("strongly_agree", ("Tout à fait d'accord", "Helemaal akkoord", "Strongly agree")),
]
CHOICES: dict[str, list[tuple[str, T]]] = {
    "sex": [("F", ("Femme", "Vrouw", "Woman")), ("M", ("Homme", "Man", "Man"))],
    "age_group": [
        (a, (f"{a} ans", f"{a} jaar", f"{a} years")) for a in ("18-24", "25-34", "35-44", "45-54", "55-64")
    ]
    + [("65+", ("65 ans ou plus", "65 jaar of ouder", "65 or older"))],
    "municipality": [
        (code, (fr, nl, "City of Brussels" if code == "bruxelles" else fr))
        for code, (fr, nl, _n, _p) in MUNICIPALITIES.items()
    ],
    "education": [
        ("low", ("Au plus secondaire inférieur", "Hoogstens lager secundair", "Lower secondary or less")),
        ("medium", ("Secondaire supérieur", "Hoger secundair", "Upper secondary")),
        ("high", ("Enseignement supérieur", "Hoger onderwijs", "Higher education")),
    ],
    "nationality_group": [
        ("belgian", ("Belge", "Belg", "Belgian")),
        ("eu", ("Autre pays de l'UE", "Ander EU-land", "Other EU country")),
        ("non_eu", ("Pays hors UE", "Land buiten de EU", "Non-EU country")),
    ],
    "agree5": _AGREE,
    "level": _LEVELS,
    "merge_how": [
        ("one_city", ("Une seule ville de Bruxelles", "Eén stad Brussel", "One single City of Brussels")),
        (
            "fewer",
            ("Moins de communes, plus grandes", "Minder, grotere gemeenten", "Fewer, larger municipalities"),
        ),
        (
            "shared_services",
            (
                "Garder 19 communes mais partager des services",
                "19 gemeenten, gedeelde diensten",
                "Keep 19 but share services",
            ),
        ),
    ],
    "why_not": [
        (
            "identity",
            ("L'identité de ma commune", "De identiteit van mijn gemeente", "My municipality's identity"),
        ),
        (
            "proximity",
            ("La proximité avec les habitants", "De nabijheid bij de inwoners", "Closeness to residents"),
        ),
        ("cost", ("Le coût d'une fusion", "De kosten van een fusie", "The cost of a merger")),
        ("other", ("Autre raison", "Andere reden", "Another reason")),
    ],
}

# (type, name, labels, easy labels or None, hints or None, required, relevant, constraint, messages)
Row = tuple[str, str, T, T | None, T | None, bool, str, str, T | None]


def _q(kind: str, name: str, labels: T, easy: T | None = None, *, hint: T | None = None, required: bool = True,
       relevant: str = "", constraint: str = "", message: T | None = None) -> Row:  # fmt: skip
    return (kind, name, labels, easy, hint, required, relevant, constraint, message)


def _group(name: str, labels: T, rows: list[Row]) -> list[Row]:
    return [("begin group", name, labels, None, None, False, "", "", None), *rows,
            ("end group", "", ("", "", ""), None, None, False, "", "", None)]  # fmt: skip


def _level(name: str, labels: T) -> Row:
    return _q("select_one level", name, labels)


def survey_rows() -> list[Row]:
    """The questionnaire as rows: demographics first (weighting needs them), then the institutions."""
    return [
        *_group(
            "about_you",
            ("À propos de vous", "Over u", "About you"),
            [
                _q("select_one sex", "sex", ("Vous êtes :", "U bent:", "You are:")),
                _q(
                    "select_one age_group",
                    "age_group",
                    ("Votre âge :", "Uw leeftijd:", "Your age:"),
                    ("Quel âge avez-vous ?", "Hoe oud bent u?", "How old are you?"),
                ),
                _q(
                    "select_one municipality",
                    "municipality",
                    (
                        "Dans quelle commune habitez-vous ?",
                        "In welke gemeente woont u?",
                        "In which municipality do you live?",
                    ),
                ),
                _q(
                    "select_one education",
                    "education",
                    ("Votre diplôme le plus élevé :", "Uw hoogste diploma:", "Your highest qualification:"),
                    (
                        "Quel est votre plus haut diplôme ?",
                        "Wat is uw hoogste diploma?",
                        "What is the highest school level you finished?",
                    ),
                ),
                _q(
                    "select_one nationality_group",
                    "nationality_group",
                    ("Votre nationalité :", "Uw nationaliteit:", "Your nationality:"),
                ),
                _q(
                    "integer",
                    "years_in_brussels",
                    (
                        "Depuis combien d'années habitez-vous à Bruxelles ?",
                        "Hoeveel jaar woont u al in Brussel?",
                        "How many years have you lived in Brussels?",
                    ),
                    required=False,
                    constraint=". >= 0 and . <= 100",
                    message=(
                        "Un nombre entre 0 et 100.",
                        "Een getal tussen 0 en 100.",
                        "A number from 0 to 100.",
                    ),
                ),
            ],
        ),
        *_group(
            "merger",
            ("Les 19 communes", "De 19 gemeenten", "The 19 municipalities"),
            [
                _q(
                    "select_one agree5",
                    "merge_municipalities",
                    (
                        "Les 19 communes bruxelloises devraient fusionner.",
                        "De 19 Brusselse gemeenten zouden moeten fusioneren.",
                        "The 19 Brussels municipalities should merge.",
                    ),
                    (
                        "Il faudrait réunir les 19 communes en une seule.",
                        "De 19 gemeenten moeten samen één worden.",
                        "The 19 towns of Brussels should become one.",
                    ),
                ),
                _q(
                    "select_one merge_how",
                    "merge_how",
                    (
                        "Comment faudrait-il les regrouper ?",
                        "Hoe zou men ze moeten samenbrengen?",
                        "How should they be brought together?",
                    ),
                    relevant="selected(${merge_municipalities}, 'agree') or "
                    "selected(${merge_municipalities}, 'strongly_agree')",
                ),
                _q(
                    "select_multiple why_not",
                    "merge_why_not",
                    (
                        "Pourquoi n'êtes-vous pas d'accord ? (plusieurs réponses possibles)",
                        "Waarom bent u het niet eens? (meerdere antwoorden mogelijk)",
                        "Why do you disagree? (several answers possible)",
                    ),
                    relevant="${merge_municipalities} = 'disagree' or ${merge_municipalities} = 'strongly_disagree'",
                ),
                _q(
                    "text",
                    "merge_why_not_other",
                    ("Précisez :", "Verduidelijk:", "Please specify:"),
                    relevant="selected(${merge_why_not}, 'other')",
                ),
            ],
        ),
        *_group(
            "competences",
            ("Qui devrait s'en occuper ?", "Wie zou ervoor moeten zorgen?", "Who should be in charge?"),
            [
                _level("level_police", ("La police", "De politie", "The police")),
                _level(
                    "level_social_aid",
                    ("L'aide sociale (CPAS)", "De sociale hulp (OCMW)", "Social aid (CPAS/OCMW)"),
                ),
                _level("level_housing", ("Le logement", "De huisvesting", "Housing")),
                _level("level_mobility", ("La mobilité", "De mobiliteit", "Mobility")),
            ],
        ),
        *_group(
            "trust",
            ("Votre confiance", "Uw vertrouwen", "Your trust"),
            [
                *(
                    _q(
                        "integer",
                        f"trust_{level}",
                        labels,
                        hint=(
                            "De 0 (aucune confiance) à 10 (confiance totale)",
                            "Van 0 (geen vertrouwen) tot 10 (volledig vertrouwen)",
                            "From 0 (no trust) to 10 (complete trust)",
                        ),
                        constraint=". >= 0 and . <= 10",
                        message=("Un nombre de 0 à 10.", "Een getal van 0 tot 10.", "A number from 0 to 10."),
                    )
                    for level, labels in (
                        (
                            "municipality",
                            (
                                "Confiance dans votre commune",
                                "Vertrouwen in uw gemeente",
                                "Trust in your municipality",
                            ),
                        ),
                        (
                            "region",
                            ("Confiance dans la Région", "Vertrouwen in het Gewest", "Trust in the Region"),
                        ),
                        (
                            "federal",
                            (
                                "Confiance dans l'État fédéral",
                                "Vertrouwen in de federale staat",
                                "Trust in the federal state",
                            ),
                        ),
                    )
                ),
                _q(
                    "select_one agree5",
                    "simpler_institutions",
                    (
                        "Les institutions bruxelloises sont trop compliquées.",
                        "De Brusselse instellingen zijn te ingewikkeld.",
                        "Brussels institutions are too complicated.",
                    ),
                    (
                        "Il est difficile de savoir qui fait quoi à Bruxelles.",
                        "Het is moeilijk te weten wie wat doet.",
                        "It is hard to know who does what in Brussels.",
                    ),
                ),
                _q(
                    "select_one agree5",
                    "more_participation",
                    (
                        "Les habitants devraient être consultés plus souvent.",
                        "Inwoners zouden vaker geraadpleegd moeten worden.",
                        "Residents should be consulted more often.",
                    ),
                ),
            ],
        ),
        *_group(
            "your_opinion",
            ("Votre avis", "Uw mening", "Your opinion"),
            [
                _q(
                    "text",
                    "comment",
                    ("Un commentaire ou une idée ?", "Een opmerking of een idee?", "Any comment or idea?"),
                    required=False,
                ),
            ],
        ),
    ]


def build_workbook(path: Path = FORM_XLSX) -> Path:
    """Write the XLSForm; openpyxl is only needed here and when importing."""
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(SURVEY_HEADER)
    for kind, name, labels, easy, hint, required, relevant, constraint, message in survey_rows():
        survey.append([
            kind, name, *labels, *(easy or ("", "", "")), *(hint or ("", "", "")),
            "yes" if required else "", relevant, constraint, *(message or ("", "", "")), "",
        ])  # fmt: skip
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *(f"label::{lang}" for lang in LANGS)])
    for list_name, options in CHOICES.items():
        for name, labels in options:
            choices.append([list_name, name, *labels])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version", "default_language", *(f"form_title::{lang}" for lang in LANGS)])
    settings.append(["brussels_futures", "2022.1", "Français (fr)", "Les Futurs de Bruxelles",
                     "De Toekomst van Brussel", "The Futures of Brussels"])  # fmt: skip
    book.properties.created = book.properties.modified = __import__("datetime").datetime(2022, 9, 18)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


if __name__ == "__main__":
    print(f"wrote {build_workbook()}")
