"""The workbench's own words (menus, forms, notices) in French, Dutch and English.

Why beside :mod:`survey.analyst.report_text`: the section bodies the workbench shares with the
report take their sentences from there; this table holds only what belongs to the pages around
them. The analyst picks a language once (``?lang=``, kept in a cookie); Accept-Language decides
before that, and English when the browser asks for none of the three.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request

from survey.analyst.formatting import num
from survey.http.i18n import STAFF_SIGN_IN, SUPPORTED, TEXTS, negotiate
from survey.store.errors import TargetProblem

__all__ = ["LANGUAGE_COOKIE", "WORKBENCH_TEXT", "target_problem", "workbench_language", "workbench_text"]

LANGUAGE_COOKIE = "analyst_lang"

_OWN_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "no_respondents": "no respondents", "small_group": "small group (fewer than 30 answers): read with care",
        "breakdown_csv": "Download this table (CSV)",
        "workbench": "Analyst workbench", "consultations": "Consultations",
        "signed_in_as": "Signed in as {name} ({role})",
        "sign_in_title": "Sign in – analyst workbench", "no_access": "This account has no analyst access.",
        "no_consultation": "No consultation yet.", "status_draft": "draft", "status_open": "open",
        "status_closed": "closed", "steps": "Analysis", "targets_runs": "Targets & runs",
        "results": "Results", "breakdowns": "Breakdowns",
        "overview": "{n} complete responses; questionnaire version {version}.",
        "not_stored": "The targets were not stored:", "targets": "Population targets",
        "target_versions": "Target versions (newest first)", "version": "Version", "label": "Label",
        "source": "Source", "population": "Population", "uploaded": "Uploaded", "no_targets": "No targets yet.",
        "targets_file": "Targets CSV (variable,category,share)", "population_size": "Population size (optional)",
        "upload": "Upload targets", "run": "Weighting run", "method": "Method",
        "margins": "Margins (none ticked = all)", "bounds": "Calibration bounds on g (linear/logit)",
        "low": "low", "high": "high", "trim": "Trim g to", "run_button": "Run weighting",
        "snapshots": "Snapshots", "data_hash": "Data hash", "targets_set": "Targets", "created": "Created",
        "published": "Published", "public_page": "public page", "publish": "Publish",
        "no_snapshot": "No snapshot yet: run a weighting, then freeze it.",
        "publish_now": "publish now", "freeze": "Freeze these results",
        "run_summary": "Method {method}{trim} on {margins}: converged {converged} after {iterations} "
                       "iteration(s), largest gap to target {after} (unweighted {before}).",
        "trimmed": ", trimmed to g in [{low}, {high}]",
        "breakdown_title": "Subgroup breakdowns", "question": "Question", "by": "by",
        "mode": "Collection mode", "show": "Show", "by_title": "{question} — by {by}",
        "crosstab_caption": "Weighted share of each answer within each group, with 95% confidence intervals",
        "crosstab_desc": "Weighted share of each answer per group; the table below gives the figures and CIs.",
        "rao_scott": "Rao–Scott test of independence",
        "rao_scott_how": "(second-order correction, as R's svychisq):",
        "rao_scott_f": "F = {f} on {df1} and {df2} degrees of freedom, {p}",
        "rao_scott_more": "(Pearson X² {pearson}, mean design effect {deff}, n = {n}).",
        "as_r": "As R's svychisq prints it:",
        "differ": "The answers differ between the groups more than the sampling error explains (5% level).",
        "same": "The differences between the groups are within what sampling error explains (5% level).",
        "weighted_test": "The test accounts for the weighting; an unweighted chi-square would overstate the "
                         "evidence.",
        "no_test": "No test: {problem}",
        "targets_first": "Upload targets first.", "targets_stored": "Targets stored ({n} rows).",
        "frozen": "Snapshot {id} frozen.", "made_public": "Snapshot {id} published.",
        "population_number": "population must be a number above 0",
        "at_line": TargetProblem.LINE, "at_line_column": TargetProblem.LINE_COLUMN,
        **{f"target_{code}": sentence for code, sentence in TargetProblem.ENGLISH.items()},
    },
    "fr": {
        "no_respondents": "aucun répondant", "small_group": "petit groupe (moins de 30 réponses) : à lire avec prudence",
        "breakdown_csv": "Télécharger ce tableau (CSV)",
        "workbench": "Atelier d'analyse", "consultations": "Consultations",
        "signed_in_as": "Connecté : {name} ({role})",
        "sign_in_title": "Connexion – atelier d'analyse",
        "no_access": "Ce compte n'a pas accès à l'atelier d'analyse.",
        "no_consultation": "Aucune consultation pour l'instant.", "status_draft": "brouillon",
        "status_open": "ouverte", "status_closed": "clôturée", "steps": "Analyse",
        "targets_runs": "Cibles et pondérations", "results": "Résultats", "breakdowns": "Sous-groupes",
        "overview": "{n} réponses complètes ; version du questionnaire {version}.",
        "not_stored": "Les cibles n'ont pas été enregistrées :", "targets": "Cibles de population",
        "target_versions": "Versions des cibles (la plus récente d'abord)", "version": "Version",
        "label": "Libellé", "source": "Source", "population": "Population", "uploaded": "Chargée le",
        "no_targets": "Pas encore de cibles.", "targets_file": "Fichier CSV des cibles (variable,category,share)",
        "population_size": "Taille de la population (facultatif)", "upload": "Charger les cibles",
        "run": "Pondération", "method": "Méthode", "margins": "Marges (aucune cochée = toutes)",
        "bounds": "Bornes du calage sur g (linéaire/logit)", "low": "min", "high": "max",
        "trim": "Borner g à", "run_button": "Pondérer", "snapshots": "Instantanés",
        "data_hash": "Empreinte des données", "targets_set": "Cibles", "created": "Créé le",
        "published": "Publié", "public_page": "page publique", "publish": "Publier",
        "no_snapshot": "Pas encore d'instantané : pondérez, puis figez les résultats.",
        "publish_now": "publier tout de suite", "freeze": "Figer ces résultats",
        "run_summary": "Méthode {method}{trim} sur {margins} : convergence {converged} après {iterations} "
                       "itération(s), plus grand écart à une cible {after} (non pondéré {before}).",
        "trimmed": ", g borné à [{low} ; {high}]",
        "breakdown_title": "Résultats par sous-groupe", "question": "Question", "by": "selon",
        "mode": "Mode de collecte", "show": "Afficher", "by_title": "{question} — selon {by}",
        "crosstab_caption": "Part pondérée de chaque réponse dans chaque groupe, avec intervalles de confiance "
                            "à 95 %",
        "crosstab_desc": "Part pondérée de chaque réponse par groupe ; le tableau ci-dessous donne les chiffres "
                         "et les intervalles.",
        "rao_scott": "Test d'indépendance de Rao–Scott",
        "rao_scott_how": "(correction du second ordre, comme svychisq dans R) :",
        "rao_scott_f": "F = {f} avec {df1} et {df2} degrés de liberté, {p}",
        "rao_scott_more": "(X² de Pearson {pearson}, effet de plan moyen {deff}, n = {n}).",
        "as_r": "Tel que svychisq de R l'affiche :",
        "differ": "Les réponses diffèrent entre les groupes plus que ne l'explique l'erreur d'échantillonnage "
                  "(seuil de 5 %).",
        "same": "Les différences entre les groupes restent dans les limites de l'erreur d'échantillonnage "
                "(seuil de 5 %).",
        "weighted_test": "Le test tient compte de la pondération ; un khi-deux non pondéré surestimerait "
                         "les preuves.",
        "no_test": "Pas de test : {problem}",
        "targets_first": "Chargez d'abord les cibles.", "targets_stored": "Cibles enregistrées ({n} lignes).",
        "frozen": "Instantané {id} figé.", "made_public": "Instantané {id} publié.",
        "population_number": "la population doit être un nombre supérieur à 0",
        "at_line": "ligne {line}", "at_line_column": "ligne {line}, colonne « {column} »",
        "target_header": "{where} : l'en-tête doit être variable,category,share",
        "target_not_text": "{where} : ni du texte UTF-8 ni du Windows-1252 (enregistrez le fichier en CSV UTF-8)",
        "target_unreadable": "{where} : ce n'est pas du CSV lisible (un champ plus long que ce que le lecteur CSV accepte)",
        "target_population": "la population {population} doit être un nombre supérieur à 0",
        "target_no_rows": "le fichier ne contient aucune cible",
        "target_share_not_number": "{where} : la part {share} n'est pas un nombre",
        "target_crossed_mismatch": "{where} : la catégorie « {category} » ne correspond pas à la variable croisée "
                                   "« {variable} »",
        "target_crossed_repeat": "{where} : la variable croisée « {variable} » nomme deux fois la même question",
        "target_crossed_empty": "{where} : « {variable} » = « {category} » a une partie vide entre ses « : »",
        "target_not_single_choice": "{where} : la variable « {variable} » n'est pas une question à choix unique "
                                    "du questionnaire",
        "target_not_a_choice": "{where} : la catégorie « {category} » n'est pas un choix de « {variable} »",
        "target_share_range": "{where} : la part {share} doit être comprise entre 0 et 1",
        "target_duplicate": "{where} : {variable}={category} apparaît deux fois",
        "target_sum_off": "variable « {variable} » : la somme des parts vaut {total}, pas 1",
    },
    "nl": {
        "no_respondents": "geen respondenten", "small_group": "kleine groep (minder dan 30 antwoorden): voorzichtig lezen",
        "breakdown_csv": "Deze tabel downloaden (CSV)",
        "workbench": "Analysewerkplaats", "consultations": "Raadplegingen",
        "signed_in_as": "Aangemeld: {name} ({role})",
        "sign_in_title": "Aanmelden – analysewerkplaats",
        "no_access": "Dit account heeft geen toegang tot de analysewerkplaats.",
        "no_consultation": "Nog geen raadpleging.", "status_draft": "ontwerp", "status_open": "lopend",
        "status_closed": "afgesloten", "steps": "Analyse",
        "targets_runs": "Streefcijfers en wegingen", "results": "Resultaten", "breakdowns": "Subgroepen",
        "overview": "{n} volledige antwoorden; vragenlijstversie {version}.",
        "not_stored": "De streefcijfers werden niet opgeslagen:", "targets": "Streefcijfers voor de bevolking",
        "target_versions": "Versies van de streefcijfers (nieuwste eerst)", "version": "Versie",
        "label": "Omschrijving", "source": "Bron", "population": "Bevolking", "uploaded": "Opgeladen",
        "no_targets": "Nog geen streefcijfers.", "targets_file": "CSV met streefcijfers (variable,category,share)",
        "population_size": "Bevolkingsgrootte (optioneel)", "upload": "Streefcijfers opladen",
        "run": "Weging", "method": "Methode", "margins": "Marges (niets aangevinkt = alle)",
        "bounds": "Kalibratiegrenzen voor g (lineair/logit)", "low": "min", "high": "max",
        "trim": "g begrenzen tot", "run_button": "Wegen", "snapshots": "Momentopnamen",
        "data_hash": "Vingerafdruk van de gegevens", "targets_set": "Streefcijfers", "created": "Gemaakt",
        "published": "Gepubliceerd", "public_page": "openbare pagina", "publish": "Publiceren",
        "no_snapshot": "Nog geen momentopname: weeg eerst en leg de resultaten dan vast.",
        "publish_now": "meteen publiceren", "freeze": "Deze resultaten vastleggen",
        "run_summary": "Methode {method}{trim} op {margins}: geconvergeerd {converged} na {iterations} "
                       "iteratie(s), grootste verschil met een streefcijfer {after} (ongewogen {before}).",
        "trimmed": ", g begrensd tot [{low}; {high}]",
        "breakdown_title": "Resultaten per subgroep", "question": "Vraag", "by": "volgens",
        "mode": "Verzamelwijze", "show": "Tonen", "by_title": "{question} — volgens {by}",
        "crosstab_caption": "Gewogen aandeel van elk antwoord binnen elke groep, met "
                            "95%-betrouwbaarheidsintervallen",
        "crosstab_desc": "Gewogen aandeel van elk antwoord per groep; de tabel hieronder geeft de cijfers en "
                         "de intervallen.",
        "rao_scott": "Rao–Scott-onafhankelijkheidstoets",
        "rao_scott_how": "(tweede-ordecorrectie, zoals svychisq in R):",
        "rao_scott_f": "F = {f} met {df1} en {df2} vrijheidsgraden, {p}",
        "rao_scott_more": "(Pearson X² {pearson}, gemiddeld designeffect {deff}, n = {n}).",
        "as_r": "Zoals svychisq van R het toont:",
        "differ": "De antwoorden verschillen tussen de groepen meer dan de steekproeffout verklaart "
                  "(5%-niveau).",
        "same": "De verschillen tussen de groepen blijven binnen wat de steekproeffout verklaart (5%-niveau).",
        "weighted_test": "De toets houdt rekening met de weging; een ongewogen chikwadraattoets zou het bewijs "
                         "overschatten.",
        "no_test": "Geen toets: {problem}",
        "targets_first": "Laad eerst streefcijfers op.",
        "targets_stored": "Streefcijfers opgeslagen ({n} rijen).",
        "frozen": "Momentopname {id} vastgelegd.", "made_public": "Momentopname {id} gepubliceerd.",
        "population_number": "de bevolking moet een getal groter dan 0 zijn",
        "at_line": "regel {line}", "at_line_column": "regel {line}, kolom '{column}'",
        "target_header": "{where}: de kopregel moet variable,category,share zijn",
        "target_not_text": "{where}: geen UTF-8- of Windows-1252-tekst (bewaar het bestand als CSV UTF-8)",
        "target_unreadable": "{where}: dit is geen leesbare CSV (een veld langer dan de CSV-lezer aanneemt)",
        "target_population": "de bevolking {population} moet een getal groter dan 0 zijn",
        "target_no_rows": "het bestand bevat geen streefcijfers",
        "target_share_not_number": "{where}: aandeel {share} is geen getal",
        "target_crossed_mismatch": "{where}: categorie „{category}” past niet bij de gekruiste variabele "
                                   "„{variable}”",
        "target_crossed_repeat": "{where}: de gekruiste variabele „{variable}” noemt dezelfde vraag twee keer",
        "target_crossed_empty": "{where}: „{variable}” = „{category}” heeft een leeg deel tussen de „:”",
        "target_not_single_choice": "{where}: variabele „{variable}” is geen vraag met één antwoord in de "
                                    "vragenlijst",
        "target_not_a_choice": "{where}: categorie „{category}” is geen keuze van „{variable}”",
        "target_share_range": "{where}: aandeel {share} moet tussen 0 en 1 liggen",
        "target_duplicate": "{where}: {variable}={category} komt twee keer voor",
        "target_sum_off": "variabele „{variable}”: de aandelen tellen op tot {total}, niet 1",
    },
}  # fmt: skip
# Which weighting a page shows, and the saved schemes (issue #21).
_SCHEME_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "which_title": "Weighting shown", "scheme": "Scheme",
        "no_scheme": "none (settings chosen for this page)",
        "targets_line": "version {version}: {label}, source {source}, uploaded {date}",
        "margins_used": "Margins", "bounds_used": "Bounds on g", "trim_used": "Trimming of g", "none": "none",
        "newer_targets": "A newer target set exists (version {version}); these figures keep the version shown.",
        "show_version": "Show with version {version}",
        "schemes": "Weighting schemes", "scheme_name": "Name", "actions": "Actions", "remove": "Remove",
        "remove_scheme": "Remove scheme {name}", "no_schemes": "No scheme saved yet: run a weighting, then save it.",
        "show_scheme": "Show the results of scheme", "all_margins": "all margins of its targets",
        "latest_version": "latest version", "save_scheme": "Save this weighting as a scheme named",
        "save": "Save", "scheme_name_help": "Letters, digits, '.', '_' or '-' (up to 60); snapshots, reports "
                                              "and the API name the weighting by it.",
        "scheme_saved": "Scheme {name} saved.", "scheme_not_stored": "The scheme was not saved:", "scheme_removed": "Scheme {name} removed.",
    },
    "fr": {
        "which_title": "Pondération affichée", "scheme": "Schéma",
        "no_scheme": "aucun (réglages choisis pour cette page)",
        "targets_line": "version {version} : {label}, source {source}, chargée le {date}",
        "margins_used": "Marges", "bounds_used": "Bornes sur g", "trim_used": "Écrêtage de g", "none": "aucun",
        "newer_targets": "Un jeu de cibles plus récent existe (version {version}) ; ces chiffres gardent la "
                         "version indiquée.",
        "show_version": "Afficher avec la version {version}",
        "schemes": "Schémas de pondération", "scheme_name": "Nom", "actions": "Actions", "remove": "Supprimer",
        "remove_scheme": "Supprimer le schéma {name}",
        "no_schemes": "Aucun schéma enregistré : lancez une pondération, puis enregistrez-la.",
        "show_scheme": "Afficher les résultats du schéma", "all_margins": "toutes les marges de ses cibles",
        "latest_version": "dernière version", "save_scheme": "Enregistrer cette pondération comme schéma nommé",
        "save": "Enregistrer", "scheme_name_help": "Lettres, chiffres, « . », « _ » ou « - » (60 au plus) ; "
                                                    "instantanés, rapports et API désignent la pondération par ce nom.",
        "scheme_saved": "Schéma {name} enregistré.", "scheme_not_stored": "Le schéma n'a pas été enregistré :", "scheme_removed": "Schéma {name} supprimé.",
    },
    "nl": {
        "which_title": "Getoonde weging", "scheme": "Schema",
        "no_scheme": "geen (instellingen voor deze pagina gekozen)",
        "targets_line": "versie {version}: {label}, bron {source}, geladen op {date}",
        "margins_used": "Marges", "bounds_used": "Grenzen op g", "trim_used": "Aftoppen van g", "none": "geen",
        "newer_targets": "Er is een nieuwere set streefcijfers (versie {version}); deze cijfers houden de "
                         "getoonde versie.",
        "show_version": "Toon met versie {version}",
        "schemes": "Wegingsschema's", "scheme_name": "Naam", "actions": "Acties", "remove": "Verwijderen",
        "remove_scheme": "Schema {name} verwijderen",
        "no_schemes": "Nog geen schema bewaard: voer een weging uit en bewaar ze.",
        "show_scheme": "Toon de resultaten van schema", "all_margins": "alle marges van zijn streefcijfers",
        "latest_version": "nieuwste versie", "save_scheme": "Bewaar deze weging als schema met de naam",
        "save": "Bewaren", "scheme_name_help": "Letters, cijfers, '.', '_' of '-' (hoogstens 60); momentopnamen, "
                                                "rapporten en de API noemen de weging zo.",
        "scheme_saved": "Schema {name} bewaard.", "scheme_not_stored": "Het schema werd niet bewaard:", "scheme_removed": "Schema {name} verwijderd.",
    },
}  # fmt: skip
# With the words every staff page or sign-in form shares: one wording wherever they appear.
WORKBENCH_TEXT: dict[str, dict[str, str]] = {
    lang: {
        **words,
        **_SCHEME_WORDS[lang],
        **{key: TEXTS[key][lang] for key in ("skip", "language")},
        **{key: texts[lang] for key, texts in STAFF_SIGN_IN.items()},
    }
    for lang, words in _OWN_WORDS.items()
}


def workbench_text(lang: str) -> Mapping[str, str]:
    """The workbench's words in ``lang`` (English for anything else)."""
    return WORKBENCH_TEXT.get(lang, WORKBENCH_TEXT["en"])


