"""Texts of the adaptive-quotas page of the workbench, in French, Dutch and English."""

from __future__ import annotations

from survey.catalogue import register

TEXTS: dict[str, dict[str, str]] = {
    "title": {"fr": "Quotas adaptatifs", "nl": "Adaptieve quota", "en": "Adaptive quotas"},
    "intro": {
        "fr": "Les quotas des tablettes suivent le plan de terrain : à chaque changement des réponses "
        "enregistrées (synchronisation, réponse en ligne, correction, nouvelles cibles), le plan du budget "
        "restant est recalculé et devient les quotas. Aucun entretien n'est jamais refusé pour un quota.",
        "nl": "De quota van de tablets volgen het veldplan: bij elke wijziging van de opgeslagen antwoorden "
        "(synchronisatie, online antwoord, correctie, nieuwe doelen) wordt het plan van het resterende budget "
        "herberekend en wordt het de quota. Geen enkel interview wordt ooit geweigerd omwille van een quotum.",
        "en": "The tablets' quotas follow the field plan: whenever the stored responses change (a sync, an "
        "online response, a correction, new targets), the plan of the budget left is recomputed and becomes "
        "the quotas. No interview is ever refused because of a quota.",
    },
    "state": {"fr": "État", "nl": "Stand", "en": "State"},
    "on": {"fr": "activés", "nl": "aan", "en": "on"},
    "off": {"fr": "désactivés", "nl": "uit", "en": "off"},
    "never": {"fr": "jamais activés", "nl": "nooit ingeschakeld", "en": "never switched on"},
    "cells": {"fr": "Cellules", "nl": "Cellen", "en": "Cells"},
    "cells_help": {
        "fr": "Questions à choix unique, croisées avec « : », séparées par des virgules : sex:age_group,education",
        "nl": "Vragen met één keuze, gekruist met ':', gescheiden door komma's: sex:age_group,education",
        "en": "Single-choice questions, crossed with ':', separated by commas: sex:age_group,education",
    },
    "budget": {
        "fr": "Budget (entretiens de terrain de la campagne)",
        "nl": "Budget (veldinterviews van de campagne)",
        "en": "Budget (field interviews of the campaign)",
    },
    "spent": {"fr": "Réalisés depuis le début", "nl": "Gedaan sinds de start", "en": "Done since the start"},
    "remaining": {"fr": "Restant à planifier", "nl": "Nog te plannen", "en": "Left to plan"},
    "planned_at": {"fr": "Dernier plan", "nl": "Laatste plan", "en": "Last plan"},
    "not_yet": {"fr": "pas encore", "nl": "nog niet", "en": "not yet"},
    "problem": {
        "fr": "Le dernier recalcul a échoué ; les quotas restent ceux du plan précédent :",
        "nl": "De laatste herberekening is mislukt; de quota blijven die van het vorige plan:",
        "en": "The last re-plan failed; the quotas stay as last planned:",
    },
    "switch_on": {
        "fr": "Activer / mettre à jour",
        "nl": "Inschakelen / bijwerken",
        "en": "Switch on / update",
    },
    "switch_off": {"fr": "Désactiver", "nl": "Uitschakelen", "en": "Switch off"},
    "switched_on": {
        "fr": "Quotas adaptatifs activés : les quotas suivent maintenant le plan.",
        "nl": "Adaptieve quota ingeschakeld: de quota volgen nu het plan.",
        "en": "Adaptive quotas switched on: the quotas now follow the plan.",
    },
    "switched_off": {
        "fr": "Quotas adaptatifs désactivés : les quotas restent ceux du dernier plan.",
        "nl": "Adaptieve quota uitgeschakeld: de quota blijven die van het laatste plan.",
        "en": "Adaptive quotas switched off: the quotas stay as last planned.",
    },
    "was_off": {
        "fr": "Ils n'étaient pas activés.",
        "nl": "Ze waren niet ingeschakeld.",
        "en": "They were not on.",
    },
    "bad_budget": {
        "fr": "Budget : donnez un nombre entier d'entretiens entre 0 et {limit}.",
        "nl": "Budget: geef een geheel aantal interviews tussen 0 en {limit}.",
        "en": "Budget: give a whole number of interviews from 0 to {limit}.",
    },
    "bad_cells": {
        "fr": "Cellules : ce choix ne donne pas de plan.",
        "nl": "Cellen: met deze keuze is geen plan mogelijk.",
        "en": "Cells: no plan can be made with this choice.",
    },
    "quotas": {"fr": "Quotas actuels", "nl": "Huidige quota", "en": "Current quotas"},
    "no_quotas": {"fr": "Aucun quota.", "nl": "Geen quota.", "en": "No quotas."},
    "cell": {"fr": "Cellule", "nl": "Cel", "en": "Cell"},
    "done": {"fr": "Faits", "nl": "Gedaan", "en": "Done"},
    "target": {"fr": "Objectif", "nl": "Doel", "en": "Target"},
    "quota_state": {"fr": "État", "nl": "Stand", "en": "State"},
    "to_go": {"fr": "encore {n}", "nl": "nog {n}", "en": "{n} to go"},
    "full": {"fr": "atteint", "nl": "bereikt", "en": "reached"},
    "over": {"fr": "au-delà de l'objectif (+{n})", "nl": "boven het doel (+{n})", "en": "over target (+{n})"},
    "monitor": {
        "fr": "Représentativité et plan de terrain",
        "nl": "Representativiteit en veldplan",
        "en": "Representativeness and field plan",
    },
}
register("field.adaptive", TEXTS)


def adaptive_text(lang: str) -> dict[str, str]:
    """Every text of the page in ``lang`` (English for a language the page does not have)."""
    return {key: values.get(lang) or values["en"] for key, values in TEXTS.items()}
