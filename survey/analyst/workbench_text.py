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
from survey.catalogue import Catalogue, per_language, register
from survey.http.i18n import STAFF_SIGN_IN, SUPPORTED, TEXTS, negotiate
from survey.store.errors import TargetProblem

__all__ = ["LANGUAGE_COOKIE", "WORKBENCH_TEXT", "target_problem", "workbench_language", "workbench_text"]

LANGUAGE_COOKIE = "analyst_lang"

_OWN_CATALOGUE: Catalogue = {
    "no_respondents": {"fr": "aucun répondant", "nl": "geen respondenten", "en": "no respondents"},
    "small_group": {"fr": "petit groupe (moins de 30 réponses) : à lire avec prudence", "nl": "kleine groep (minder dan 30 antwoorden): voorzichtig lezen", "en": "small group (fewer than 30 answers): read with care"},
    "breakdown_csv": {"fr": "Télécharger ce tableau (CSV)", "nl": "Deze tabel downloaden (CSV)", "en": "Download this table (CSV)"},
    "workbench": {"fr": "Atelier d'analyse", "nl": "Analysewerkplaats", "en": "Analyst workbench"},
    "consultations": {"fr": "Consultations", "nl": "Raadplegingen", "en": "Consultations"},
    "signed_in_as": {"fr": "Connecté : {name} ({role})", "nl": "Aangemeld: {name} ({role})", "en": "Signed in as {name} ({role})"},
    "sign_in_title": {"fr": "Connexion – atelier d'analyse", "nl": "Aanmelden – analysewerkplaats", "en": "Sign in – analyst workbench"},
    "no_access": {"fr": "Ce compte n'a pas accès à l'atelier d'analyse.", "nl": "Dit account heeft geen toegang tot de analysewerkplaats.", "en": "This account has no analyst access."},
    "no_consultation": {"fr": "Aucune consultation pour l'instant.", "nl": "Nog geen raadpleging.", "en": "No consultation yet."},
    "status_draft": {"fr": "brouillon", "nl": "ontwerp", "en": "draft"},
    "status_open": {"fr": "ouverte", "nl": "lopend", "en": "open"},
    "status_closed": {"fr": "clôturée", "nl": "afgesloten", "en": "closed"},
    "steps": {"fr": "Analyse", "nl": "Analyse", "en": "Analysis"},
    "targets_runs": {"fr": "Cibles et pondérations", "nl": "Streefcijfers en wegingen", "en": "Targets & runs"},
    "results": {"fr": "Résultats", "nl": "Resultaten", "en": "Results"},
    "breakdowns": {"fr": "Sous-groupes", "nl": "Subgroepen", "en": "Breakdowns"},
    "overview": {"fr": "{n} réponses complètes ; version du questionnaire {version}.", "nl": "{n} volledige antwoorden; vragenlijstversie {version}.", "en": "{n} complete responses; questionnaire version {version}."},
    "not_stored": {"fr": "Les cibles n'ont pas été enregistrées :", "nl": "De streefcijfers werden niet opgeslagen:", "en": "The targets were not stored:"},
    "targets": {"fr": "Cibles de population", "nl": "Streefcijfers voor de bevolking", "en": "Population targets"},
    "target_versions": {"fr": "Versions des cibles (la plus récente d'abord)", "nl": "Versies van de streefcijfers (nieuwste eerst)", "en": "Target versions (newest first)"},
    "version": {"fr": "Version", "nl": "Versie", "en": "Version"},
    "label": {"fr": "Libellé", "nl": "Omschrijving", "en": "Label"},
    "source": {"fr": "Source", "nl": "Bron", "en": "Source"},
    "population": {"fr": "Population", "nl": "Bevolking", "en": "Population"},
    "uploaded": {"fr": "Chargée le", "nl": "Opgeladen", "en": "Uploaded"},
    "no_targets": {"fr": "Pas encore de cibles.", "nl": "Nog geen streefcijfers.", "en": "No targets yet."},
    "targets_file": {"fr": "Fichier CSV des cibles (variable,category,share)", "nl": "CSV met streefcijfers (variable,category,share)", "en": "Targets CSV (variable,category,share)"},
    "population_size": {"fr": "Taille de la population (facultatif)", "nl": "Bevolkingsgrootte (optioneel)", "en": "Population size (optional)"},
    "upload": {"fr": "Charger les cibles", "nl": "Streefcijfers opladen", "en": "Upload targets"},
    "run": {"fr": "Pondération", "nl": "Weging", "en": "Weighting run"},
    "method": {"fr": "Méthode", "nl": "Methode", "en": "Method"},
    "margins": {"fr": "Marges (aucune cochée = toutes)", "nl": "Marges (niets aangevinkt = alle)", "en": "Margins (none ticked = all)"},
    "bounds": {"fr": "Bornes du calage sur g (linéaire/logit)", "nl": "Kalibratiegrenzen voor g (lineair/logit)", "en": "Calibration bounds on g (linear/logit)"},
    "low": {"fr": "min", "nl": "min", "en": "low"},
    "high": {"fr": "max", "nl": "max", "en": "high"},
    "trim": {"fr": "Borner g à", "nl": "g begrenzen tot", "en": "Trim g to"},
    "run_button": {"fr": "Pondérer", "nl": "Wegen", "en": "Run weighting"},
    "snapshots": {"fr": "Instantanés", "nl": "Momentopnamen", "en": "Snapshots"},
    "data_hash": {"fr": "Empreinte des données", "nl": "Vingerafdruk van de gegevens", "en": "Data hash"},
    "targets_set": {"fr": "Cibles", "nl": "Streefcijfers", "en": "Targets"},
    "created": {"fr": "Créé le", "nl": "Gemaakt", "en": "Created"},
    "published": {"fr": "Publié", "nl": "Gepubliceerd", "en": "Published"},
    "public_page": {"fr": "page publique", "nl": "openbare pagina", "en": "public page"},
    "publish": {"fr": "Publier", "nl": "Publiceren", "en": "Publish"},
    "no_snapshot": {"fr": "Pas encore d'instantané : pondérez, puis figez les résultats.", "nl": "Nog geen momentopname: weeg eerst en leg de resultaten dan vast.", "en": "No snapshot yet: run a weighting, then freeze it."},
    "publish_now": {"fr": "publier tout de suite", "nl": "meteen publiceren", "en": "publish now"},
    "freeze": {"fr": "Figer ces résultats", "nl": "Deze resultaten vastleggen", "en": "Freeze these results"},
    "run_summary": {"fr": "Méthode {method}{trim} sur {margins} : convergence {converged} après {iterations} itération(s), plus grand écart à une cible {after} (non pondéré {before}).", "nl": "Methode {method}{trim} op {margins}: geconvergeerd {converged} na {iterations} iteratie(s), grootste verschil met een streefcijfer {after} (ongewogen {before}).", "en": "Method {method}{trim} on {margins}: converged {converged} after {iterations} iteration(s), largest gap to target {after} (unweighted {before})."},
    "trimmed": {"fr": ", g borné à [{low} ; {high}]", "nl": ", g begrensd tot [{low}; {high}]", "en": ", trimmed to g in [{low}, {high}]"},
    "breakdown_title": {"fr": "Résultats par sous-groupe", "nl": "Resultaten per subgroep", "en": "Subgroup breakdowns"},
    "question": {"fr": "Question", "nl": "Vraag", "en": "Question"},
    "by": {"fr": "selon", "nl": "volgens", "en": "by"},
    "mode": {"fr": "Mode de collecte", "nl": "Verzamelwijze", "en": "Collection mode"},
    "show": {"fr": "Afficher", "nl": "Tonen", "en": "Show"},
    "by_title": {"fr": "{question} — selon {by}", "nl": "{question} — volgens {by}", "en": "{question} — by {by}"},
    "crosstab_caption": {"fr": "Part pondérée de chaque réponse dans chaque groupe, avec intervalles de confiance à 95 %", "nl": "Gewogen aandeel van elk antwoord binnen elke groep, met 95%-betrouwbaarheidsintervallen", "en": "Weighted share of each answer within each group, with 95% confidence intervals"},
    "crosstab_desc": {"fr": "Part pondérée de chaque réponse par groupe ; le tableau ci-dessous donne les chiffres et les intervalles.", "nl": "Gewogen aandeel van elk antwoord per groep; de tabel hieronder geeft de cijfers en de intervallen.", "en": "Weighted share of each answer per group; the table below gives the figures and CIs."},
    "rao_scott": {"fr": "Test d'indépendance de Rao–Scott", "nl": "Rao–Scott-onafhankelijkheidstoets", "en": "Rao–Scott test of independence"},
    "rao_scott_how": {"fr": "(correction du second ordre, comme svychisq dans R) :", "nl": "(tweede-ordecorrectie, zoals svychisq in R):", "en": "(second-order correction, as R's svychisq):"},
    "rao_scott_f": {"fr": "F = {f} avec {df1} et {df2} degrés de liberté, {p}", "nl": "F = {f} met {df1} en {df2} vrijheidsgraden, {p}", "en": "F = {f} on {df1} and {df2} degrees of freedom, {p}"},
    "rao_scott_more": {"fr": "(X² de Pearson {pearson}, effet de plan moyen {deff}, n = {n}).", "nl": "(Pearson X² {pearson}, gemiddeld designeffect {deff}, n = {n}).", "en": "(Pearson X² {pearson}, mean design effect {deff}, n = {n})."},
    "as_r": {"fr": "Tel que svychisq de R l'affiche :", "nl": "Zoals svychisq van R het toont:", "en": "As R's svychisq prints it:"},
    "differ": {"fr": "Les réponses diffèrent entre les groupes plus que ne l'explique l'erreur d'échantillonnage (seuil de 5 %).", "nl": "De antwoorden verschillen tussen de groepen meer dan de steekproeffout verklaart (5%-niveau).", "en": "The answers differ between the groups more than the sampling error explains (5% level)."},
    "same": {"fr": "Les différences entre les groupes restent dans les limites de l'erreur d'échantillonnage (seuil de 5 %).", "nl": "De verschillen tussen de groepen blijven binnen wat de steekproeffout verklaart (5%-niveau).", "en": "The differences between the groups are within what sampling error explains (5% level)."},
    "weighted_test": {"fr": "Le test tient compte de la pondération ; un khi-deux non pondéré surestimerait les preuves.", "nl": "De toets houdt rekening met de weging; een ongewogen chikwadraattoets zou het bewijs overschatten.", "en": "The test accounts for the weighting; an unweighted chi-square would overstate the evidence."},
    "no_test": {"fr": "Pas de test : {problem}", "nl": "Geen toets: {problem}", "en": "No test: {problem}"},
    "means_caption": {"fr": "Moyenne pondérée dans chaque groupe, avec intervalles de confiance à 95 %", "nl": "Gewogen gemiddelde binnen elke groep, met 95%-betrouwbaarheidsintervallen", "en": "Weighted mean within each group, with 95% confidence intervals"},
    "means_desc": {"fr": "Moyenne pondérée par groupe sur l'échelle de la question, avec son intervalle ; le tableau ci-dessous donne les chiffres.", "nl": "Gewogen gemiddelde per groep op de schaal van de vraag, met het interval; de tabel hieronder geeft de cijfers.", "en": "Weighted mean per group on the question's scale, with its interval; the table below gives the figures."},
    "options_caption": {"fr": "Part pondérée de chaque option parmi ceux qui ont répondu, dans chaque groupe, avec intervalles de confiance à 95 % (plusieurs options possibles : les parts ne totalisent pas 100 %)", "nl": "Gewogen aandeel van elke optie onder wie antwoordde, binnen elke groep, met 95%-betrouwbaarheidsintervallen (meerdere opties mogelijk: de aandelen tellen niet op tot 100%)", "en": "Weighted share of each option among those who answered, within each group, with 95% confidence intervals (several options allowed: the shares do not add up to 100%)"},
    "options_desc": {"fr": "Part pondérée de chaque option par groupe ; le tableau ci-dessous donne les chiffres et les intervalles.", "nl": "Gewogen aandeel van elke optie per groep; de tabel hieronder geeft de cijfers en de intervallen.", "en": "Weighted share of each option per group; the table below gives the figures and CIs."},
    "compare_intervals": {"fr": "Pas de test global pour ce type de question : comparez les intervalles, qui tiennent compte de la pondération. Des intervalles qui ne se chevauchent pas indiquent une différence réelle ; des intervalles qui se chevauchent ne prouvent pas l'absence de différence.", "nl": "Geen globale toets voor dit soort vraag: vergelijk de intervallen, die rekening houden met de weging. Intervallen die elkaar niet overlappen wijzen op een echt verschil; overlappende intervallen bewijzen niet dat er geen verschil is.", "en": "No overall test for this kind of question: compare the intervals, which take the weighting into account. Intervals that do not overlap show a real difference; overlapping ones do not prove there is none."},
    "kind_categorical": {"fr": "Choix unique", "nl": "Eén keuze", "en": "Single choice"},
    "kind_numeric": {"fr": "Numériques (moyenne)", "nl": "Numeriek (gemiddelde)", "en": "Numeric (mean)"},
    "kind_multiple": {"fr": "Choix multiple (chaque option)", "nl": "Meerkeuze (elke optie)", "en": "Multiple choice (each option)"},
    "targets_first": {"fr": "Chargez d'abord les cibles.", "nl": "Laad eerst streefcijfers op.", "en": "Upload targets first."},
    "targets_stored": {"fr": "Cibles enregistrées ({n} lignes).", "nl": "Streefcijfers opgeslagen ({n} rijen).", "en": "Targets stored ({n} rows)."},
    "frozen": {"fr": "Instantané {id} figé.", "nl": "Momentopname {id} vastgelegd.", "en": "Snapshot {id} frozen."},
    "made_public": {"fr": "Instantané {id} publié.", "nl": "Momentopname {id} gepubliceerd.", "en": "Snapshot {id} published."},
    "population_number": {"fr": "la population doit être un nombre supérieur à 0", "nl": "de bevolking moet een getal groter dan 0 zijn", "en": "population must be a number above 0"},
    "at_line": {"fr": "ligne {line}", "nl": "regel {line}", "en": "line {line}"},
    "at_line_column": {"fr": "ligne {line}, colonne « {column} »", "nl": "regel {line}, kolom '{column}'", "en": "line {line}, column '{column}'"},
    "target_header": {"fr": "{where} : l'en-tête doit être variable,category,share", "nl": "{where}: de kopregel moet variable,category,share zijn", "en": "{where}: the header must be variable,category,share"},
    "target_not_text": {"fr": "{where} : ni du texte UTF-8 ni du Windows-1252 (enregistrez le fichier en CSV UTF-8)", "nl": "{where}: geen UTF-8- of Windows-1252-tekst (bewaar het bestand als CSV UTF-8)", "en": "{where}: neither UTF-8 nor Windows-1252 text (save the file as CSV UTF-8)"},
    "target_unreadable": {"fr": "{where} : ce n'est pas du CSV lisible (un champ plus long que ce que le lecteur CSV accepte)", "nl": "{where}: dit is geen leesbare CSV (een veld langer dan de CSV-lezer aanneemt)", "en": "{where}: not readable as CSV (a field longer than the CSV reader takes)"},
    "target_population": {"fr": "la population {population} doit être un nombre supérieur à 0", "nl": "de bevolking {population} moet een getal groter dan 0 zijn", "en": "population {population} must be a number above 0"},
    "target_no_rows": {"fr": "le fichier ne contient aucune cible", "nl": "het bestand bevat geen streefcijfers", "en": "the file has no target rows"},
    "target_share_not_number": {"fr": "{where} : la part {share} n'est pas un nombre", "nl": "{where}: aandeel {share} is geen getal", "en": "{where}: share {share} is not a number"},
    "target_crossed_mismatch": {"fr": "{where} : la catégorie « {category} » ne correspond pas à la variable croisée « {variable} »", "nl": "{where}: categorie „{category}” past niet bij de gekruiste variabele „{variable}”", "en": "{where}: category '{category}' does not match crossed variable '{variable}'"},
    "target_crossed_repeat": {"fr": "{where} : la variable croisée « {variable} » nomme deux fois la même question", "nl": "{where}: de gekruiste variabele „{variable}” noemt dezelfde vraag twee keer", "en": "{where}: crossed variable '{variable}' names the same question twice"},
    "target_crossed_empty": {"fr": "{where} : « {variable} » = « {category} » a une partie vide entre ses « : »", "nl": "{where}: „{variable}” = „{category}” heeft een leeg deel tussen de „:”", "en": "{where}: '{variable}' = '{category}' has an empty part between its ':'"},
    "target_not_single_choice": {"fr": "{where} : la variable « {variable} » n'est pas une question à choix unique du questionnaire", "nl": "{where}: variabele „{variable}” is geen vraag met één antwoord in de vragenlijst", "en": "{where}: variable '{variable}' is not a single-choice question of the questionnaire"},
    "target_not_a_choice": {"fr": "{where} : la catégorie « {category} » n'est pas un choix de « {variable} »", "nl": "{where}: categorie „{category}” is geen keuze van „{variable}”", "en": "{where}: category '{category}' is not a choice of '{variable}'"},
    "target_share_range": {"fr": "{where} : la part {share} doit être comprise entre 0 et 1", "nl": "{where}: aandeel {share} moet tussen 0 en 1 liggen", "en": "{where}: share {share} must be between 0 and 1"},
    "target_duplicate": {"fr": "{where} : {variable}={category} apparaît deux fois", "nl": "{where}: {variable}={category} komt twee keer voor", "en": "{where}: {variable}={category} appears twice"},
    "target_sum_off": {"fr": "variable « {variable} » : la somme des parts vaut {total}, pas 1", "nl": "variabele „{variable}”: de aandelen tellen op tot {total}, niet 1", "en": "variable '{variable}': shares sum to {total:.6f}, not 1"},
}  # fmt: skip
_OWN_WORDS: dict[str, dict[str, str]] = per_language(register("workbench_text.own_words", _OWN_CATALOGUE))
# Which weighting a page shows, and the saved schemes (issue #21).
_SCHEME_CATALOGUE: Catalogue = {
    "which_title": {"fr": "Pondération affichée", "nl": "Getoonde weging", "en": "Weighting shown"},
    "scheme": {"fr": "Schéma", "nl": "Schema", "en": "Scheme"},
    "no_scheme": {"fr": "aucun (réglages choisis pour cette page)", "nl": "geen (instellingen voor deze pagina gekozen)", "en": "none (settings chosen for this page)"},
    "targets_line": {"fr": "version {version} : {label}, source {source}, chargée le {date}", "nl": "versie {version}: {label}, bron {source}, geladen op {date}", "en": "version {version}: {label}, source {source}, uploaded {date}"},
    "margins_used": {"fr": "Marges", "nl": "Marges", "en": "Margins"},
    "bounds_used": {"fr": "Bornes sur g", "nl": "Grenzen op g", "en": "Bounds on g"},
    "trim_used": {"fr": "Écrêtage de g", "nl": "Aftoppen van g", "en": "Trimming of g"},
    "none": {"fr": "aucun", "nl": "geen", "en": "none"},
    "newer_targets": {"fr": "Un jeu de cibles plus récent existe (version {version}) ; ces chiffres gardent la version indiquée.", "nl": "Er is een nieuwere set streefcijfers (versie {version}); deze cijfers houden de getoonde versie.", "en": "A newer target set exists (version {version}); these figures keep the version shown."},
    "show_version": {"fr": "Afficher avec la version {version}", "nl": "Toon met versie {version}", "en": "Show with version {version}"},
    "schemes": {"fr": "Schémas de pondération", "nl": "Wegingsschema's", "en": "Weighting schemes"},
    "scheme_name": {"fr": "Nom", "nl": "Naam", "en": "Name"},
    "actions": {"fr": "Actions", "nl": "Acties", "en": "Actions"},
    "remove": {"fr": "Supprimer", "nl": "Verwijderen", "en": "Remove"},
    "remove_scheme": {"fr": "Supprimer le schéma {name}", "nl": "Schema {name} verwijderen", "en": "Remove scheme {name}"},
    "no_schemes": {"fr": "Aucun schéma enregistré : lancez une pondération, puis enregistrez-la.", "nl": "Nog geen schema bewaard: voer een weging uit en bewaar ze.", "en": "No scheme saved yet: run a weighting, then save it."},
    "show_scheme": {"fr": "Afficher les résultats du schéma", "nl": "Toon de resultaten van schema", "en": "Show the results of scheme"},
    "all_margins": {"fr": "toutes les marges de ses cibles", "nl": "alle marges van zijn streefcijfers", "en": "all margins of its targets"},
    "latest_version": {"fr": "dernière version", "nl": "nieuwste versie", "en": "latest version"},
    "save_scheme": {"fr": "Enregistrer cette pondération comme schéma nommé", "nl": "Bewaar deze weging als schema met de naam", "en": "Save this weighting as a scheme named"},
    "save": {"fr": "Enregistrer", "nl": "Bewaren", "en": "Save"},
    "scheme_name_help": {"fr": "Lettres, chiffres, « . », « _ » ou « - » (60 au plus) ; instantanés, rapports et API désignent la pondération par ce nom.", "nl": "Letters, cijfers, '.', '_' of '-' (hoogstens 60); momentopnamen, rapporten en de API noemen de weging zo.", "en": "Letters, digits, '.', '_' or '-' (up to 60); snapshots, reports and the API name the weighting by it."},
    "scheme_saved": {"fr": "Schéma {name} enregistré.", "nl": "Schema {name} bewaard.", "en": "Scheme {name} saved."},
    "scheme_not_stored": {"fr": "Le schéma n'a pas été enregistré :", "nl": "Het schema werd niet bewaard:", "en": "The scheme was not saved:"},
    "scheme_removed": {"fr": "Schéma {name} supprimé.", "nl": "Schema {name} verwijderd.", "en": "Scheme {name} removed."},
}  # fmt: skip
_SCHEME_WORDS: dict[str, dict[str, str]] = per_language(
    register("workbench_text.scheme_words", _SCHEME_CATALOGUE)
)
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
