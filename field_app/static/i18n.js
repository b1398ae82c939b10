/* The interviewer's own interface language (FR/NL/EN), separate from the respondent's language
   used for questionnaire labels. The choice is kept in localStorage, which is read synchronously
   so the very first screen is already in the right language; the first default is the browser's. */
(function (root) {
  "use strict";
  var KEY = "field-ui-lang", LANGS = [["fr", "Français"], ["nl", "Nederlands"], ["en", "English"]];
  var T = {
    en: {
      "storage.explainOff": "This browser has not promised to keep the app's data. If the tablet runs short of space it may delete it, including interviews not yet sent. Sync whenever you have the network, and add the app to the home screen: browsers usually keep an installed app's data. The app asks again at each start.",
      "storage.explainOn": "Storage is persistent: the browser will not delete the interviews on its own. Clearing the browser's data by hand still would, so sync before doing that.",
      "iv.busyTitle": "Open in another window", "iv.busy": "This interview is open in another window or tab of the app. Finish or pause it there, or open it here: the other window then stops editing it (nothing already answered is lost).",
      "iv.takeOver": "Open it here", "iv.backHome": "Back to the start screen",
      "iv.takenOver": "This interview was opened in another window, so this one stopped editing it. Everything answered here is saved.",
      "iv.alreadyDone": "This interview was already finished in another window; it is in the queue and can no longer be changed here.",
      "iv.gone": "This interview was discarded in another window.",
      "iv.clash": "This interview was changed in another window at the same time. Nothing was overwritten: the answers on this screen were kept as a separate unfinished interview, linked to the other one. Check both and discard the one you do not need.",
      "iv.copy": "copy after a clash between two windows", "home.copyOf": "copy after a clash",
      "ui.language": "App language", "status.online": "online", "status.offline": "offline",
      "status.pending": "pending {n}", "status.sent": "sent {n}", "status.rejected": "rejected {n}",
      "status.never": "never synced", "status.last": "last sync {at}", "storage.on": "storage persistent",
      "storage.off": "storage NOT persistent", "storage.free": "{mb} MB free", "loading": "Loading…",
      "login.title": "Field interviews", "login.user": "Username", "login.pass": "Password",
      "login.device": "Tablet name", "login.submit": "Log in", "login.network": "The first login needs the network.",
      "login.busy": "Logging in…", "login.wrong": "Wrong username or password, or not an interviewer account.",
      "login.tooMany": "Too many failed attempts. Wait {minutes} minute(s), or ask your supervisor.",
      "pin.title": "Choose a PIN", "pin.explain": "It unlocks the app on this tablet, also offline.",
      "pin.label": "PIN", "pin.save": "Save PIN", "pin.digits": "4 to 8 digits.", "lock.title": "Locked",
      "lock.unlock": "Unlock", "lock.wrong": "Wrong PIN.",
      "home.new": "New contact", "home.respondentLang": "Respondent's language", "home.easy": "Easy-read",
      "home.paper": "Paper entry", "home.paperNo": "paper form number", "home.noteHint": "note (optional)",
      "home.start": "Start interview", "home.refusal": "Refusal", "home.notAtHome": "Not at home",
      "home.quotas": "Quotas", "home.note": "Contact note", "home.none": "No consultation assigned to you yet.",
      "home.unfinished": "Unfinished interviews", "home.resume": "Resume {slug} ({lang}, started {time})",
      "home.queue": "Queue", "home.sync": "Sync now", "home.export": "Export unsynced", "home.lock": "Lock",
      "home.paperFirst": "Enter the paper form number first.", "home.correct": "Correct",
      "kind.interview": "interview", "kind.refusal": "refusal", "kind.not_at_home": "not at home",
      "state.pending": "pending", "state.sent": "sent", "state.rejected": "rejected", "queue.paper": "paper {no}",
      "msg.refused": "Sync refused: {msg}", "msg.retry": "Sync will retry: {msg}", "msg.recorded": "Recorded: {what}",
      "msg.saved": "Interview saved on the tablet.", "msg.noVersion": "This questionnaire version is not on the tablet.",
      "msg.exported": "{n} unsynced item(s) exported.", "msg.noOffline": "Offline mode unavailable: {msg}",
      "msg.network": "network unavailable", "msg.server": "server answered {status}",
      "iv.paper": "Paper form {no}", "iv.page": "Page {pos} / {total}", "iv.correction": "correction",
      "iv.note": "Interviewer note", "iv.noteHint": "Interviewer note (not shown to the respondent)",
      "iv.back": "Back", "iv.pause": "Pause", "iv.next": "Next", "iv.finish": "Finish",
      "quota.title": "Quotas", "quota.asOf": "as of {at} (+ pending on this tablet)",
      "quota.never": "not downloaded yet", "quota.cell": "Cell", "quota.done": "Done",
      "quota.here": "Pending here", "quota.target": "Target", "quota.left": "Still needed", "quota.back": "Back",
      "srv.device_revoked": "this tablet was revoked by an administrator. Nothing was uploaded; the interviews stay on the tablet. Ask your supervisor to export them or to register the tablet again.",
      "srv.device_unknown": "the server does not know this tablet. The interviews stay on the tablet; log in again while online.",
      "srv.token_missing": "this tablet is not logged in. The interviews stay on the tablet; log in again while online.",
      "srv.interviewer_disabled": "your interviewer account is disabled. Nothing was uploaded; the interviews stay on the tablet. Ask your supervisor.",
      "srv.refused": "the server refused this tablet ({status}). The interviews stay on the tablet; ask your supervisor.",
      "srv.not_assigned": "this consultation is no longer assigned to you.",
      "srv.batch_too_large": "the server refused a batch as too large; the interviews stay on the tablet.",
      "srv.body_too_large": "the server refused the upload as too large; the interviews stay on the tablet. Export them and tell your supervisor.",
      "srv.invalid_request": "the server did not understand the upload (is the app up to date?); the interviews stay on the tablet.",
      "srv.server_error": "the server had a problem ({status}); the interviews stay on the tablet.",
      "item.invalid_uuid": "identifier not valid", "item.consultation_not_assigned": "consultation no longer assigned to you",
      "item.unknown_version": "questionnaire version unknown to the server", "item.paper_number_required": "paper form number missing",
      "item.outcome_required": "contact outcome missing", "item.invalid_answers": "answers refused:", "item.invalid": "refused by the server",
      "item.conflict": "already received with different content", "item.already_received_as_contact": "already received as a contact without interview",
      "item.already_received_as_interview": "already received as an interview"
    },
    fr: {
      "storage.explainOff": "Ce navigateur n'a pas promis de garder les données de l'application. Si la tablette manque de place, il peut les effacer, y compris les entretiens pas encore envoyés. Synchronisez dès que vous avez du réseau et ajoutez l'application à l'écran d'accueil : les navigateurs gardent en général les données d'une application installée. L'application redemande à chaque démarrage.",
      "storage.explainOn": "Stockage persistant : le navigateur n'effacera pas les entretiens de lui-même. Effacer à la main les données du navigateur les supprimerait quand même : synchronisez avant.",
      "iv.busyTitle": "Ouvert dans une autre fenêtre", "iv.busy": "Cet entretien est ouvert dans une autre fenêtre ou un autre onglet de l'application. Terminez-le ou mettez-le en pause là-bas, ou ouvrez-le ici : l'autre fenêtre cesse alors de le modifier (rien de ce qui a déjà été répondu n'est perdu).",
      "iv.takeOver": "L'ouvrir ici", "iv.backHome": "Retour à l'écran d'accueil",
      "iv.takenOver": "Cet entretien a été ouvert dans une autre fenêtre ; celle-ci a cessé de le modifier. Tout ce qui a été répondu ici est enregistré.",
      "iv.alreadyDone": "Cet entretien a déjà été terminé dans une autre fenêtre ; il est dans la file d'envoi et ne peut plus être modifié ici.",
      "iv.gone": "Cet entretien a été abandonné dans une autre fenêtre.",
      "iv.clash": "Cet entretien a été modifié en même temps dans une autre fenêtre. Rien n'a été écrasé : les réponses de cet écran ont été gardées comme un entretien inachevé séparé, lié à l'autre. Vérifiez les deux et abandonnez celui qui ne sert pas.",
      "iv.copy": "copie après un conflit entre deux fenêtres", "home.copyOf": "copie après un conflit",
      "ui.language": "Langue de l'application", "status.online": "en ligne", "status.offline": "hors ligne",
      "status.pending": "en attente {n}", "status.sent": "envoyés {n}", "status.rejected": "refusés {n}",
      "status.never": "jamais synchronisé", "status.last": "dernière synchro {at}",
      "storage.on": "stockage persistant", "storage.off": "stockage NON persistant", "storage.free": "{mb} Mo libres",
      "loading": "Chargement…", "login.title": "Entretiens de terrain", "login.user": "Identifiant",
      "login.pass": "Mot de passe", "login.device": "Nom de la tablette", "login.submit": "Se connecter",
      "login.network": "La première connexion demande le réseau.", "login.busy": "Connexion…",
      "login.wrong": "Identifiant ou mot de passe erroné, ou compte qui n'est pas enquêteur.",
      "login.tooMany": "Trop d'essais manqués. Attendez {minutes} minute(s) ou demandez à votre superviseur.",
      "pin.title": "Choisissez un code PIN", "pin.explain": "Il déverrouille l'application sur cette tablette, même hors ligne.",
      "pin.label": "Code PIN", "pin.save": "Enregistrer le PIN", "pin.digits": "4 à 8 chiffres.",
      "lock.title": "Verrouillé", "lock.unlock": "Déverrouiller", "lock.wrong": "Code PIN erroné.",
      "home.new": "Nouveau contact", "home.respondentLang": "Langue de la personne interrogée",
      "home.easy": "Facile à lire", "home.paper": "Saisie papier", "home.paperNo": "numéro du questionnaire papier",
      "home.noteHint": "note (facultative)", "home.start": "Commencer l'entretien", "home.refusal": "Refus",
      "home.notAtHome": "Absent", "home.quotas": "Quotas", "home.note": "Note sur le contact",
      "home.none": "Aucune consultation ne vous est encore attribuée.", "home.unfinished": "Entretiens inachevés",
      "home.resume": "Reprendre {slug} ({lang}, commencé à {time})", "home.queue": "File d'envoi",
      "home.sync": "Synchroniser", "home.export": "Exporter les non envoyés", "home.lock": "Verrouiller",
      "home.paperFirst": "Indiquez d'abord le numéro du questionnaire papier.", "home.correct": "Corriger",
      "kind.interview": "entretien", "kind.refusal": "refus", "kind.not_at_home": "absent",
      "state.pending": "en attente", "state.sent": "envoyé", "state.rejected": "refusé", "queue.paper": "papier {no}",
      "msg.refused": "Synchronisation refusée : {msg}", "msg.retry": "Nouvel essai de synchronisation : {msg}",
      "msg.recorded": "Enregistré : {what}", "msg.saved": "Entretien enregistré sur la tablette.",
      "msg.noVersion": "Cette version du questionnaire n'est pas sur la tablette.",
      "msg.exported": "{n} élément(s) non envoyé(s) exporté(s).", "msg.noOffline": "Mode hors ligne indisponible : {msg}",
      "msg.network": "réseau indisponible", "msg.server": "le serveur a répondu {status}",
      "iv.paper": "Questionnaire papier {no}", "iv.page": "Page {pos} / {total}", "iv.correction": "correction",
      "iv.note": "Note de l'enquêteur", "iv.noteHint": "Note de l'enquêteur (non montrée à la personne)",
      "iv.back": "Retour", "iv.pause": "Pause", "iv.next": "Suivant", "iv.finish": "Terminer",
      "quota.title": "Quotas", "quota.asOf": "au {at} (+ en attente sur cette tablette)",
      "quota.never": "pas encore téléchargés", "quota.cell": "Cellule", "quota.done": "Faits",
      "quota.here": "En attente ici", "quota.target": "Objectif", "quota.left": "Encore à faire", "quota.back": "Retour",
      "srv.device_revoked": "cette tablette a été révoquée par un administrateur. Rien n'a été envoyé ; les entretiens restent sur la tablette. Demandez à votre superviseur de les exporter ou d'enregistrer à nouveau la tablette.",
      "srv.device_unknown": "le serveur ne connaît pas cette tablette. Les entretiens restent sur la tablette ; reconnectez-vous en ligne.",
      "srv.token_missing": "cette tablette n'est pas connectée. Les entretiens restent sur la tablette ; reconnectez-vous en ligne.",
      "srv.interviewer_disabled": "votre compte d'enquêteur est désactivé. Rien n'a été envoyé ; les entretiens restent sur la tablette. Adressez-vous à votre superviseur.",
      "srv.refused": "le serveur a refusé cette tablette ({status}). Les entretiens restent sur la tablette ; adressez-vous à votre superviseur.",
      "srv.not_assigned": "cette consultation ne vous est plus attribuée.",
      "srv.batch_too_large": "le serveur a refusé un lot trop grand ; les entretiens restent sur la tablette.",
      "srv.body_too_large": "le serveur a refusé l'envoi, trop volumineux ; les entretiens restent sur la tablette. Exportez-les et prévenez votre superviseur.",
      "srv.invalid_request": "le serveur n'a pas compris l'envoi (l'application est-elle à jour ?) ; les entretiens restent sur la tablette.",
      "srv.server_error": "le serveur a eu un problème ({status}) ; les entretiens restent sur la tablette.",
      "item.invalid_uuid": "identifiant non valable", "item.consultation_not_assigned": "consultation qui ne vous est plus attribuée",
      "item.unknown_version": "version du questionnaire inconnue du serveur", "item.paper_number_required": "numéro du questionnaire papier manquant",
      "item.outcome_required": "issue du contact manquante", "item.invalid_answers": "réponses refusées :", "item.invalid": "refusé par le serveur",
      "item.conflict": "déjà reçu avec un autre contenu", "item.already_received_as_contact": "déjà reçu comme contact sans entretien",
      "item.already_received_as_interview": "déjà reçu comme entretien"
    },
    nl: {
      "storage.explainOff": "Deze browser heeft niet beloofd de gegevens van de app te bewaren. Als de tablet te weinig ruimte heeft, kan hij ze wissen, ook interviews die nog niet verzonden zijn. Synchroniseer zodra u netwerk hebt en zet de app op het startscherm: browsers bewaren meestal de gegevens van een geïnstalleerde app. De app vraagt het opnieuw bij elke start.",
      "storage.explainOn": "Opslag blijvend: de browser wist de interviews niet uit zichzelf. De browsergegevens met de hand wissen zou ze wel verwijderen: synchroniseer eerst.",
      "iv.busyTitle": "Open in een ander venster", "iv.busy": "Dit interview is open in een ander venster of tabblad van de app. Rond het daar af of pauzeer het, of open het hier: het andere venster kan het dan niet meer wijzigen (niets wat al beantwoord is, gaat verloren).",
      "iv.takeOver": "Hier openen", "iv.backHome": "Terug naar het startscherm",
      "iv.takenOver": "Dit interview werd in een ander venster geopend; dit venster wijzigt het niet meer. Alles wat hier beantwoord werd, is bewaard.",
      "iv.alreadyDone": "Dit interview werd al afgerond in een ander venster; het staat in de wachtrij en kan hier niet meer gewijzigd worden.",
      "iv.gone": "Dit interview werd in een ander venster weggegooid.",
      "iv.clash": "Dit interview werd tegelijk in een ander venster gewijzigd. Er werd niets overschreven: de antwoorden op dit scherm werden bewaard als een apart onafgewerkt interview, gekoppeld aan het andere. Controleer beide en gooi het overbodige weg.",
      "iv.copy": "kopie na een conflict tussen twee vensters", "home.copyOf": "kopie na een conflict",
      "ui.language": "Taal van de app", "status.online": "online", "status.offline": "offline",
      "status.pending": "wachtend {n}", "status.sent": "verzonden {n}", "status.rejected": "geweigerd {n}",
      "status.never": "nooit gesynchroniseerd", "status.last": "laatste synchronisatie {at}",
      "storage.on": "opslag blijvend", "storage.off": "opslag NIET blijvend", "storage.free": "{mb} MB vrij",
      "loading": "Laden…", "login.title": "Veldinterviews", "login.user": "Gebruikersnaam",
      "login.pass": "Wachtwoord", "login.device": "Naam van de tablet", "login.submit": "Inloggen",
      "login.network": "De eerste keer inloggen vraagt netwerk.", "login.busy": "Inloggen…",
      "login.wrong": "Verkeerde gebruikersnaam of wachtwoord, of geen enquêteursaccount.",
      "login.tooMany": "Te veel mislukte pogingen. Wacht {minutes} minuut/minuten of vraag het uw supervisor.",
      "pin.title": "Kies een pincode", "pin.explain": "Ze ontgrendelt de app op deze tablet, ook offline.",
      "pin.label": "Pincode", "pin.save": "Pincode bewaren", "pin.digits": "4 tot 8 cijfers.",
      "lock.title": "Vergrendeld", "lock.unlock": "Ontgrendelen", "lock.wrong": "Verkeerde pincode.",
      "home.new": "Nieuw contact", "home.respondentLang": "Taal van de respondent", "home.easy": "Makkelijk lezen",
      "home.paper": "Papieren invoer", "home.paperNo": "nummer van de papieren vragenlijst",
      "home.noteHint": "notitie (optioneel)", "home.start": "Interview starten", "home.refusal": "Weigering",
      "home.notAtHome": "Niet thuis", "home.quotas": "Quota", "home.note": "Notitie bij het contact",
      "home.none": "U hebt nog geen bevraging toegewezen gekregen.", "home.unfinished": "Onafgewerkte interviews",
      "home.resume": "{slug} hervatten ({lang}, gestart om {time})", "home.queue": "Wachtrij",
      "home.sync": "Nu synchroniseren", "home.export": "Niet-verzonden exporteren", "home.lock": "Vergrendelen",
      "home.paperFirst": "Vul eerst het nummer van de papieren vragenlijst in.", "home.correct": "Corrigeren",
      "kind.interview": "interview", "kind.refusal": "weigering", "kind.not_at_home": "niet thuis",
      "state.pending": "wachtend", "state.sent": "verzonden", "state.rejected": "geweigerd", "queue.paper": "papier {no}",
      "msg.refused": "Synchronisatie geweigerd: {msg}", "msg.retry": "Synchronisatie wordt opnieuw geprobeerd: {msg}",
      "msg.recorded": "Geregistreerd: {what}", "msg.saved": "Interview op de tablet bewaard.",
      "msg.noVersion": "Deze versie van de vragenlijst staat niet op de tablet.",
      "msg.exported": "{n} niet-verzonden item(s) geëxporteerd.", "msg.noOffline": "Offline modus niet beschikbaar: {msg}",
      "msg.network": "netwerk niet beschikbaar", "msg.server": "de server antwoordde {status}",
      "iv.paper": "Papieren vragenlijst {no}", "iv.page": "Pagina {pos} / {total}", "iv.correction": "correctie",
      "iv.note": "Notitie van de enquêteur", "iv.noteHint": "Notitie van de enquêteur (niet getoond aan de respondent)",
      "iv.back": "Terug", "iv.pause": "Pauze", "iv.next": "Volgende", "iv.finish": "Afronden",
      "quota.title": "Quota", "quota.asOf": "op {at} (+ wachtend op deze tablet)",
      "quota.never": "nog niet gedownload", "quota.cell": "Cel", "quota.done": "Gedaan",
      "quota.here": "Wachtend hier", "quota.target": "Doel", "quota.left": "Nog nodig", "quota.back": "Terug",
      "srv.device_revoked": "deze tablet werd door een beheerder ingetrokken. Er werd niets verzonden; de interviews blijven op de tablet. Vraag uw supervisor om ze te exporteren of de tablet opnieuw te registreren.",
      "srv.device_unknown": "de server kent deze tablet niet. De interviews blijven op de tablet; log opnieuw in terwijl u online bent.",
      "srv.token_missing": "deze tablet is niet ingelogd. De interviews blijven op de tablet; log opnieuw in terwijl u online bent.",
      "srv.interviewer_disabled": "uw enquêteursaccount is uitgeschakeld. Er werd niets verzonden; de interviews blijven op de tablet. Neem contact op met uw supervisor.",
      "srv.refused": "de server weigerde deze tablet ({status}). De interviews blijven op de tablet; neem contact op met uw supervisor.",
      "srv.not_assigned": "deze bevraging is u niet langer toegewezen.",
      "srv.batch_too_large": "de server weigerde een te grote reeks; de interviews blijven op de tablet.",
      "srv.body_too_large": "de server weigerde de verzending als te groot; de interviews blijven op de tablet. Exporteer ze en verwittig uw supervisor.",
      "srv.invalid_request": "de server begreep de verzending niet (is de app bijgewerkt?); de interviews blijven op de tablet.",
      "srv.server_error": "de server had een probleem ({status}); de interviews blijven op de tablet.",
      "item.invalid_uuid": "ongeldige identificatie", "item.consultation_not_assigned": "bevraging niet langer aan u toegewezen",
      "item.unknown_version": "versie van de vragenlijst onbekend bij de server", "item.paper_number_required": "nummer van de papieren vragenlijst ontbreekt",
      "item.outcome_required": "uitkomst van het contact ontbreekt", "item.invalid_answers": "antwoorden geweigerd:", "item.invalid": "geweigerd door de server",
      "item.conflict": "al ontvangen met andere inhoud", "item.already_received_as_contact": "al ontvangen als contact zonder interview",
      "item.already_received_as_interview": "al ontvangen als interview"
    }
  };
  var listeners = [], current = initial();

  function supported(code) { return Object.prototype.hasOwnProperty.call(T, code); }
  function initial() {
    var saved = null, wanted, i;
    try { saved = root.localStorage.getItem(KEY); } catch (e) { saved = null; }
    if (saved && supported(saved)) return saved;
    wanted = root.navigator.languages || [root.navigator.language || ""];
    for (i = 0; i < wanted.length; i++) if (supported(String(wanted[i]).slice(0, 2).toLowerCase())) return String(wanted[i]).slice(0, 2).toLowerCase();
    return "fr";
  }
  function t(key, params) {
    var text = T[current][key] || T.en[key] || key;
    return text.replace(/\{(\w+)\}/g, function (all, name) { return params && params[name] !== undefined ? String(params[name]) : all; });
  }
  function set(code) {
    if (!supported(code)) return;
    current = code;
    try { root.localStorage.setItem(KEY, code); } catch (e) { /* private mode: still switched for this session */ }
    root.document.documentElement.lang = code;
    listeners.forEach(function (fn) { fn(code); });
  }
  root.document.documentElement.lang = current;
  root.FieldI18n = {
    t: t, set: set, LANGS: LANGS, supported: supported,
    lang: function () { return current; },
    has: function (key) { return Object.prototype.hasOwnProperty.call(T.en, key); },
    onChange: function (fn) { listeners.push(fn); }
  };
})(window);
