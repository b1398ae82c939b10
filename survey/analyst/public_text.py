"""Texts of the public results page in French, Dutch and English, standard and easy-read.

Why generated, not written once: every consultation has its own title, organiser, modes,
weighting margins and population source, so the methodology paragraph is assembled from the
frozen snapshot content (the figures a reader sees are the ones that were published).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from survey.analyst.characteristics import characteristics
from survey.analyst.formatting import number
from survey.analyst.labels import CROSS, Labels
from survey.analyst.summary import EXACT_SE
from survey.catalogue import Catalogue, per_language, register
from survey.http.i18n import MONTHS, TEXTS

__all__ = ["METHODS", "TEXT", "exact_margins", "join", "method_name", "methodology"]

_OWN_CATALOGUE: Catalogue = {
    "results": {"fr": "Résultats", "nl": "Resultaten", "en": "Results"},
    "results_of": {"fr": "Résultats : {title}", "nl": "Resultaten: {title}", "en": "Results: {title}"},
    "method_title": {"fr": "Comment lire ces chiffres", "nl": "Hoe deze cijfers lezen", "en": "How to read these figures"},
    "easy_title": {"fr": "En bref, facile à lire", "nl": "Kort, in makkelijke taal", "en": "In short, easy to read"},
    "answer": {"fr": "Réponse", "nl": "Antwoord", "en": "Answer"},
    "estimate": {"fr": "Estimation", "nl": "Schatting", "en": "Estimate"},
    "ci_col": {"fr": "Intervalle de confiance 95 %", "nl": "95%-betrouwbaarheidsinterval", "en": "95% confidence interval"},
    "n": {"fr": "Nombre de réponses", "nl": "Aantal antwoorden", "en": "Number of answers"},
    "none": {"fr": "Aucun résultat publié.", "nl": "Nog geen gepubliceerde resultaten.", "en": "No results published yet."},
    "technical": {"fr": "Détails techniques", "nl": "Technische details", "en": "Technical details"},
    "data_table": {"fr": "Tableau des données", "nl": "Gegevenstabel", "en": "Data table"},
    "easy_on": {"fr": "Version facile à lire", "nl": "Makkelijk lezen", "en": "Easy read"},
    "easy_off": {"fr": "Version habituelle", "nl": "Gewone tekst", "en": "Standard text"},
    "technical_line": {"fr": "Méthode : {method} ; marges : {margins} ; identifiant de la version du questionnaire {version} ; identifiant du jeu de cibles {targets} ; logiciel {software} ; effet de plan {deff}.", "nl": "Methode: {method}; marges: {margins}; id van de vragenlijstversie {version}; id van de set streefcijfers {targets}; software {software}; designeffect {deff}.", "en": "Method: {method}; margins: {margins}; questionnaire version id {version}; targets set id {targets}; software {software}; design effect {deff}."},
    "scheme_line": {"fr": "Schéma de pondération : {name} (jeu de cibles, version {version}).", "nl": "Wegingsschema: {name} (set streefcijfers, versie {version}).", "en": "Weighting scheme: {name} (targets set, version {version})."},
    "data_hash": {"fr": "Empreinte des données :", "nl": "Vingerafdruk van de gegevens:", "en": "Data hash:"},
    "mean": {"fr": "moyenne", "nl": "gemiddelde", "en": "mean"},
    "chart_desc": {"fr": "{title} : estimations avec leur intervalle de confiance à 95 %.", "nl": "{title}: schattingen met hun 95%-betrouwbaarheidsinterval.", "en": "{title}: estimates with 95% confidence intervals."},
    "exact_cell": {"fr": "exact (voir la note)", "nl": "exact (zie de noot)", "en": "exact (see the note)"},
    "exact_note": {"fr": "Les pourcentages de ces caractéristiques ont été rendus égaux aux chiffres de la population par la pondération : {margins}. Ils sont exacts par construction et n’ont donc pas d’intervalle de confiance ; les tableaux l’indiquent par « exact ».", "nl": "De weging maakte de percentages van deze kenmerken gelijk aan de bevolkingscijfers: {margins}. Ze zijn dus exact en hebben geen betrouwbaarheidsinterval; de tabellen tonen dat met „exact”.", "en": "Weighting made the percentages of these characteristics equal to the population figures: {margins}. They are exact by construction and so have no confidence interval; the tables show this as “exact”."},
    "easy_link": {"fr": "Lire cette page en version facile à lire", "nl": "Deze pagina in makkelijke taal lezen", "en": "Read this page in easy read"},
    "standard_link": {"fr": "Lire la version habituelle", "nl": "De gewone versie lezen", "en": "Read the standard version"},
    "withdrawn_title": {"fr": "Résultats retirés", "nl": "Resultaten ingetrokken", "en": "Results withdrawn"},
    "withdrawn": {"fr": "Ces résultats ont été retirés le {date} par l’équipe qui les avait publiés. Ils ne doivent plus être cités.", "nl": "Deze resultaten werden op {date} ingetrokken door het team dat ze publiceerde. Ze mogen niet meer worden geciteerd.", "en": "These results were withdrawn on {date} by the team that published them. They should no longer be cited."},
    "other_results": {"fr": "Voir les résultats publiés de cette consultation", "nl": "Bekijk de gepubliceerde resultaten van deze raadpleging", "en": "See the published results of this consultation"},
    "withdrawn_on": {"fr": "retiré le {date}", "nl": "ingetrokken op {date}", "en": "withdrawn on {date}"},
}  # fmt: skip
_OWN_WORDS: dict[str, dict[str, str]] = per_language(register("public_text.own_words", _OWN_CATALOGUE))
# With the site-wide words for the skip link and the language switcher.
TEXT: dict[str, dict[str, str]] = {
    lang: {**words, **{key: TEXTS[key][lang] for key in ("skip", "language")}}
    for lang, words in _OWN_WORDS.items()
}

METHODS: dict[str, dict[str, str]] = {
    "rake": {"fr": "calage itératif sur les marges (raking)", "nl": "iteratieve weging op de marges (raking)",
             "en": "raking to the population margins"},
    "poststratify": {"fr": "post-stratification", "nl": "poststratificatie", "en": "post-stratification"},
    "linear": {"fr": "calage linéaire", "nl": "lineaire kalibratie", "en": "linear calibration"},
    "logit": {"fr": "calage logit borné", "nl": "begrensde logit-kalibratie", "en": "bounded logit calibration"},
    "raking": {"fr": "calage (raking)", "nl": "kalibratie (raking)", "en": "raking calibration"},
}  # fmt: skip
register("public_text.methods", METHODS)


def method_name(code: str, lang: str) -> str:
    """``rake`` → ``raking to the population margins`` (or its French/Dutch words); unknown codes stay."""
    return METHODS.get(code, {}).get(lang, code)


MODES: dict[str, dict[str, str]] = {
    "online": {"fr": "{k} en ligne", "nl": "{k} online", "en": "{k} online"},
    "field": {"fr": "{k} avec un enquêteur sur le terrain", "nl": "{k} met een enquêteur op het terrein",
              "en": "{k} with an interviewer in the field"},
    "paper": {"fr": "{k} sur papier", "nl": "{k} op papier", "en": "{k} on paper"},
}  # fmt: skip
register("public_text.modes", MODES)

EASY_MODES: dict[str, dict[str, str]] = {
    "online": {"fr": "{k} personnes ont répondu sur internet.", "nl": "{k} mensen antwoordden op het internet.",
               "en": "{k} people answered on the internet."},
    "field": {"fr": "{k} personnes ont répondu à un enquêteur.", "nl": "{k} mensen antwoordden aan een enquêteur.",
              "en": "{k} people answered an interviewer."},
    "paper": {"fr": "{k} personnes ont répondu sur papier.", "nl": "{k} mensen antwoordden op papier.",
              "en": "{k} people answered on paper."},
}  # fmt: skip
register("public_text.easy_modes", EASY_MODES)

STANDARD: dict[str, list[str]] = {
    "fr": [
        "« {title} » est une consultation organisée par {organiser}. {n} personnes y ont participé : {modes}.",
        "Les personnes qui participent ne ressemblent pas toujours à l'ensemble de la population. Chaque réponse "
        "a donc reçu un poids ({method}) pour que l'ensemble des participants ressemble à la population selon "
        "ces caractéristiques : {margins}. Chiffres de population : {source}. Les pourcentages sont donc des "
        "estimations pondérées.",
        "Les traits noirs montrent l'intervalle de confiance à 95 % : la vraie valeur se trouve très probablement "
        "dans cet intervalle.",
        "Après pondération, la précision équivaut à celle d'un échantillon aléatoire d'environ {neff} personnes.",
        "Résultats publiés le {date}.",
    ],
    "nl": [
        "„{title}” is een raadpleging georganiseerd door {organiser}. {n} mensen namen deel: {modes}.",
        "Wie deelneemt, lijkt niet altijd op de hele bevolking. Daarom kreeg elk antwoord een gewicht ({method}), "
        "zodat de deelnemers samen op de bevolking lijken volgens deze kenmerken: {margins}. "
        "Bevolkingscijfers: {source}. De percentages zijn dus gewogen schattingen.",
        "De zwarte lijnen tonen het 95%-betrouwbaarheidsinterval: de echte waarde ligt zeer waarschijnlijk "
        "daarbinnen.",
        "Na weging is de nauwkeurigheid die van een toevalssteekproef van ongeveer {neff} personen.",
        "Resultaten gepubliceerd op {date}.",
    ],
    "en": [
        "“{title}” is a consultation organised by {organiser}. {n} people took part: {modes}.",
        "People who take part do not always resemble the whole population, so each answer was given a weight "
        "({method}) so that the participants together resemble the population on these characteristics: "
        "{margins}. Population figures: {source}. The percentages are therefore weighted estimates.",
        "The black lines show the 95% confidence interval: the true value very probably lies within it.",
        "After weighting, the precision equals that of a random sample of about {neff} people.",
        "Results published on {date}.",
    ],
}

EASY: dict[str, list[str]] = {
    "fr": ["{n} personnes ont répondu à la consultation « {title} ».", "{modes}",
           "La consultation est organisée par {organiser}.",
           "Certains groupes de personnes ont plus répondu que d’autres.",
           "Alors nous avons fait une correction.",
           "Les groupes qui ont peu répondu comptent un peu plus.",
           "Les groupes qui ont beaucoup répondu comptent un peu moins.",
           "Nous avons regardé : {margins}.",
           "Ainsi, les résultats montrent ce que pense probablement toute la population.",
           "Les chiffres ne sont pas exacts à 100 %.",
           "Le trait noir montre où est très probablement le vrai chiffre.",
           "Publié le {date}."],
    "nl": ["{n} mensen antwoordden op de raadpleging „{title}”.", "{modes}",
           "De raadpleging wordt georganiseerd door {organiser}.",
           "Sommige groepen mensen antwoordden meer dan andere.",
           "Daarom hebben we een correctie gemaakt.",
           "Groepen die weinig antwoordden, tellen wat meer mee.",
           "Groepen die veel antwoordden, tellen wat minder mee.",
           "We keken naar: {margins}.",
           "Zo tonen de resultaten wat waarschijnlijk de hele bevolking denkt.",
           "De cijfers zijn niet 100 % juist.",
           "De zwarte lijn toont waar het echte cijfer heel waarschijnlijk ligt.",
           "Gepubliceerd op {date}."],
    "en": ["{n} people answered the consultation “{title}”.", "{modes}",
           "The consultation is organised by {organiser}.",
           "Some groups of people answered more than others.",
           "So we made a correction.",
           "Groups that answered little count a bit more.",
           "Groups that answered a lot count a bit less.",
           "We looked at: {margins}.",
           "So the results show what the whole population probably thinks.",
           "The figures are not 100% exact.",
           "The black line shows where the real figure very probably is.",
           "Published on {date}."],
}  # fmt: skip


AND = {"fr": "et", "nl": "en", "en": "and"}


def date(value: dt.datetime | None, lang: str) -> str:
    if value is None:
        return "–"
    return f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"


def join(parts: list[str], lang: str) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {AND[lang]} {parts[-1]}"


def methodology(
    content: dict[str, Any], published: dt.datetime | None, lang: str, *, easy: bool
) -> list[str]:
    """Paragraphs (standard) or short sentences (easy read) describing how the figures were made."""
    counts = {k: v for k, v in content.get("n", {}).items() if k != "all" and v}
    mode_texts = EASY_MODES if easy else MODES
    modes = [
        (mode_texts[m][lang] if m in mode_texts else "{k} " + m).format(k=number(k, lang))
        for m, k in counts.items()
    ]
    title = content.get("title", {})
    labels = Labels.from_dict(content.get("labels"))
    values = {
        "title": title.get(lang) or next(iter(title.values()), ""),
        "organiser": content.get("organiser") or "",
        "n": number(content.get("n", {}).get("all", 0), lang),
        "modes": " ".join(modes) if easy else join(modes or ["–"], lang),
        "method": METHODS.get(content.get("spec", {}).get("method", ""), {}).get(lang, "?"),
        "margins": join(characteristics(content.get("margins", []), lang, labels) or ["–"], lang),
        "source": content.get("targets_label") or content.get("targets_source") or "–",
        "neff": number(content.get("n_eff") or 0, lang),
        "date": date(published, lang),
    }
    lines = (EASY if easy else STANDARD)[lang]
    if not values["organiser"]:
        lines = [line for line in lines if "{organiser}" not in line or not easy]
        lines = [line.replace(" organisée par {organiser}", "").replace(" georganiseerd door {organiser}", "")
                 .replace(" organised by {organiser}", "") for line in lines]  # fmt: skip
    return [line.format(**values) for line in lines]


def exact_margins(content: dict[str, Any]) -> set[str]:
    """Questions whose weighted shares equal the population margins (SE 0 by construction).

    Why from the SE and not the names alone: a margin the weighting could not meet (trimming,
    bounds, no convergence) keeps a real interval, and must show it.
    """
    names = {part for margin in content.get("margins", []) for part in margin.split(CROSS)}
    return {
        q["name"]
        for q in content.get("questions", [])
        if q["name"] in names and q.get("kind") == "categorical" and q.get("rows")
        and all(float((row.get("weighted") or {}).get("se") or 0.0) < EXACT_SE for row in q["rows"])
    }  # fmt: skip
