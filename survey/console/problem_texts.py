"""Problems the services word in English (for the CLI), rebuilt in the console reader's language.

Why here and not in the services: ``survey.tabular`` (a file that cannot be read) and
``survey.store.services.grants`` (a grant refused) speak to the command line, where English names
the file, column, row or account exactly; the console rebuilds the known sentences from those parts
in French, Dutch or English. A sentence not known here (a reader library's own wording of a broken
file) is kept as it is, after the known part ("cannot read FILE:") is translated.
"""

from __future__ import annotations

import re

from survey.console import texts

_READ = re.compile(r"^cannot read (?P<file>.+?): (?P<reason>.+)$")
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^file not found$"), "p_read_missing"),
    (re.compile(r"^it is a folder$"), "p_read_folder"),
    (re.compile(r"^column '(?P<column>.*)' appears more than once in the header$"), "p_read_twice"),
    (re.compile(r"^line (?P<line>\d+) has (?P<fields>\d+) fields, the header has (?P<width>\d+)$"), "p_read_ragged"),
    (re.compile(r"^line (?P<line>\d+) is neither UTF-8 nor Windows-1252 text \(save the file as CSV UTF-8\)$"),
     "p_read_utf8"),
]  # fmt: skip
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<file>.+): column '(?P<column>.*)': (?P<value>'.*'|\".*\") at data row (?P<row>\d+) "
                r"is not a number$"), "p_not_number"),
    (re.compile(r"^role: '(?P<role>\w+)' is global and is not granted per consultation$"), "p_grant_global"),
    (re.compile(r"^role: '(?P<name>.+)' is (?P<held>\w+), not (?P<role>\w+); change the account's role first$"),
     "p_grant_role"),
    (re.compile(r"^user: no user (?P<id>\d+)$"), "p_grant_no_user"),
    (re.compile(r"^consultation: no consultation (?P<id>\d+)$"), "p_grant_no_consultation"),
    (re.compile(r"^'(?P<name>.+)' is disabled: enable the account before sending a reset link$"), "pr_reset_disabled"),
    (re.compile(r"^this reset link is not valid$"), "pr_link_invalid"),
    (re.compile(r"^this reset link is not valid, or it was already used$"), "pr_link_used"),
    (re.compile(r"^this reset link has expired: ask an administrator for a new one$"), "pr_link_expired"),
    (re.compile(r"^this account is disabled$"), "pr_account_disabled"),
    (re.compile(r"^password: at least (?P<n>\d+) characters$"), "pr_password_short"),
    (re.compile(r"^label: at most (?P<n>\d+) characters, without '#'$"), "pr_batch_label"),
    (re.compile(r"^no such batch of invitation codes$"), "pr_no_batch"),
    (re.compile(r"^these codes were already downloaded in this format: issue a new batch$"), "pr_downloaded"),
    (re.compile(r"^these codes were downloaded at this very moment by someone else$"), "pr_downloaded_now"),
    (re.compile(r"^these codes cannot be rebuilt: the server's secret key changed since they were issued; "
                r"issue a new batch$"), "pr_key_changed"),
]  # fmt: skip
_ROLES = ("role", "held")

