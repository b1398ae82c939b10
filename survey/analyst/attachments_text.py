"""The words of the workbench's attachments page in French, Dutch and English."""

from __future__ import annotations

from collections.abc import Mapping

from survey.catalogue import Catalogue, per_language, register

__all__ = ["ATTACHMENTS_TEXT", "attachments_text"]

_ATTACHMENTS_WORDS: Catalogue = {
    "title": {"fr": "Photos, enregistrements et fichiers", "nl": "Foto’s, opnames en bestanden", "en": "Photos, recordings and files"},
    "intro": {"fr": "Les fichiers joints aux réponses envoyées. Chaque fichier se télécharge : il ne s’ouvre jamais dans cette page.", "nl": "De bestanden bij de verzonden antwoorden. Elk bestand wordt gedownload: het opent nooit in deze pagina.", "en": "The files sent with the responses. Each file is downloaded: it never opens in this page."},
    "count": {"fr": "{n} fichiers", "nl": "{n} bestanden", "en": "{n} files"},
    "none": {"fr": "Aucun fichier pour l’instant.", "nl": "Nog geen bestanden.", "en": "No files yet."},
    "zip": {"fr": "Tout télécharger (zip, avec la liste attachments.csv)", "nl": "Alles downloaden (zip, met de lijst attachments.csv)", "en": "Download all (zip, with the list attachments.csv)"},
    "response": {"fr": "Réponse", "nl": "Antwoord", "en": "Response"},
    "question": {"fr": "Question", "nl": "Vraag", "en": "Question"},
    "file": {"fr": "Fichier", "nl": "Bestand", "en": "File"},
    "type": {"fr": "Type (lu dans le fichier)", "nl": "Soort (uit het bestand gelezen)", "en": "Type (read from the file)"},
    "size": {"fr": "Taille (octets)", "nl": "Grootte (bytes)", "en": "Size (bytes)"},
    "only_response": {"fr": "Fichiers de la réponse {uuid}", "nl": "Bestanden van antwoord {uuid}", "en": "Files of response {uuid}"},
    "all_responses": {"fr": "Toutes les réponses", "nl": "Alle antwoorden", "en": "All responses"},
    "missing_title": {"fr": "Fichiers annoncés, pas encore reçus", "nl": "Aangekondigde bestanden, nog niet ontvangen", "en": "Files named by answers, not received yet"},
    "missing_intro": {"fr": "La réponse nomme un fichier que le serveur n’a pas (encore) : une tablette ou ODK Collect l’enverra à sa prochaine synchronisation.", "nl": "Het antwoord noemt een bestand dat de server (nog) niet heeft: een tablet of ODK Collect stuurt het bij de volgende synchronisatie.", "en": "The answer names a file the server does not hold (yet): a tablet or ODK Collect sends it at its next sync."},
}  # fmt: skip
ATTACHMENTS_TEXT: dict[str, dict[str, str]] = per_language(
    register("attachments_text.attachments_text", _ATTACHMENTS_WORDS)
)


def attachments_text(lang: str) -> Mapping[str, str]:
    """The page's words in ``lang``; English when the language is not one of the three."""
    return ATTACHMENTS_TEXT.get(lang, ATTACHMENTS_TEXT["en"])
