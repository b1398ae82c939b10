"""The representativeness monitor's words in English, French and Dutch.

Why a table of its own: the monitor is one page with its own vocabulary (R-indicator, partial
indicators, effective sample size); keeping it beside the page keeps ``workbench_text`` for the
menus every page shares. Errors of the cell choice are rebuilt from their code, like the
weighting library's (`weighting_message`), which handles every other code.
"""

from __future__ import annotations

from collections.abc import Mapping

from survey.analyst.weighting_text import weighting_message
from survey.catalogue import Catalogue, per_language, register
from weighting import WeightingError

__all__ = ["MONITOR_TEXT", "monitor_note", "monitor_problem", "monitor_text"]

_MONITOR_WORDS: Catalogue = {
    "title": {"fr": "Représentativité", "nl": "Representativiteit", "en": "Representativeness"},
    "cells": {"fr": "Cellules (questions, croisées avec « : »)", "nl": "Cellen (vragen, gekruist met ':')", "en": "Cells (questions, crossed with ':')"},
    "show": {"fr": "Afficher", "nl": "Tonen", "en": "Show"},
    "cells_help": {"fr": "Par exemple sex:age_group ou sex,education. Les taux de réponse sont comparés dans les cellules croisées, et les entretiens de terrain y sont planifiés.", "nl": "Bijvoorbeeld sex:age_group of sex,education. In de gekruiste cellen worden de responsgraden vergeleken en de veldinterviews gepland.", "en": "For example sex:age_group or sex,education. The crossed cells are where response rates are compared and where field interviews are planned."},
    "indicators": {"fr": "Indicateurs", "nl": "Indicatoren", "en": "Indicators"},
    "all_modes": {"fr": "Tous les modes", "nl": "Alle modi", "en": "All modes"},
    "online_only": {"fr": "En ligne seulement", "nl": "Alleen online", "en": "Online only"},
    "responses": {"fr": "Réponses", "nl": "Antwoorden", "en": "Responses"},
    "r_indicator": {"fr": "Indicateur R", "nl": "R-indicator", "en": "R-indicator"},
    "cv": {"fr": "CV des propensions de réponse", "nl": "CV van de responskansen", "en": "CV of response propensities"},
    "mean_propensity": {"fr": "Propension moyenne de réponse", "nl": "Gemiddelde responskans", "en": "Mean response propensity"},
    "r_help": {"fr": "R = 1 − 2·S(ρ), S la dispersion des taux de réponse des cellules dans la population (Schouten, Cobben & Bethlehem 2009) ; 1 signifie que toutes les cellules ont répondu au même taux. Avec un échantillon auto-sélectionné R reste proche de 1 : suivez le CV, S(ρ) divisé par le taux moyen, qui est aussi le biais maximal d'une moyenne standardisée.", "nl": "R = 1 − 2·S(ρ), S de spreiding van de responsgraden van de cellen over de bevolking (Schouten, Cobben & Bethlehem 2009); 1 betekent dat elke cel in dezelfde mate antwoordde. Bij een zelfgeselecteerde steekproef blijft R dicht bij 1: volg de CV, S(ρ) gedeeld door de gemiddelde graad, ook de grootste vertekening van een gestandaardiseerd gemiddelde.", "en": "R = 1 − 2·S(ρ), S the spread of the cell response rates over the population (Schouten, Cobben & Bethlehem 2009); 1 means every cell answered at the same rate. With a self-selected sample R stays close to 1: follow the CV, S(ρ) divided by the mean rate, which is also the largest bias of a standardised mean."},
    "no_population": {"fr": "La taille de la population est inconnue : R en a besoin, pas le CV.", "nl": "De bevolkingsomvang is onbekend: R heeft hem nodig, de CV niet.", "en": "The population size is unknown: R needs it; the CV does not."},
    "deff": {"fr": "Effet de plan de Kish des poids post-stratifiés", "nl": "Kish-designeffect van de poststratificatiegewichten", "en": "Kish design effect of the post-stratified weights"},
    "n_eff": {"fr": "Taille effective de l'échantillon", "nl": "Effectieve steekproefomvang", "en": "Effective sample size"},
    "max_weight": {"fr": "Plus grand poids / poids moyen", "nl": "Grootste gewicht / gemiddeld gewicht", "en": "Largest weight / mean weight"},
    "moe": {"fr": "Marge d'erreur d'une proportion de 50 %", "nl": "Foutenmarge van een aandeel van 50 %", "en": "Margin of error of a 50 % proportion"},
    "uncovered": {"fr": "Population des cellules sans réponse", "nl": "Bevolking in cellen zonder antwoorden", "en": "Population in cells without responses"},
    "partials": {"fr": "Indicateurs partiels", "nl": "Partiële indicatoren", "en": "Partial indicators"},
    "partials_help": {"fr": "Quelle question explique l'inégalité des réponses : inconditionnel = la dispersion des taux de réponse entre ses catégories ; conditionnel = celle qu'elle ajoute une fois les autres questions connues (Schouten, Shlomo & Skinner 2011). Rapportés au taux moyen (CV partiels).", "nl": "Welke vraag de ongelijke respons verklaart: onvoorwaardelijk = de spreiding van de responsgraden tussen haar categorieën; voorwaardelijk = wat ze toevoegt als de andere vragen gekend zijn (Schouten, Shlomo & Skinner 2011). Ten opzichte van de gemiddelde graad (partiële CV's).", "en": "Which question drives the unequal response: unconditional = the spread of response rates between its categories; conditional = the spread it adds once the other questions are known (Schouten, Shlomo & Skinner 2011). Shown relative to the mean rate (partial CVs)."},
    "question": {"fr": "Question", "nl": "Vraag", "en": "Question"},
    "unconditional": {"fr": "Inconditionnel", "nl": "Onvoorwaardelijk", "en": "Unconditional"},
    "conditional": {"fr": "Conditionnel", "nl": "Voorwaardelijk", "en": "Conditional"},
    "category": {"fr": "Catégorie", "nl": "Categorie", "en": "Category"},
    "coverage": {"fr": "Couverture", "nl": "Dekking", "en": "Coverage"},
    "population_share": {"fr": "Population", "nl": "Bevolking", "en": "Population"},
    "response_share": {"fr": "Réponses", "nl": "Antwoorden", "en": "Responses"},
    "ratio": {"fr": "Rapport", "nl": "Verhouding", "en": "Ratio"},
    "ratio_help": {"fr": "Sous 1 : sous-représenté ; 0 : personne.", "nl": "Onder 1: ondervertegenwoordigd; 0: niemand.", "en": "Below 1: under-represented; 0: nobody."},
    "evolution": {"fr": "Évolution par jour de soumission", "nl": "Verloop per dag van indiening", "en": "Evolution by day of submission"},
    "day": {"fr": "Jour", "nl": "Dag", "en": "Day"},
    "cv_title": {"fr": "CV des propensions de réponse par jour", "nl": "CV van de responskansen per dag", "en": "CV of response propensities by day"},
    "deff_title": {"fr": "Effet de plan de Kish par jour", "nl": "Kish-designeffect per dag", "en": "Kish design effect by day"},
    "evolution_desc": {"fr": "Valeur cumulée à la fin de chaque jour.", "nl": "Cumulatieve waarde aan het einde van elke dag.", "en": "Running value at the end of each day."},
    "notes": {"fr": "Remarques", "nl": "Opmerkingen", "en": "Notes"},
    "plan_title": {"fr": "Planifier les entretiens de terrain", "nl": "Veldinterviews plannen", "en": "Plan field interviews"},
    "budget": {"fr": "Entretiens de terrain", "nl": "Veldinterviews", "en": "Field interviews"},
    "draws": {"fr": "Échantillons simulés", "nl": "Gesimuleerde steekproeven", "en": "Simulated samples"},
    "plan_button": {"fr": "Planifier", "nl": "Plannen", "en": "Plan"},
    "buy_title": {"fr": "Ce qu'apportent {n} entretiens de terrain", "nl": "Wat {n} veldinterviews opleveren", "en": "What {n} field interviews buy"},
    "plan_help": {"fr": "Les entretiens qui, ajoutés à toutes les réponses enregistrées, rendent les poids post-stratifiés les moins variables (plus petit effet de plan de Kish) ; comparés au même nombre réparti selon la population.", "nl": "De interviews die, bij alle opgeslagen antwoorden gevoegd, de poststratificatiegewichten het minst variabel maken (kleinste Kish-designeffect); vergeleken met hetzelfde aantal verdeeld naar bevolkingsaandeel.", "en": "The interviews, added to every stored response, that make the post-stratified weights the least variable (smallest Kish deff); compared with the same number split by population share."},
    "scenario": {"fr": "Scénario", "nl": "Scenario", "en": "Scenario"},
    "scenario_plan": {"fr": "Ce plan", "nl": "Dit plan", "en": "This plan"},
    "scenario_proportional": {"fr": "Répartition proportionnelle", "nl": "Proportionele verdeling", "en": "Proportional split"},
    "scenario_none": {"fr": "Plus de terrain", "nl": "Geen veldwerk meer", "en": "No more field work"},
    "planned": {"fr": "Planifiés", "nl": "Gepland", "en": "Planned"},
    "after": {"fr": "Après", "nl": "Daarna", "en": "After"},
    "stored_now": {"fr": "Enregistrées", "nl": "Nu opgeslagen", "en": "Stored now"},
    "after_plan": {"fr": "Après ce plan", "nl": "Na dit plan", "en": "After this plan"},
    "after_proportional": {"fr": "Après une répartition proportionnelle", "nl": "Na een proportionele verdeling", "en": "After a proportional split"},
    "rmse": {"fr": "REQM (points)", "nl": "RMSE (punten)", "en": "RMSE (points)"},
    "bias": {"fr": "|Biais| moyen (points)", "nl": "Gemiddelde |vertekening| (punten)", "en": "Mean |bias| (points)"},
    "worst_bias": {"fr": "Plus grand |biais| (points)", "nl": "Grootste |vertekening| (punten)", "en": "Largest |bias| (points)"},
    "buy_help": {"fr": "{draws} échantillons simulés : la partie en ligne tirée selon les taux de réponse en ligne observés, chaque réponse tirée parmi les réponses enregistrées de sa cellule, puis post-stratifiée ; erreur des parts pondérées de chaque question à choix unique, par rapport à la vérité de la simulation.", "nl": "{draws} gesimuleerde steekproeven: het online deel getrokken volgens de waargenomen online responsgraden, elk antwoord getrokken uit de opgeslagen antwoorden van zijn cel, daarna gepoststratificeerd; fout van de gewogen aandelen van elke enkelvoudige keuzevraag, ten opzichte van de waarheid van de simulatie.", "en": "{draws} simulated samples: the online part drawn with the observed online response rates, every answer drawn from the stored answers of its cell, then post-stratified; error of the weighted shares of every single-choice question, against the simulation's truth."},
    "adaptive_link": {"fr": "Faire suivre ce plan aux quotas des tablettes (quotas adaptatifs)", "nl": "Laat de quota van de tablets dit plan volgen (adaptieve quota)", "en": "Make the tablets' quotas follow this plan (adaptive quotas)"},
    "apply_hint": {"fr": "Pour faire de ce plan les quotas de terrain : survey plan {slug} --budget {n} --cells {cells} --apply", "nl": "Om dit plan de veldquota te maken: survey plan {slug} --budget {n} --cells {cells} --apply", "en": "To make this plan the field quotas: survey plan {slug} --budget {n} --cells {cells} --apply"},
    "page_budget": {"fr": "entretiens de terrain : donnez un nombre entier de 0 à {limit}", "nl": "veldinterviews: geef een geheel getal van 0 tot {limit}", "en": "field interviews: give a whole number from 0 to {limit}"},
    "page_draws": {"fr": "échantillons simulés : donnez un nombre entier de 1 à {limit}", "nl": "gesimuleerde steekproeven: geef een geheel getal van 1 tot {limit}", "en": "simulated samples: give a whole number from 1 to {limit}"},
    "cells_independent": {"fr": "les parts de population de {cells} supposent ses questions indépendantes (les cibles n'ont pas de marge croisée pour elles)", "nl": "de bevolkingsaandelen van {cells} veronderstellen onafhankelijke vragen (de doelen hebben er geen gekruiste marge voor)", "en": "population shares of {cells} assume its questions independent (the targets have no crossed margin for them)"},
    "cells_left_out": {"fr": "{n} réponses écartées (une réponse manquante ou une catégorie sans cible)", "nl": "{n} antwoorden weggelaten (een ontbrekend antwoord of een categorie zonder doel)", "en": "{n} responses left out (a missing answer or a category without a target)"},
    "cells_empty": {"fr": "cellules {text} : nommez des questions comme sex:age_group,education", "nl": "cellen {text}: noem vragen zoals sex:age_group,education", "en": "cells {text}: name questions as sex:age_group,education"},
    "cells_repeated": {"fr": "cellules {text} : {repeated} nommé plus d'une fois", "nl": "cellen {text}: {repeated} meer dan eens genoemd", "en": "cells {text}: {repeated} named more than once"},
    "unknown_variable": {"fr": "question inconnue {variable} : ce n'est pas une question de cette consultation", "nl": "onbekende vraag {variable}: geen vraag van deze raadpleging", "en": "unknown question {variable}: not a question of this consultation"},
}  # fmt: skip
MONITOR_TEXT: dict[str, dict[str, str]] = per_language(
    register("representativeness_text.monitor_text", _MONITOR_WORDS)
)

_CODES = ("cells_empty", "cells_repeated", "unknown_variable", "page_budget", "page_draws")


def monitor_text(lang: str) -> Mapping[str, str]:
    """The monitor's words in ``lang`` (English when the language has no table)."""
    return MONITOR_TEXT.get(lang, MONITOR_TEXT["en"])


def monitor_problem(exc: WeightingError, lang: str) -> str:
    """A cell-choice error in the reader's language; any other weighting error through `weighting_message`."""
    if exc.code in _CODES:
        try:
            return monitor_text(lang)[exc.code].format(**exc.values)
        except (KeyError, IndexError):
            return str(exc)
    return weighting_message(exc, lang)


def monitor_note(note: str, lang: str) -> str:
    """A note of the cell table in the reader's language (the English sentence when it has no code)."""
    code, values = getattr(note, "code", ""), getattr(note, "values", {})
    words = monitor_text(lang)
    if code not in words:
        return str(note)
    try:
        return words[code].format(**values)
    except (KeyError, IndexError):
        return str(note)
