"""Texts of the coordinators' "ODK Collect app users" pages, in French, Dutch and English."""

from __future__ import annotations

from survey.catalogue import register

TEXTS: dict[str, dict[str, str]] = {
    "title": {"fr": "Applis ODK Collect : {title}", "nl": "ODK Collect-apps: {title}",
              "en": "ODK Collect app users: {title}"},
    "section": {"fr": "ODK Collect", "nl": "ODK Collect", "en": "ODK Collect"},
    "link": {"fr": "Utilisateurs ODK Collect de « {title} »", "nl": "ODK Collect-gebruikers van „{title}”",
             "en": "ODK Collect app users of “{title}”"},
    "intro": {
        "fr": "Un utilisateur d'appli configure ODK Collect en scannant un code QR : Collect envoie alors les "
              "entretiens au nom de l'enquêteur choisi, pour cette consultation seulement. Le code n'est "
              "montré qu'une fois ; révoquez-le si la tablette est perdue.",
        "nl": "Een app-gebruiker stelt ODK Collect in door een QR-code te scannen: Collect stuurt de "
              "interviews dan in naam van de gekozen enquêteur, alleen voor deze raadpleging. De code wordt "
              "maar één keer getoond; trek hem in als de tablet verloren is.",
        "en": "An app user sets ODK Collect up by scanning a QR code: Collect then sends interviews in the "
              "chosen interviewer's name, for this consultation only. The code is shown once; revoke it "
              "if the tablet is lost.",
    },
    "new": {"fr": "Nouvel utilisateur d'appli", "nl": "Nieuwe app-gebruiker", "en": "New app user"},
    "name": {"fr": "Nom (par exemple le numéro de la tablette)", "nl": "Naam (bijvoorbeeld het nummer van de tablet)",
             "en": "Name (for example the tablet's number)"},
    "interviewer": {"fr": "Enquêteur", "nl": "Enquêteur", "en": "Interviewer"},
    "create": {"fr": "Créer et montrer le code QR", "nl": "Aanmaken en QR-code tonen",
               "en": "Create and show the QR code"},
    "no_interviewer": {
        "fr": "Aucun enquêteur n'est affecté à cette consultation : affectez-en un d'abord.",
        "nl": "Er is geen enquêteur aan deze raadpleging toegewezen: wijs er eerst een toe.",
        "en": "No interviewer is assigned to this consultation: assign one first.",
    },
    "list_caption": {"fr": "Utilisateurs d'appli de cette consultation", "nl": "App-gebruikers van deze raadpleging",
                     "en": "App users of this consultation"},
    "device": {"fr": "Tablette", "nl": "Tablet", "en": "Device"},
    "created": {"fr": "Créé", "nl": "Aangemaakt", "en": "Created"},
    "last_seen": {"fr": "Dernier contact", "nl": "Laatst gezien", "en": "Last seen"},
    "state": {"fr": "État", "nl": "Status", "en": "State"},
    "active": {"fr": "actif", "nl": "actief", "en": "active"},
    "revoked": {"fr": "révoqué", "nl": "ingetrokken", "en": "revoked"},
    "never": {"fr": "jamais", "nl": "nooit", "en": "never"},
    "revoke": {"fr": "Révoquer {name}", "nl": "{name} intrekken", "en": "Revoke {name}"},
    "none": {"fr": "Aucun utilisateur d'appli pour l'instant.", "nl": "Nog geen app-gebruikers.",
             "en": "No app users yet."},
    "made": {"fr": "Utilisateur d'appli « {name} » créé pour {interviewer}.",
             "nl": "App-gebruiker „{name}” aangemaakt voor {interviewer}.",
             "en": "App user “{name}” created for {interviewer}."},
    "scan": {
        "fr": "Dans ODK Collect : Configurer avec un code QR (ou Paramètres du projet › Reconfigurer avec un "
              "code QR), puis scannez ce code. Il n'est montré qu'une fois : ne le photographiez pas, ne "
              "l'envoyez pas.",
        "nl": "In ODK Collect: Configureren met QR-code (of Projectinstellingen › Opnieuw configureren met "
              "QR-code) en scan deze code. Hij wordt maar één keer getoond: fotografeer of verstuur hem niet.",
        "en": "In ODK Collect: Configure with QR code (or Project settings › Reconfigure with QR code), then "
              "scan this code. It is shown only once: do not photograph or send it.",
    },
    "qr_title": {"fr": "Code QR de configuration d'ODK Collect", "nl": "QR-code om ODK Collect in te stellen",
                 "en": "QR code that sets ODK Collect up"},
    "as_text": {"fr": "Le même réglage en texte (adresse du serveur à saisir dans Collect)",
                "nl": "Dezelfde instelling als tekst (serveradres om in Collect in te voeren)",
                "en": "The same setting as text (server address to type into Collect)"},
    "payload": {"fr": "Contenu du code QR", "nl": "Inhoud van de QR-code", "en": "Content of the QR code"},
    "done_revoked": {"fr": "L'utilisateur d'appli {id} est révoqué : Collect est refusé dès maintenant.",
                     "nl": "App-gebruiker {id} is ingetrokken: Collect wordt vanaf nu geweigerd.",
                     "en": "App user {id} is revoked: Collect is refused from now on."},
    "back": {"fr": "Retour aux tablettes", "nl": "Terug naar de tablets", "en": "Back to the tablets"},
    "problem": {"fr": "Rien n'a été créé : {reason}", "nl": "Niets aangemaakt: {reason}",
                "en": "Nothing was created: {reason}"},
    "form_expired": {"fr": "Le formulaire a expiré : réessayez.", "nl": "Het formulier is verlopen: probeer opnieuw.",
                     "en": "The form expired: please try again."},
}  # fmt: skip
register("field.app_users", TEXTS)


def plain(language: str, key: str, **values: object) -> str:
    """A text in ``language`` (English when missing), values filled in (the page template escapes it)."""
    template = TEXTS[key].get(language) or TEXTS[key]["en"]
    return template.format(**values) if values else template
