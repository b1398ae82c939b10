"""The representativeness monitor's words in English, French and Dutch.

Why a table of its own: the monitor is one page with its own vocabulary (R-indicator, partial
indicators, effective sample size); keeping it beside the page keeps ``workbench_text`` for the
menus every page shares. Errors of the cell choice are rebuilt from their code, like the
weighting library's (`weighting_message`), which handles every other code.
"""

from __future__ import annotations

from collections.abc import Mapping

from survey.analyst.weighting_text import weighting_message
from weighting import WeightingError

__all__ = ["MONITOR_TEXT", "monitor_note", "monitor_problem", "monitor_text"]

MONITOR_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Representativeness", "cells": "Cells (questions, crossed with ':')", "show": "Show",
        "cells_help": "For example sex:age_group or sex,education. The crossed cells are where response rates "
                      "are compared and where field interviews are planned.",
        "indicators": "Indicators", "all_modes": "All modes", "online_only": "Online only",
        "responses": "Responses", "r_indicator": "R-indicator", "cv": "CV of response propensities",
        "mean_propensity": "Mean response propensity",
        "r_help": "R = 1 − 2·S(ρ), S the spread of the cell response rates over the population (Schouten, Cobben "
                  "& Bethlehem 2009); 1 means every cell answered at the same rate. With a self-selected sample "
                  "R stays close to 1: follow the CV, S(ρ) divided by the mean rate, which is also the largest "
                  "bias of a standardised mean.",
        "no_population": "The population size is unknown: R needs it; the CV does not.",
        "deff": "Kish design effect of the post-stratified weights", "n_eff": "Effective sample size",
        "max_weight": "Largest weight / mean weight", "moe": "Margin of error of a 50 % proportion",
        "uncovered": "Population in cells without responses", "partials": "Partial indicators",
        "partials_help": "Which question drives the unequal response: unconditional = the spread of response "
                         "rates between its categories; conditional = the spread it adds once the other questions "
                         "are known (Schouten, Shlomo & Skinner 2011). Shown relative to the mean rate (partial CVs).",
        "question": "Question", "unconditional": "Unconditional", "conditional": "Conditional",
        "category": "Category", "coverage": "Coverage", "population_share": "Population",
        "response_share": "Responses", "ratio": "Ratio", "ratio_help": "Below 1: under-represented; 0: nobody.",
        "evolution": "Evolution by day of submission", "day": "Day", "cv_title": "CV of response propensities by day",
        "deff_title": "Kish design effect by day", "evolution_desc": "Running value at the end of each day.",
        "notes": "Notes",
        "plan_title": "Plan field interviews", "budget": "Field interviews", "draws": "Simulated samples",
        "plan_button": "Plan", "buy_title": "What {n} field interviews buy",
        "plan_help": "The interviews, added to every stored response, that make the post-stratified weights the "
                     "least variable (smallest Kish deff); compared with the same number split by population share.",
        "scenario": "Scenario", "scenario_plan": "This plan", "scenario_proportional": "Proportional split",
        "scenario_none": "No more field work", "planned": "Planned", "after": "After",
        "stored_now": "Stored now", "after_plan": "After this plan", "after_proportional": "After a proportional split",
        "rmse": "RMSE (points)", "bias": "Mean |bias| (points)", "worst_bias": "Largest |bias| (points)",
        "buy_help": "{draws} simulated samples: the online part drawn with the observed online response rates, every "
                    "answer drawn from the stored answers of its cell, then post-stratified; error of the weighted "
                    "shares of every single-choice question, against the simulation's truth.",
        "adaptive_link": "Make the tablets' quotas follow this plan (adaptive quotas)",
        "apply_hint": "To make this plan the field quotas: survey plan {slug} --budget {n} --cells {cells} --apply",
        "page_budget": "field interviews: give a whole number from 0 to {limit}",
        "page_draws": "simulated samples: give a whole number from 1 to {limit}",
        "cells_independent": "population shares of {cells} assume its questions independent (the targets have no "
                             "crossed margin for them)",
        "cells_left_out": "{n} responses left out (a missing answer or a category without a target)",
        "cells_empty": "cells {text}: name questions as sex:age_group,education",
        "cells_repeated": "cells {text}: {repeated} named more than once",
        "unknown_variable": "unknown question {variable}: not a question of this consultation",
    },
    "fr": {
        "title": "Représentativité", "cells": "Cellules (questions, croisées avec « : »)", "show": "Afficher",
        "cells_help": "Par exemple sex:age_group ou sex,education. Les taux de réponse sont comparés dans les "
                      "cellules croisées, et les entretiens de terrain y sont planifiés.",
        "indicators": "Indicateurs", "all_modes": "Tous les modes", "online_only": "En ligne seulement",
        "responses": "Réponses", "r_indicator": "Indicateur R", "cv": "CV des propensions de réponse",
        "mean_propensity": "Propension moyenne de réponse",
        "r_help": "R = 1 − 2·S(ρ), S la dispersion des taux de réponse des cellules dans la population (Schouten, "
                  "Cobben & Bethlehem 2009) ; 1 signifie que toutes les cellules ont répondu au même taux. Avec un "
                  "échantillon auto-sélectionné R reste proche de 1 : suivez le CV, S(ρ) divisé par le taux moyen, "
                  "qui est aussi le biais maximal d'une moyenne standardisée.",
        "no_population": "La taille de la population est inconnue : R en a besoin, pas le CV.",
        "deff": "Effet de plan de Kish des poids post-stratifiés", "n_eff": "Taille effective de l'échantillon",
        "max_weight": "Plus grand poids / poids moyen", "moe": "Marge d'erreur d'une proportion de 50 %",
        "uncovered": "Population des cellules sans réponse", "partials": "Indicateurs partiels",
        "partials_help": "Quelle question explique l'inégalité des réponses : inconditionnel = la dispersion des "
                         "taux de réponse entre ses catégories ; conditionnel = celle qu'elle ajoute une fois les "
                         "autres questions connues (Schouten, Shlomo & Skinner 2011). Rapportés au taux moyen "
                         "(CV partiels).",
        "question": "Question", "unconditional": "Inconditionnel", "conditional": "Conditionnel",
        "category": "Catégorie", "coverage": "Couverture", "population_share": "Population",
        "response_share": "Réponses", "ratio": "Rapport", "ratio_help": "Sous 1 : sous-représenté ; 0 : personne.",
        "evolution": "Évolution par jour de soumission", "day": "Jour",
        "cv_title": "CV des propensions de réponse par jour", "deff_title": "Effet de plan de Kish par jour",
        "evolution_desc": "Valeur cumulée à la fin de chaque jour.", "notes": "Remarques",
        "plan_title": "Planifier les entretiens de terrain", "budget": "Entretiens de terrain",
        "draws": "Échantillons simulés", "plan_button": "Planifier",
        "buy_title": "Ce qu'apportent {n} entretiens de terrain",
        "plan_help": "Les entretiens qui, ajoutés à toutes les réponses enregistrées, rendent les poids "
                     "post-stratifiés les moins variables (plus petit effet de plan de Kish) ; comparés au même "
                     "nombre réparti selon la population.",
        "scenario": "Scénario", "scenario_plan": "Ce plan", "scenario_proportional": "Répartition proportionnelle",
        "scenario_none": "Plus de terrain", "planned": "Planifiés", "after": "Après",
        "stored_now": "Enregistrées", "after_plan": "Après ce plan",
        "after_proportional": "Après une répartition proportionnelle",
        "rmse": "REQM (points)", "bias": "|Biais| moyen (points)", "worst_bias": "Plus grand |biais| (points)",
        "buy_help": "{draws} échantillons simulés : la partie en ligne tirée selon les taux de réponse en ligne "
                    "observés, chaque réponse tirée parmi les réponses enregistrées de sa cellule, puis "
                    "post-stratifiée ; erreur des parts pondérées de chaque question à choix unique, par rapport à "
                    "la vérité de la simulation.",
        "adaptive_link": "Faire suivre ce plan aux quotas des tablettes (quotas adaptatifs)",
        "apply_hint": "Pour faire de ce plan les quotas de terrain : survey plan {slug} --budget {n} --cells {cells} "
                      "--apply",
        "page_budget": "entretiens de terrain : donnez un nombre entier de 0 à {limit}",
        "page_draws": "échantillons simulés : donnez un nombre entier de 1 à {limit}",
        "cells_independent": "les parts de population de {cells} supposent ses questions indépendantes (les cibles "
                             "n'ont pas de marge croisée pour elles)",
        "cells_left_out": "{n} réponses écartées (une réponse manquante ou une catégorie sans cible)",
        "cells_empty": "cellules {text} : nommez des questions comme sex:age_group,education",
        "cells_repeated": "cellules {text} : {repeated} nommé plus d'une fois",
        "unknown_variable": "question inconnue {variable} : ce n'est pas une question de cette consultation",
    },
    "nl": {
        "title": "Representativiteit", "cells": "Cellen (vragen, gekruist met ':')", "show": "Tonen",
        "cells_help": "Bijvoorbeeld sex:age_group of sex,education. In de gekruiste cellen worden de "
                      "responsgraden vergeleken en de veldinterviews gepland.",
        "indicators": "Indicatoren", "all_modes": "Alle modi", "online_only": "Alleen online",
        "responses": "Antwoorden", "r_indicator": "R-indicator", "cv": "CV van de responskansen",
        "mean_propensity": "Gemiddelde responskans",
        "r_help": "R = 1 − 2·S(ρ), S de spreiding van de responsgraden van de cellen over de bevolking (Schouten, "
                  "Cobben & Bethlehem 2009); 1 betekent dat elke cel in dezelfde mate antwoordde. Bij een "
                  "zelfgeselecteerde steekproef blijft R dicht bij 1: volg de CV, S(ρ) gedeeld door de gemiddelde "
                  "graad, ook de grootste vertekening van een gestandaardiseerd gemiddelde.",
        "no_population": "De bevolkingsomvang is onbekend: R heeft hem nodig, de CV niet.",
        "deff": "Kish-designeffect van de poststratificatiegewichten", "n_eff": "Effectieve steekproefomvang",
        "max_weight": "Grootste gewicht / gemiddeld gewicht", "moe": "Foutenmarge van een aandeel van 50 %",
        "uncovered": "Bevolking in cellen zonder antwoorden", "partials": "Partiële indicatoren",
        "partials_help": "Welke vraag de ongelijke respons verklaart: onvoorwaardelijk = de spreiding van de "
                         "responsgraden tussen haar categorieën; voorwaardelijk = wat ze toevoegt als de andere "
                         "vragen gekend zijn (Schouten, Shlomo & Skinner 2011). Ten opzichte van de gemiddelde "
                         "graad (partiële CV's).",
        "question": "Vraag", "unconditional": "Onvoorwaardelijk", "conditional": "Voorwaardelijk",
        "category": "Categorie", "coverage": "Dekking", "population_share": "Bevolking",
        "response_share": "Antwoorden", "ratio": "Verhouding",
        "ratio_help": "Onder 1: ondervertegenwoordigd; 0: niemand.", "evolution": "Verloop per dag van indiening",
        "day": "Dag", "cv_title": "CV van de responskansen per dag", "deff_title": "Kish-designeffect per dag",
        "evolution_desc": "Cumulatieve waarde aan het einde van elke dag.", "notes": "Opmerkingen",
        "plan_title": "Veldinterviews plannen", "budget": "Veldinterviews", "draws": "Gesimuleerde steekproeven",
        "plan_button": "Plannen", "buy_title": "Wat {n} veldinterviews opleveren",
        "plan_help": "De interviews die, bij alle opgeslagen antwoorden gevoegd, de poststratificatiegewichten het "
                     "minst variabel maken (kleinste Kish-designeffect); vergeleken met hetzelfde aantal verdeeld "
                     "naar bevolkingsaandeel.",
        "scenario": "Scenario", "scenario_plan": "Dit plan", "scenario_proportional": "Proportionele verdeling",
        "scenario_none": "Geen veldwerk meer", "planned": "Gepland", "after": "Daarna",
        "stored_now": "Nu opgeslagen", "after_plan": "Na dit plan", "after_proportional": "Na een proportionele verdeling",
        "rmse": "RMSE (punten)", "bias": "Gemiddelde |vertekening| (punten)",
        "worst_bias": "Grootste |vertekening| (punten)",
        "buy_help": "{draws} gesimuleerde steekproeven: het online deel getrokken volgens de waargenomen online "
                    "responsgraden, elk antwoord getrokken uit de opgeslagen antwoorden van zijn cel, daarna "
                    "gepoststratificeerd; fout van de gewogen aandelen van elke enkelvoudige keuzevraag, ten opzichte "
                    "van de waarheid van de simulatie.",
        "adaptive_link": "Laat de quota van de tablets dit plan volgen (adaptieve quota)",
        "apply_hint": "Om dit plan de veldquota te maken: survey plan {slug} --budget {n} --cells {cells} --apply",
        "page_budget": "veldinterviews: geef een geheel getal van 0 tot {limit}",
        "page_draws": "gesimuleerde steekproeven: geef een geheel getal van 1 tot {limit}",
        "cells_independent": "de bevolkingsaandelen van {cells} veronderstellen onafhankelijke vragen (de doelen "
                             "hebben er geen gekruiste marge voor)",
        "cells_left_out": "{n} antwoorden weggelaten (een ontbrekend antwoord of een categorie zonder doel)",
        "cells_empty": "cellen {text}: noem vragen zoals sex:age_group,education",
        "cells_repeated": "cellen {text}: {repeated} meer dan eens genoemd",
        "unknown_variable": "onbekende vraag {variable}: geen vraag van deze raadpleging",
    },
}  # fmt: skip

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
