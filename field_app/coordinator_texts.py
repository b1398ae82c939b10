"""Texts of the coordinators' reconciliation pages in the three official languages of Brussels.

Field coordinators work in French or Dutch as often as in English, so every word of those pages
lives here, including the reasons why an item is missing or conflicting (the read model gives a
reason code and its values; :mod:`field_app.reports` builds its English ``detail`` from the same
table, so the JSON and the pages never say different things). Dates are written with the month
in words and an explicit UTC, which no reader can take for another day.
"""

from __future__ import annotations

import datetime as dt

from survey.catalogue import register
from survey.http.i18n import LANGUAGE_NAMES, MONTHS, STAFF_SIGN_IN

LANGUAGES = LANGUAGE_NAMES

TEXTS: dict[str, dict[str, str]] = {
    "language": {"fr": "Langue", "nl": "Taal", "en": "Language"},
    "overview_title": {"fr": "Réconciliation du terrain", "nl": "Reconciliatie van het veldwerk",
                       "en": "Field reconciliation"},
    "overview_caption": {
        "fr": "Tablettes : dernier manifeste signalé comparé aux données enregistrées",
        "nl": "Tablets: laatst gemeld manifest tegenover de opgeslagen gegevens",
        "en": "Tablets: last reported manifest against the store",
    },
    "device": {"fr": "Tablette", "nl": "Tablet", "en": "Device"},
    "interviewer": {"fr": "Enquêteur", "nl": "Enquêteur", "en": "Interviewer"},
    "state": {"fr": "État", "nl": "Status", "en": "State"},
    "received": {"fr": "Reçus", "nl": "Ontvangen", "en": "Received"},
    "missing": {"fr": "Manquants", "nl": "Ontbrekend", "en": "Missing"},
    "conflicting": {"fr": "En conflit", "nl": "In conflict", "en": "Conflicting"},
    "verdict": {"fr": "Verdict", "nl": "Oordeel", "en": "Verdict"},
    "active": {"fr": "active", "nl": "actief", "en": "active"},
    "revoked": {"fr": "révoquée", "nl": "ingetrokken", "en": "revoked"},
    "check": {"fr": "à vérifier", "nl": "nakijken", "en": "check"},
    "complete": {"fr": "complet à la dernière synchronisation", "nl": "volledig bij de laatste synchronisatie",
                 "en": "complete at last sync"},
    "superseded": {"fr": "Reçus puis remplacés par une correction (gardés, non comptés)",
                   "nl": "Ontvangen en daarna vervangen door een correctie (bewaard, niet geteld)",
                   "en": "Received, then replaced by a correction (kept, not counted)"},
    "awaiting_original": {
        "fr": "Corrections dont l'entretien d'origine n'est pas encore reçu (comptées seules en attendant)",
        "nl": "Correcties waarvan het oorspronkelijke interview nog niet ontvangen is (tot dan alleen geteld)",
        "en": "Corrections whose original interview has not arrived yet (counted alone meanwhile)",
    },
    "never_synced": {"fr": "jamais synchronisée", "nl": "nooit gesynchroniseerd", "en": "never synced"},
    "has_unfinished": {"fr": "{n} entretien(s) inachevé(s) sur la tablette",
                       "nl": "{n} onafgewerkte interview(s) op de tablet",
                       "en": "{n} unfinished interview(s) on the tablet"},
    "clock_wrong": {"fr": "horloge fausse sur cette tablette ({n} heure(s) ignorée(s))",
                    "nl": "klok verkeerd op deze tablet ({n} tijd(en) genegeerd)",
                    "en": "clock wrong on this tablet ({n} time(s) ignored)"},
    "resubmitted": {"fr": "{n} renvoi(s) avec un autre contenu", "nl": "{n} keer opnieuw verzonden met andere inhoud",
                    "en": "{n} sent again with other content"},
    "resubmissions": {"fr": "Renvoyés avec un autre contenu (refusés, conservés)",
                      "nl": "Opnieuw verzonden met andere inhoud (geweigerd, bewaard)",
                      "en": "Sent again with other content (refused, kept)"},
    "resubmissions_caption": {
        "fr": "Même identifiant, autre contenu : la version reçue en premier reste enregistrée et compte ; "
              "l'autre est conservée ici, jamais appliquée",
        "nl": "Zelfde identificatie, andere inhoud: de eerst ontvangen versie blijft opgeslagen en telt; "
              "de andere wordt hier bewaard, nooit toegepast",
        "en": "Same identifier, other content: the version received first stays stored and counts; "
              "the other is kept here, never applied",
    },
    "stored_version": {"fr": "Version enregistrée (reçue)", "nl": "Opgeslagen versie (ontvangen)",
                       "en": "Stored version (received)"},
    "other_version": {"fr": "Autre version (reçue)", "nl": "Andere versie (ontvangen)",
                      "en": "Other version (received)"},
    "differs_in": {"fr": "Diffère sur", "nl": "Verschilt in", "en": "Differs in"},
    "sent_again": {"fr": "dernier renvoi :", "nl": "laatst opnieuw verzonden:", "en": "last sent again:"},
    "stored_by": {"fr": "par la tablette {device}", "nl": "door tablet {device}", "en": "by device {device}"},
    "stored_gone": {"fr": "plus dans les données", "nl": "niet meer in de gegevens", "en": "no longer in the store"},
    "same_answers": {"fr": "mêmes réponses une fois normalisées", "nl": "dezelfde antwoorden na normalisatie",
                     "en": "the same answers once normalised"},
    "synced": {"fr": "Dernière synchronisation", "nl": "Laatste synchronisatie", "en": "Last sync"},
    "unfinished": {"fr": "Inachevés", "nl": "Onafgewerkt", "en": "Unfinished"},
    "not_reported": {"fr": "non signalé", "nl": "niet gemeld", "en": "not reported"},
    "quotas_title": {"fr": "Quotas : {title}", "nl": "Quota: {title}", "en": "Quotas: {title}"},
    "quotas_caption": {"fr": "Cellules de quota, entretiens comptés et objectif",
                       "nl": "Quotacellen, getelde interviews en doel",
                       "en": "Quota cells, interviews counted and target"},
    "quota_cell": {"fr": "Cellule", "nl": "Cel", "en": "Cell"},
    "quota_done": {"fr": "Faits", "nl": "Gedaan", "en": "Done"},
    "quota_target": {"fr": "Objectif", "nl": "Doel", "en": "Target"},
    "quota_state": {"fr": "État", "nl": "Stand", "en": "State"},
    "quota_full": {"fr": "complet", "nl": "vol", "en": "full"},
    "quota_left": {"fr": "encore {n}", "nl": "nog {n}", "en": "{n} to go"},
    "quota_over": {
        "fr": "au-delà de l'objectif (+{n})",
        "nl": "boven het doel (+{n})",
        "en": "over target (+{n})",
    },
    "quota_order": {
        "fr": "Les cellules les plus demandées d'abord. Aucun entretien n'est refusé pour un quota.",
        "nl": "De meest gevraagde cellen eerst. Geen interview wordt geweigerd omwille van een quotum.",
        "en": "Most needed cells first. No interview is ever refused for a quota.",
    },
    "quota_adaptive": {
        "fr": "Quotas adaptatifs : recalculés à chaque changement des réponses ; {left} entretiens "
        "sur {budget} restent à faire.",
        "nl": "Adaptieve quota: herberekend bij elke wijziging van de antwoorden; nog {left} van de "
        "{budget} interviews te doen.",
        "en": "Adaptive quotas: re-planned whenever the responses change; {left} of {budget} "
        "interviews still to do.",
    },
    "never": {"fr": "jamais", "nl": "nooit", "en": "never"},
    "no_devices": {"fr": "Aucune tablette n'a encore été enregistrée.", "nl": "Er is nog geen tablet geregistreerd.",
                   "en": "No tablet has been registered yet."},
    "device_title": {"fr": "Tablette {id} · {label}", "nl": "Tablet {id} · {label}", "en": "Tablet {id} · {label}"},
    "last_seen": {"fr": "Dernier contact", "nl": "Laatst gezien", "en": "Last seen"},
    "manifest_items": {"fr": "Éléments dans le manifeste", "nl": "Items in het manifest",
                       "en": "Items in the manifest"},
    "counts": {"fr": "Décompte", "nl": "Aantallen", "en": "Counts"},
    "problems": {"fr": "UUID à problème", "nl": "UUID's met een probleem", "en": "Problem UUIDs"},
    "problems_caption": {"fr": "Éléments manquants ou en conflit, et pourquoi",
                         "nl": "Ontbrekende of conflicterende items, en waarom",
                         "en": "Missing or conflicting items, and why"},
    "uuid": {"fr": "UUID", "nl": "UUID", "en": "UUID"},
    "why": {"fr": "Pourquoi", "nl": "Waarom", "en": "Why"},
    "state_received": {"fr": "reçu", "nl": "ontvangen", "en": "received"},
    "state_missing": {"fr": "manquant", "nl": "ontbrekend", "en": "missing"},
    "state_conflicting": {"fr": "en conflit", "nl": "in conflict", "en": "conflicting"},
    "more": {"fr": "{n} autres non listés.", "nl": "Nog {n} niet opgesomd.", "en": "{n} more not listed."},
    "all_ok": {"fr": "Tout ce que la tablette a signalé est enregistré.",
               "nl": "Alles wat de tablet gemeld heeft, is opgeslagen.",
               "en": "Everything the tablet reported is in the store."},
    "no_manifest": {
        "fr": "Cette tablette n'a pas encore signalé de manifeste (elle le fait à chaque synchronisation).",
        "nl": "Deze tablet heeft nog geen manifest gemeld (dat doet ze bij elke synchronisatie).",
        "en": "This tablet has not reported a manifest yet (it does at every sync).",
    },
    "all_tablets": {"fr": "Toutes les tablettes", "nl": "Alle tablets", "en": "All tablets"},
    "reason_not_in_store": {"fr": "absent des données enregistrées", "nl": "niet in de opgeslagen gegevens",
                            "en": "not in the store"},
    "reason_other_device": {"fr": "reçu de la tablette {device}", "nl": "ontvangen van tablet {device}",
                            "en": "received from device {device}"},
    "reason_other_channel": {"fr": "reçu par un autre canal", "nl": "ontvangen via een ander kanaal",
                             "en": "received from another channel"},
    "reason_hash_differs": {
        "fr": "l'empreinte de la tablette {tablet}… diffère de celle reçue {received}…",
        "nl": "hash op de tablet {tablet}… verschilt van de ontvangen {received}…",
        "en": "tablet hash {tablet}… differs from received {received}…",
    },
    "login_title": {"fr": "Connexion des coordinateurs", "nl": "Aanmelden voor coördinatoren",
                    "en": "Coordinator sign-in"},
    "signed_in_as": {"fr": "Connecté : {name}", "nl": "Aangemeld: {name}", "en": "Signed in: {name}"},
    "not_coordinator": {
        "fr": "Le compte « {name} » n'a pas accès aux pages des coordinateurs. Connectez-vous avec un autre compte.",
        "nl": "Het account „{name}” heeft geen toegang tot de pagina's voor coördinatoren. Meld u aan met een "
              "ander account.",
        "en": "The account “{name}” has no access to the coordinator pages. Sign in with another account.",
    },
    "form_expired": {"fr": "Le formulaire a expiré : réessayez.", "nl": "Het formulier is verlopen: probeer opnieuw.",
                     "en": "The form expired: please try again."},
    **STAFF_SIGN_IN,
    "date": {"fr": "{day} {month} {year} à {time} UTC", "nl": "{day} {month} {year} om {time} UTC",
             "en": "{day} {month} {year}, {time} UTC"},
}  # fmt: skip
register("field.coordinator", TEXTS)


def text(key: str, language: str, **values: object) -> str:
    """A page text in ``language`` (English when a language lacks it), ``{placeholders}`` filled."""
    template = TEXTS[key].get(language) or TEXTS[key]["en"]
    return template.format(**values) if values else template


def long_date(value: dt.datetime, language: str) -> str:
    """``23 novembre 2026 à 16:50 UTC``: month in words and explicit UTC, so never ambiguous.

    The store keeps UTC; a naive value (SQLite returns those) is therefore UTC as well.
    """
    utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    month = MONTHS.get(language, MONTHS["en"])[utc.month - 1]
    return text("date", language, day=utc.day, month=month, year=utc.year, time=utc.strftime("%H:%M"))
