"""Default validation messages per language, used when the form gives none of its own."""

from __future__ import annotations

from typing import Any

from survey.catalogue import register

MESSAGES: dict[str, dict[str, str]] = {
    "required": {
        "fr": "Cette question est obligatoire.",
        "nl": "Deze vraag is verplicht.",
        "en": "This question is required.",
    },
    "constraint": {
        "fr": "Cette réponse n'est pas acceptée.",
        "nl": "Dit antwoord wordt niet aanvaard.",
        "en": "This answer is not accepted.",
    },
    "integer": {
        "fr": "Indiquez un nombre entier.",
        "nl": "Geef een geheel getal.",
        "en": "Enter a whole number.",
    },
    "decimal": {
        "fr": "Indiquez un nombre.",
        "nl": "Geef een getal.",
        "en": "Enter a number.",
    },
    "date": {
        "fr": "Indiquez une date (jour, mois, année).",
        "nl": "Geef een datum (dag, maand, jaar).",
        "en": "Enter a date (day, month, year).",
    },
    "time": {
        "fr": "Indiquez une heure (heures et minutes).",
        "nl": "Geef een tijdstip (uren en minuten).",
        "en": "Enter a time (hours and minutes).",
    },
    "datetime": {
        "fr": "Indiquez une date et une heure.",
        "nl": "Geef een datum en een tijdstip.",
        "en": "Enter a date and a time.",
    },
    "geopoint": {
        "fr": "Indiquez une position : latitude et longitude en degrés, séparées par une espace.",
        "nl": "Geef een positie: breedte- en lengtegraad in graden, gescheiden door een spatie.",
        "en": "Enter a position: latitude and longitude in degrees, separated by a space.",
    },
    "choice": {
        "fr": "Choisissez une des options proposées.",
        "nl": "Kies een van de voorgestelde opties.",
        "en": "Choose one of the options offered.",
    },
    "rank_incomplete": {
        "fr": "Donnez une place à chacune des options.",
        "nl": "Geef elke optie een plaats.",
        "en": "Give each option a place.",
    },
    "rank_repeated": {
        "fr": "Chaque option ne peut occuper qu'une seule place : une option est choisie deux fois.",
        "nl": "Elke optie kan maar één plaats krijgen: een optie is twee keer gekozen.",
        "en": "Each option can have only one place: an option is chosen twice.",
    },
    "too_long": {
        "fr": "Ce texte est trop long.",
        "nl": "Deze tekst is te lang.",
        "en": "This text is too long.",
    },
    "invalid_text": {
        "fr": "Ce texte contient un caractère qui n'est pas accepté.",
        "nl": "Deze tekst bevat een teken dat niet aanvaard wordt.",
        "en": "This text contains a character that is not accepted.",
    },
    "file_name": {
        "fr": "Ce nom de fichier n'est pas accepté.",
        "nl": "Deze bestandsnaam wordt niet aanvaard.",
        "en": "This file name is not accepted.",
    },
    "file_too_big": {
        "fr": "Ce fichier est trop lourd (au maximum {limit}) : choisissez-en un plus petit.",
        "nl": "Dit bestand is te groot (hoogstens {limit}): kies een kleiner bestand.",
        "en": "This file is too large (at most {limit}): choose a smaller one.",
    },
    "file_type": {
        "fr": "Ce type de fichier n'est pas accepté ici ({kinds}).",
        "nl": "Dit soort bestand wordt hier niet aanvaard ({kinds}).",
        "en": "This kind of file is not accepted here ({kinds}).",
    },
    "file_empty": {
        "fr": "Ce fichier est vide.",
        "nl": "Dit bestand is leeg.",
        "en": "This file is empty.",
    },
    "unknown": {
        "fr": "Cette question n'existe pas dans ce questionnaire.",
        "nl": "Deze vraag bestaat niet in deze vragenlijst.",
        "en": "This question does not exist in this questionnaire.",
    },
}
register("questionnaire.messages", MESSAGES)


def message(code: str, language: str) -> str:
    """A message in the respondent's language, English when the language is not known."""
    texts = MESSAGES[code]
    return texts.get(language) or texts["en"]


def tablet_questionnaire(content: dict[str, Any]) -> dict[str, Any]:
    """A stored version as the tablet reads it: the content plus this catalogue under ``messages``.

    Why with the version: a tablet offline for days must word an error exactly as the server will, and
    the catalogue of the day it downloaded the version is the one it can hold. ``content_hash`` stays the
    hash of the stored content.
    """
    return {**content, "messages": MESSAGES}