TEXTS: texts.Catalogue = {
    "p_read": {"fr": "impossible de lire {file} : {reason}", "nl": "{file} kan niet gelezen worden: {reason}",
               "en": "cannot read {file}: {reason}"},
    "p_read_missing": {"fr": "fichier introuvable", "nl": "bestand niet gevonden", "en": "file not found"},
    "p_read_folder": {"fr": "c'est un dossier", "nl": "het is een map", "en": "it is a folder"},
    "p_read_twice": {"fr": "la colonne « {column} » figure plus d'une fois dans l'en-tête",
                     "nl": "kolom „{column}” staat meer dan eens in de kopregel",
                     "en": "column '{column}' appears more than once in the header"},
    "p_read_ragged": {"fr": "la ligne {line} a {fields} champs, l'en-tête en a {width}",
                      "nl": "regel {line} heeft {fields} velden, de kopregel {width}",
                      "en": "line {line} has {fields} fields, the header has {width}"},
    "p_read_utf8": {"fr": "la ligne {line} n'est ni du texte UTF-8 ni du Windows-1252 (enregistrez le fichier en « CSV UTF-8 »)",
                    "nl": "regel {line} is geen UTF-8- of Windows-1252-tekst (sla het bestand op als „CSV UTF-8”)",
                    "en": "line {line} is neither UTF-8 nor Windows-1252 text (save the file as CSV UTF-8)"},
    "p_not_number": {"fr": "{file} : colonne « {column} » : {value} à la ligne de données {row} n'est pas un nombre",
                     "nl": "{file}: kolom „{column}”: {value} op gegevensrij {row} is geen getal",
                     "en": "{file}: column '{column}': {value} at data row {row} is not a number"},
    "p_grant_global": {"fr": "le rôle {role} vaut pour toutes les consultations et ne s'attribue pas par consultation",
                       "nl": "de rol {role} geldt voor alle raadplegingen en wordt niet per raadpleging toegekend",
                       "en": "the role {role} is global and is not granted per consultation"},
    "p_grant_role": {"fr": "{name} est {held}, pas {role} : changez d'abord le rôle du compte",
                     "nl": "{name} is {held}, geen {role}: wijzig eerst de rol van het account",
                     "en": "{name} is {held}, not {role}: change the account's role first"},
    "p_grant_no_user": {"fr": "aucun compte n° {id}", "nl": "geen account nr. {id}", "en": "no account {id}"},
    "p_grant_no_consultation": {"fr": "aucune consultation n° {id}", "nl": "geen raadpleging nr. {id}",
                                "en": "no consultation {id}"},
    "pr_reset_disabled": {"fr": "le compte {name} est désactivé : réactivez-le avant d'envoyer un lien de réinitialisation",
                         "nl": "account {name} is uitgeschakeld: schakel het eerst weer in voor u een herstellink stuurt",
                         "en": "{name} is disabled: enable the account before sending a reset link"},
    "pr_link_invalid": {"fr": "ce lien de réinitialisation n'est pas valable", "nl": "deze herstellink is niet geldig",
                       "en": "this reset link is not valid"},
    "pr_link_used": {"fr": "ce lien de réinitialisation n'est pas valable ou a déjà servi",
                    "nl": "deze herstellink is niet geldig of werd al gebruikt",
                    "en": "this reset link is not valid, or it was already used"},
    "pr_link_expired": {"fr": "ce lien de réinitialisation a expiré : demandez-en un nouveau à un administrateur",
                       "nl": "deze herstellink is verlopen: vraag een beheerder om een nieuwe",
                       "en": "this reset link has expired: ask an administrator for a new one"},
    "pr_account_disabled": {"fr": "ce compte est désactivé", "nl": "dit account is uitgeschakeld",
                           "en": "this account is disabled"},
    "pr_password_short": {"fr": "le mot de passe doit compter au moins {n} caractères",
                         "nl": "het wachtwoord moet minstens {n} tekens tellen",
                         "en": "the password needs at least {n} characters"},
    "pr_batch_label": {"fr": "nom du lot : {n} caractères au plus, sans « # »",
                      "nl": "naam van de reeks: hoogstens {n} tekens, zonder „#”",
                      "en": "batch name: at most {n} characters, without '#'"},
    "pr_no_batch": {"fr": "ce lot de codes d'invitation n'existe pas", "nl": "deze reeks uitnodigingscodes bestaat niet",
                   "en": "no such batch of invitation codes"},
    "pr_downloaded": {"fr": "ces codes ont déjà été téléchargés dans ce format : créez un nouveau lot",
                     "nl": "deze codes werden al in dit formaat gedownload: maak een nieuwe reeks",
                     "en": "these codes were already downloaded in this format: issue a new batch"},
    "pr_downloaded_now": {"fr": "quelqu'un d'autre vient de télécharger ces codes",
                         "nl": "iemand anders heeft deze codes net gedownload",
                         "en": "these codes were downloaded at this very moment by someone else"},
    "pr_key_changed": {"fr": "ces codes ne peuvent plus être reconstitués : la clé secrète du serveur a changé depuis "
                            "leur création ; créez un nouveau lot",
                      "nl": "deze codes kunnen niet meer opgebouwd worden: de geheime sleutel van de server is "
                            "gewijzigd sinds ze werden aangemaakt; maak een nieuwe reeks",
                      "en": "these codes cannot be rebuilt: the server's secret key changed since they were issued; "
                            "issue a new batch"},
}  # fmt: skip

texts.register(TEXTS)


def problem(message: str, lang: str) -> str:
    """``message`` in ``lang`` when it is one of the known sentences, else as it is."""
    read = _READ.match(message)
    if read:
        return texts.text("p_read", lang, file=read["file"], reason=_reason(read["reason"], lang))
    for pattern, key in _PATTERNS:
        found = pattern.match(message)
        if found:
            values = found.groupdict()
            for name in _ROLES:
                if name in values and f"role_{values[name]}" in texts.TEXTS:
                    values[name] = texts.text(f"role_{values[name]}", lang)
            return texts.text(key, lang, **values)
    return message


def _reason(reason: str, lang: str) -> str:
    for pattern, key in _REASONS:
        found = pattern.match(reason)
        if found:
            return texts.text(key, lang, **found.groupdict())
    return reason
