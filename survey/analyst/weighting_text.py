"""What the weighting library says (errors, notes beside an adjustment) in French and Dutch.

Why here and not in ``weighting``: the library is pure and writes English only; each of its
errors and notes carries a ``code`` and ``values``, and this table rebuilds the sentence from
them for a page or a report in the reader's language. English needs no table: it is the
library's own sentence. A message without a known code is shown as it is, in English, rather
than lost.
"""

from __future__ import annotations

from numbers import Integral, Real

from survey.analyst.formatting import number, significant
from survey.analyst.public_text import method_name

__all__ = ["WEIGHTING_TEXT", "weighting_message"]

WEIGHTING_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "scheme_and_settings": "le schéma {name} fixe ses cibles, sa méthode, ses marges, ses bornes et son "
                               "écrêtage ; « {given} » ne peut l'accompagner : choisissez le schéma ou vos propres réglages",
        "scheme_name": "nom « {name} » : de 1 à 60 lettres, chiffres, « . », « _ » ou « - », commençant par une "
                       "lettre ou un chiffre",
        "scheme_taken": "un schéma nommé « {name} » existe déjà",
        "scheme_missing": "valeurs manquantes : choisissez parmi {choices}",
        "missing_values": "la variable de pondération « {variable} » a {n} valeur(s) manquante(s) (la première à la "
                          "ligne {row}) : choisissez un traitement des valeurs manquantes",
        "all_missing": "la variable de pondération « {variable} » n'a aucune valeur",
        "no_target": "la catégorie {variable}={category} de l'échantillon ({n} répondants) n'a pas de cible",
        "zero_share_occupied": "la part cible de {variable}={category} est 0 alors que {n} répondants s'y trouvent : "
                               "regroupez-la avec une autre ou retirez ces réponses",
        "empty_cell": "la catégorie cible {variable}={category} (part {share}) n'a aucun répondant : "
                      "regroupez-la avec une catégorie voisine",
        "logit_bounds": "la calibration logit a besoin de bornes finies, basse < 1 < haute",
        "raking_bounds": "des bornes ne s'appliquent qu'à la calibration linéaire ou logit (le calage n'en a pas)",
        "bounds_malformed": "les bornes doivent vérifier 0 ≤ basse < 1 < haute ; reçu {lo} et {hi}",
        "bounds_unmet": "les bornes de calibration {lo} et {hi} ne peuvent être tenues après {iterations} "
                        "itérations : élargissez-les ou regroupez des catégories",
        "diverged": "le {method} diverge : aucune solution finie après {iterations} itérations ; "
                    "regroupez des catégories",
        "no_convergence": "le {method} n'a pas convergé après {iterations} itérations ; le plus grand "
                          "écart : {variable}={category} (part {achieved} pour une cible de {target})",
        "rake_no_convergence": "le calage itératif (raking) n'a pas convergé après {iterations} itérations : "
                               "{variable}={category} reste à {deviation} de sa part cible (tolérance {tol})",
        "trim_malformed": "les bornes d'écrêtage doivent vérifier 0 ≤ basse < 1 < haute ; reçu {lo} et {hi}",
        "trim_caps_all": "les bornes d'écrêtage {lo} et {hi} plafonnent tous les poids : le total ne peut être gardé",
        "trim_unsettled": "écrêter à {lo}–{hi} puis recalibrer ne s'est pas stabilisé en {rounds} tours "
                          "(g de {g_min} à {g_max}) : élargissez les bornes",
        "too_few_categories": "« {row} » et « {col} » doivent avoir chacune au moins deux catégories pour tester "
                              "l'indépendance",
        "unknown_method": "méthode inconnue « {method} » ; choisissez parmi {methods}",
        "bounds_ignored": "des bornes sur g ne s'appliquent qu'à la calibration linéaire ou logit ; "
                          "la méthode {method} les ignorerait : choisissez linéaire ou logit, ou videz les bornes",
        "no_targets_for": "pas de cibles pour « {variable} » (les cibles portent sur : {available})",
        "no_rows": "aucune réponse à pondérer pour l'instant",
        "one_margin": "la post-stratification demande une seule marge (croisez-les, par exemple sex:age_group) ; "
                      "les cibles portent sur {margins} : choisissez le calage ou une seule marge",
        "bounds_pair": "bornes : donnez deux nombres, la basse et la haute",
        "trim_pair": "écrêtage : donnez deux nombres, le bas et le haut",
        "not_single_choice": "{name} : « {value} » n'est pas une question à choix unique de cette consultation",
        "not_breakdown_question": "{name} : « {value} » n'est pas une question à choix unique, à choix multiple ou numérique de cette consultation",
        "same_question": "choisissez une ventilation autre que la question elle-même",
        "negative_weights": "{n} poids négatifs (calibration linéaire) : envisagez logit avec des bornes",
        "rescaled": "poids de départ d'abord multipliés par {factor} (comme R) ; les bornes s'appliquent ensuite",
        "trimmed": "{n} poids plafonnés ({what} entre {lo} et {hi}) en {rounds} tour(s)",
        "infeasible_margins": "aucun jeu de poids positifs ne peut respecter toutes les marges : {explanation} ; "
                              "regroupez ces catégories ou vérifiez les cibles",
        "bounds_infeasible": "les bornes de calibration {lo} et {hi} ne peuvent être tenues : {explanation} ; "
                             "élargissez-les ou regroupez des catégories",
        "non_finite": "le calage a débordé après {iterations} itérations : les marges n'ont pas de solution commune",
        "non_finite_weight": "{step} : un poids n'est pas un nombre fini (ligne {row})",
        "non_finite_estimate": "l'estimation de {variable}={category} (groupe {by}) n'est pas un nombre fini",
        "non_finite_test": "le test de Rao-Scott de « {row} » par « {col} » n'est pas un nombre fini",
        "non_finite_replicate": "une estimation sur une réplique n'est pas un nombre fini",
        "replicate_empty": "la réplique {replicate} laisse {variable}={category} sans répondant : "
                           "utilisez des grappes moins nombreuses et plus grandes, ou regroupez des catégories",
        "replicate_no_convergence": "la réplique {replicate} n'a pas convergé",
        "replicates_all_failed": "{dropped} répliques sur {total} n'ont pu être calibrées : il en reste moins de 2",
        "no_replicate_columns": "aucune colonne ne correspond au motif de poids répliqués « {pattern} »",
        "replicate_type": "type de réplication inconnu « {type} » (JK1, JKn, BRR, Fay, bootstrap, SDR, other)",
        "bad_replicate_weight": "le poids répliqué « {column} » doit être un nombre ≥ 0 (ligne {row})",
        "one_respondent": "{variable}={category} (groupe {by}) repose sur un seul répondant : pas d'intervalle "
                          "de confiance",
        "lonely_psu": "la strate {stratum} n'a qu'une seule unité primaire au degré {stage} : sa variance ne peut "
                      "être estimée ; choisissez un traitement (remove, adjust, average, certainty) ou fusionnez des "
                      "strates",
        "what_g": "rapport g", "what_weight": "poids",
        "plan_shape": "les coûts et les plafonds demandent une valeur par cellule",
        "plan_cap": "le plafond d'une cellule doit être un nombre >= 0",
        "plan_cost": "le coût d'une cellule doit être un nombre fini > 0",
        "plan_budget": "le budget doit être de 0 entretien ou plus",
        "plan_moe": "la marge d'erreur doit être comprise entre 0 et 1",
        "plan_draws": "le nombre d'échantillons simulés doit être de 1 ou plus",
        "plan_unreachable": "aucun plan de {interviews} entretiens au plus n'atteint une marge d'erreur de {moe} "
                            "(les plafonds ou la limite l'en empêchent)",
        "too_many_cells": "ce croisement donne trop de cellules",
        "no_cell_variables": "nommez au moins une variable à croiser",
        "cell_groups": "les groupes doivent lister les variables dans l'ordre",
        "unknown_variable": "variable inconnue '{variable}' : ce n'est pas une question des données",
        "cells_independent": "les parts de population de {cells} supposent ses variables indépendantes "
                             "(pas de cible croisée)",
        "cells_left_out": "{n} réponses laissées de côté (réponse manquante ou catégorie sans cible)",
        "population_too_small": "plus de réponses que de personnes dans une cellule : une population de "
                                "{population} est trop petite",
        "cells_empty": "cellules '{text}' : nommez les questions comme sexe:groupe_age,education",
        "cells_repeated": "cellules '{text}' : {repeated} nommé(es) plus d'une fois",
        "page_budget": "budget : indiquez de 0 à {limit} entretiens",
        "page_draws": "tirages : indiquez de 1 à {limit} échantillons simulés",
    },
    "nl": {
        "scheme_and_settings": "schema {name} legt zijn streefcijfers, methode, marges, grenzen en aftopping vast; "
                               "'{given}' kan er niet bij: kies het schema of uw eigen instellingen",
        "scheme_name": "naam '{name}': 1 tot 60 letters, cijfers, '.', '_' of '-', beginnend met een letter of cijfer",
        "scheme_taken": "er bestaat al een schema met de naam '{name}'",
        "scheme_missing": "ontbrekende waarden: kies uit {choices}",
        "missing_values": "weegvariabele '{variable}' heeft {n} ontbrekende waarde(n) (de eerste op rij {row}): "
                          "kies een behandeling van ontbrekende waarden",
        "all_missing": "weegvariabele '{variable}' heeft geen enkele waarde",
        "no_target": "steekproefcategorie {variable}={category} ({n} respondenten) heeft geen streefwaarde",
        "zero_share_occupied": "het streefaandeel van {variable}={category} is 0, maar er vallen {n} respondenten in: "
                               "voeg de categorie samen of verwijder die antwoorden",
        "empty_cell": "streefcategorie {variable}={category} (aandeel {share}) heeft geen respondenten: "
                      "voeg ze samen met een naburige categorie",
        "logit_bounds": "logit-kalibratie heeft eindige grenzen nodig, onder < 1 < boven",
        "raking_bounds": "grenzen gelden alleen voor lineaire of logit-kalibratie (raking heeft er geen)",
        "bounds_malformed": "de grenzen moeten voldoen aan 0 ≤ onder < 1 < boven; gekregen: {lo} en {hi}",
        "bounds_unmet": "de kalibratiegrenzen {lo} en {hi} zijn na {iterations} iteraties niet haalbaar: "
                        "verruim ze of voeg categorieën samen",
        "diverged": "{method} divergeert: geen eindige oplossing na {iterations} iteraties; "
                    "voeg categorieën samen",
        "no_convergence": "{method} is na {iterations} iteraties niet geconvergeerd; de grootste "
                          "afwijking: {variable}={category} (aandeel {achieved} bij een streefwaarde van {target})",
        "rake_no_convergence": "de iteratieve weging (raking) is na {iterations} iteraties niet geconvergeerd: "
                               "{variable}={category} wijkt {deviation} af van het streefaandeel (tolerantie {tol})",
        "trim_malformed": "de trimgrenzen moeten voldoen aan 0 ≤ onder < 1 < boven; gekregen: {lo} en {hi}",
        "trim_caps_all": "de trimgrenzen {lo} en {hi} begrenzen alle gewichten: het totaal blijft niet behouden",
        "trim_unsettled": "trimmen tot {lo}–{hi} en herkalibreren kwam na {rounds} rondes niet tot rust "
                          "(g van {g_min} tot {g_max}): verruim de grenzen",
        "too_few_categories": "'{row}' en '{col}' hebben elk minstens twee categorieën nodig om onafhankelijkheid "
                              "te toetsen",
        "unknown_method": "onbekende methode '{method}'; kies uit {methods}",
        "bounds_ignored": "grenzen op g gelden alleen voor lineaire of logit-kalibratie; de methode {method} "
                          "zou ze negeren: kies lineair of logit, of maak de grenzen leeg",
        "no_targets_for": "geen streefcijfers voor '{variable}' (de streefcijfers gaan over: {available})",
        "no_rows": "nog geen antwoorden om te wegen",
        "one_margin": "poststratificatie vraagt één marge (kruis ze, bijvoorbeeld sex:age_group); de streefcijfers "
                      "gaan over {margins}: kies raking of één marge",
        "bounds_pair": "grenzen: geef twee getallen, onder en boven",
        "trim_pair": "trimmen: geef twee getallen, onder en boven",
        "not_single_choice": "{name}: '{value}' is geen enkelvoudige keuzevraag van deze raadpleging",
        "not_breakdown_question": "{name}: '{value}' is geen enkelvoudige keuzevraag, meerkeuzevraag of numerieke vraag van deze raadpleging",
        "same_question": "kies een uitsplitsing die niet de vraag zelf is",
        "negative_weights": "{n} negatieve gewichten (lineaire kalibratie): overweeg logit met grenzen",
        "rescaled": "startgewichten eerst vermenigvuldigd met {factor} (zoals R); de grenzen gelden daarna",
        "trimmed": "{n} gewichten begrensd ({what} tussen {lo} en {hi}) in {rounds} ronde(s)",
        "infeasible_margins": "geen positieve gewichten kunnen alle marges halen: {explanation}; "
                              "voeg deze categorieën samen of controleer de streefcijfers",
        "bounds_infeasible": "de kalibratiegrenzen {lo} en {hi} zijn niet haalbaar: {explanation}; "
                             "verruim ze of voeg categorieën samen",
        "non_finite": "de weging liep over na {iterations} iteraties: de marges hebben geen gemeenschappelijke "
                      "oplossing",
        "non_finite_weight": "{step}: een gewicht is geen eindig getal (rij {row})",
        "non_finite_estimate": "de schatting van {variable}={category} (groep {by}) is geen eindig getal",
        "non_finite_test": "de Rao-Scott-toets van '{row}' naar '{col}' is geen eindig getal",
        "non_finite_replicate": "een schatting op een replicaat is geen eindig getal",
        "replicate_empty": "replicaat {replicate} laat {variable}={category} zonder respondenten: "
                           "gebruik minder, grotere clusters of voeg categorieën samen",
        "replicate_no_convergence": "replicaat {replicate} is niet geconvergeerd",
        "replicates_all_failed": "{dropped} van {total} replicaten konden niet gekalibreerd worden: er blijven er "
                                 "minder dan 2 over",
        "no_replicate_columns": "geen kolom past bij het patroon van replicaatgewichten '{pattern}'",
        "replicate_type": "onbekend replicaattype '{type}' (JK1, JKn, BRR, Fay, bootstrap, SDR, other)",
        "bad_replicate_weight": "replicaatgewicht '{column}' moet een getal ≥ 0 zijn (rij {row})",
        "one_respondent": "{variable}={category} (groep {by}) steunt op één respondent: geen "
                          "betrouwbaarheidsinterval",
        "lonely_psu": "stratum {stratum} heeft maar één primaire eenheid in trap {stage}: de variantie kan niet "
                      "geschat worden; kies een behandeling (remove, adjust, average, certainty) of voeg strata samen",
        "what_g": "verhouding g", "what_weight": "gewicht",
        "plan_shape": "kosten en plafonds vragen één waarde per cel",
        "plan_cap": "het plafond van een cel moet een getal >= 0 zijn",
        "plan_cost": "de kosten van een cel moeten een eindig getal > 0 zijn",
        "plan_budget": "het budget moet 0 of meer interviews zijn",
        "plan_moe": "de foutenmarge moet tussen 0 en 1 liggen",
        "plan_draws": "het aantal gesimuleerde steekproeven moet 1 of meer zijn",
        "plan_unreachable": "geen plan van hoogstens {interviews} interviews bereikt een foutenmarge van {moe} "
                            "(de plafonds of de limiet verhinderen het)",
        "too_many_cells": "deze kruising geeft te veel cellen",
        "no_cell_variables": "noem minstens één variabele om te kruisen",
        "cell_groups": "de groepen moeten de variabelen in volgorde opsommen",
        "unknown_variable": "onbekende variabele '{variable}': geen vraag van de gegevens",
        "cells_independent": "de bevolkingsaandelen van {cells} veronderstellen onafhankelijke variabelen "
                             "(geen gekruiste streefwaarde)",
        "cells_left_out": "{n} antwoorden weggelaten (ontbrekend antwoord of categorie zonder streefwaarde)",
        "population_too_small": "meer antwoorden dan mensen in een cel: een bevolking van {population} is te klein",
        "cells_empty": "cellen '{text}': noem de vragen als geslacht:leeftijdsgroep,opleiding",
        "cells_repeated": "cellen '{text}': {repeated} meer dan eens genoemd",
        "page_budget": "budget: geef 0 tot {limit} interviews",
        "page_draws": "trekkingen: geef 1 tot {limit} gesimuleerde steekproeven",
    },
}  # fmt: skip


def weighting_message(said: object, lang: str) -> str:
    """An error or note from the weighting library in ``lang``; English, or no known code: as it is."""
    code = getattr(said, "code", "")
    words = WEIGHTING_TEXT.get(lang)
    if not words or code not in words:
        return str(said)
    values = dict(getattr(said, "values", {}))
    if code == "trimmed":
        values["what"] = words["what_g" if values.pop("relative", True) else "what_weight"]
    if isinstance(values.get("method"), str):  # the calibration function, named as the pages name it
        values["method"] = method_name(values["method"], lang)
    try:
        return words[code].format(**{key: _shown(value, lang) for key, value in values.items()})
    except (KeyError, IndexError, ValueError):  # a sentence and its values out of step: the English
        return str(said)


def _shown(value: object, lang: str) -> object:
    """Counts with the language's thousands separator, other figures to 4 significant digits."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return value
    if isinstance(value, Integral):
        return number(int(value), lang)
    return significant(float(value), lang)