def target_problem(problem: str, lang: str) -> str:
    """A targets-file problem in ``lang``; one without a code (from elsewhere) stays as it is."""
    if not isinstance(problem, TargetProblem) or lang not in ("fr", "nl"):
        return str(problem)  # English is the problem's own sentence
    words = workbench_text(lang)
    values = dict(problem.values)
    line = values.pop("line", 0)
    row = values.pop("row", "")
    column = values.pop("column", "")
    where = (
        (words["at_line_column"] if column else words["at_line"]).format(line=line, column=column)
        if line
        else row
    )
    shown = {k: _figure(v, lang) if isinstance(v, float) else v for k, v in values.items()}
    return words[f"target_{problem.code}"].format(where=where, **shown)


def _figure(value: float, lang: str) -> str:
    """A share or a sum as written in ``lang`` with the digits it has (0.5 → 0,5; 0.999999 → 0,999999)."""
    return num(value, lang, max(0, min(6, len(f"{value:.6f}".rstrip("0").split(".")[1]))))


def workbench_language(request: Request[Any, Any, Any]) -> str:
    """``?lang=``, else the analyst's earlier choice (cookie), else Accept-Language, else English."""
    for choice in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if choice in SUPPORTED:
            return str(choice)
    return negotiate(request.headers.get("accept-language"), default="en")
