"""The words of staff-facing output (results, exports): German first, English for every other language.

Citizen-facing sentences go through the gettext catalogs (``bot/i18n.py``);
these are the column heads, labels and short notes that staff read in
``mitwirken results`` and in exported spreadsheets, kept in one table so both
say the same.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["channel_name", "staff_locale", "staff_words"]

_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "started": "Begonnen", "completed": "Abgeschlossen", "answered": "beantwortet",
        "answer": "Antwort", "count": "Anzahl", "share": "Anteil",
        "mean": "Mittelwert", "median": "Median", "min": "Minimum", "max": "Maximum",
        "yes": "Ja", "no": "Nein", "other": "Sonstiges", "other_answers": "Sonstiges (Freitext)",
        "more": "… und {n} weitere", "files": "Fotos: {n}", "none": "noch keine Antworten",
        "ideas": "Ideen", "status": "Status", "category": "Kategorie", "supporters": "Unterstützung",
        "idea": "Idee",
        "anonymous_unfinished": "Anonyme Umfrage: {n} angefangene Teilnahme(n) zählen erst, wenn sie fertig sind.",
        "visibility": "Sichtbarkeit", "pending": "wartet auf Freigabe", "published": "veröffentlicht",
        "rejected": "abgelehnt", "hidden": "verborgen", "reported": "gemeldet",
        # exports
        "response": "Teilnahme", "started_at": "Begonnen am", "completed_at": "Abgeschlossen am",
        "status.active": "in Bearbeitung", "status.completed": "abgeschlossen", "status.ended": "vorzeitig beendet",
        "status.anonymous": "abgeschlossen (anonym)",
        "codebook": "Codebuch", "column": "Spalte", "question": "Frage", "number": "Nr.", "type": "Typ",
        "options": "Antwortmöglichkeiten (Kennung = Text)", "answers_sheet": "Antworten",
        "author": "Eingereicht von", "reports": "Meldungen", "text": "Text", "location": "Ort", "photo": "Foto",
        "reason": "Begründung", "created_at": "Eingereicht am", "updated_at": "Geändert am",
        "moderation": "Moderation",
        # channels, paper and phone
        "channel": "Kanal", "form_number": "Bogen-Nr.", "batch": "Stapel", "by_channel": "nach Kanal",
        "channel.paper": "Papier", "channel.phone": "Telefon", "channel.web": "Web-Chat",
        "channel.telegram": "Telegram", "channel.matrix": "Matrix", "channel.terminal": "Terminal",
        "channel.none": "unbekannt", "all": "alle",
        "lists_sheet": "Listen", "pick_from_list": "Bitte eine Antwort aus der Liste wählen.",
        "number_range": "Bitte eine Zahl von {min} bis {max}.",
        # reports
        "report.intern": "Intern – nicht zur Veröffentlichung",
        "report.public": "Öffentlicher Bericht",
        "report.period": "Zeitraum",
        "report.created": "Erstellt am",
        "report.open_end": "offen",
        "report.since": "ab {day}",
        "report.until": "bis {day}",
        "report.participation": "Beteiligung",
        "report.responses": "Teilnahmen",
        "report.by_channel": "Beteiligung nach Kanal",
        "report.channel": "Kanal",
        "report.unfinished": "angefangen, noch nicht gezählt (anonyme Umfrage: zählt, wenn fertig)",
        "report.over_time": "Beteiligung im Zeitverlauf",
        "report.week_of": "Woche ab",
        "report.questions": "Fragen",
        "report.breakdown": "Aufschlüsselung nach: {by}",
        "report.group": "Gruppe",
        "report.no_answer": "keine Angabe",
        "report.merged": "Weitere (zusammengefasst)",
        "report.answered_by": "beantwortet von",
        "report.range": "von … bis unter",
        "report.month": "Monat",
        "report.places": "Orte in Worten",
        "report.points": "Punkte auf der Karte",
        "report.latitude": "Breite",
        "report.longitude": "Länge",
        "report.answers": "Antworten",
        "report.not_listed": "Einzelne Daten werden im öffentlichen Bericht nicht aufgeführt.",
        "report.points_public": (
            "{n} Punkt(e) auf der Karte: im öffentlichen Bericht "
            "nicht gezeigt, da sie auf eine Wohnung zeigen können."
        ),
        "report.withheld": "{n} Antwort(en) nicht gezeigt: noch nicht freigegeben oder verborgen (mitwirken texts).",
        "report.more_texts": "… und {n} weitere (vollständig im Export).",
        "report.footnotes": "Anmerkungen",
        "report.note_primary": (
            "„{mark}“: weniger als {n} Personen; die genaue "
            "Zahl wird zum Schutz kleiner Gruppen nicht gezeigt."
        ),
        "report.note_secondary": (
            "„{mark}“: zusätzlich verborgen, damit eine "
            "kleine Zahl nicht aus einer Summe errechnet werden kann."
        ),
        "report.note_merged": "Gruppen mit weniger als {n} Teilnahmen sind zusammengefasst: {groups}.",
        "report.note_staff": (
            "Dieser Bericht zeigt alle Zahlen und Freitexte "
            "ungeschützt. Für die Öffentlichkeit: mitwirken report --public."
        ),
        "report.method": (
            "Gezählt ist jede begonnene Teilnahme; Prozente beziehen sich auf die "
            "Personen, die die Frage beantwortet haben (Mehrfachauswahl: Summe über 100 %)."
        ),
        "report.by_status": "Ideen nach Status",
        "report.by_category": "Ideen nach Kategorie",
        "report.top": "Meistunterstützte Ideen",
        "report.news": "Was aus den Ideen wurde",
        "report.news_sent": "Statusmeldungen versandt",
        "report.rank": "Platz",
        "report.ideas_total": "Ideen insgesamt",
        "report.ideas_published": "veröffentlicht",
        "report.ideas_moderated": (
            "nicht veröffentlicht (wartend, abgelehnt, "
            "verborgen, gemeldet): gezählt, nicht zitiert"
        ),
        "report.none": "keine",
        "report.no_category": "ohne Kategorie",
        "report.photos": "Fotos",
    },
    "en": {
        "started": "Started", "completed": "Completed", "answered": "answered",
        "answer": "Answer", "count": "Count", "share": "Share",
        "mean": "Mean", "median": "Median", "min": "Minimum", "max": "Maximum",
        "yes": "Yes", "no": "No", "other": "Other", "other_answers": "Other (free text)",
        "more": "… and {n} more", "files": "Photos: {n}", "none": "no answers yet",
        "ideas": "Ideas", "status": "Status", "category": "Category", "supporters": "Support",
        "idea": "Idea",
        "anonymous_unfinished": "Anonymous survey: {n} begun response(s) count only once finished.",
        "visibility": "Visibility", "pending": "awaiting approval", "published": "published",
        "rejected": "rejected", "hidden": "hidden", "reported": "reported",
        # exports
        "response": "Response", "started_at": "Started at", "completed_at": "Completed at",
        "status.active": "in progress", "status.completed": "completed", "status.ended": "ended early",
        "status.anonymous": "completed (anonymous)",
        "codebook": "Codebook", "column": "Column", "question": "Question", "number": "No.", "type": "Type",
        "options": "Options (id = text)", "answers_sheet": "Answers",
        "author": "Handed in by", "reports": "Reports", "text": "Text", "location": "Place", "photo": "Photo",
        "reason": "Reason", "created_at": "Handed in at", "updated_at": "Changed at",
        "moderation": "Moderation",
        # channels, paper and phone
        "channel": "Channel", "form_number": "Form no.", "batch": "Batch", "by_channel": "by channel",
        "channel.paper": "Paper", "channel.phone": "Phone", "channel.web": "Web chat",
        "channel.telegram": "Telegram", "channel.matrix": "Matrix", "channel.terminal": "Terminal",
        "channel.none": "unknown", "all": "all",
        "lists_sheet": "Lists", "pick_from_list": "Please pick an answer from the list.",
        "number_range": "Please enter a number from {min} to {max}.",
        # reports
        "report.intern": "Internal – not for publication",
        "report.public": "Public report",
        "report.period": "Period",
        "report.created": "Created on",
        "report.open_end": "open",
        "report.since": "from {day}",
        "report.until": "until {day}",
        "report.participation": "Participation",
        "report.responses": "Responses",
        "report.by_channel": "Participation by channel",
        "report.channel": "Channel",
        "report.unfinished": "begun, not counted yet (anonymous survey: counts once finished)",
        "report.over_time": "Participation over time",
        "report.week_of": "Week of",
        "report.questions": "Questions",
        "report.breakdown": "Breakdown by: {by}",
        "report.group": "Group",
        "report.no_answer": "no answer",
        "report.merged": "Others (merged)",
        "report.answered_by": "answered by",
        "report.range": "from … to under",
        "report.month": "Month",
        "report.places": "Places in words",
        "report.points": "Points on the map",
        "report.latitude": "Latitude",
        "report.longitude": "Longitude",
        "report.answers": "Answers",
        "report.not_listed": "Single dates are not listed in a public report.",
        "report.points_public": "{n} point(s) on the map: not shown in a public report, as they can point to a home.",
        "report.withheld": "{n} answer(s) not shown: not approved yet, or hidden (mitwirken texts).",
        "report.more_texts": "… and {n} more (all of them in the export).",
        "report.footnotes": "Notes",
        "report.note_primary": (
            "“{mark}”: fewer than {n} people; the exact "
            "number is not shown, to protect small groups."
        ),
        "report.note_secondary": "“{mark}”: hidden as well, so that a small number can't be worked out from a total.",
        "report.note_merged": "Groups of fewer than {n} responses are merged: {groups}.",
        "report.note_staff": (
            "This report shows every number and free text "
            "unprotected. For the public: mitwirken report --public."
        ),
        "report.method": (
            "Every begun response counts; percentages are of the people who "
            "answered the question (multiple choice: they add up to more than 100 %)."
        ),
        "report.by_status": "Ideas by status",
        "report.by_category": "Ideas by category",
        "report.top": "Most supported ideas",
        "report.news": "What became of the ideas",
        "report.news_sent": "Status news sent",
        "report.rank": "Rank",
        "report.ideas_total": "Ideas in all",
        "report.ideas_published": "published",
        "report.ideas_moderated": "not published (waiting, rejected, hidden, reported): counted, not quoted",
        "report.none": "none",
        "report.no_category": "no category",
        "report.photos": "Photos",
    },
}  # fmt: skip


def staff_locale(language: str) -> str:
    """The language staff output is in for ``language`` (``de-x-simple`` → ``de``; others without
    words of their own → ``en``): also the Babel locale of its numbers and dates, so both agree."""
    base = language.split("-", 1)[0]
    return base if base in _WORDS else "en"


def staff_words(language: str) -> Mapping[str, str]:
    """The staff words for ``language`` (``de-x-simple`` → German; other languages → English)."""
    return _WORDS[staff_locale(language)]


def channel_name(channel: str | None, language: str) -> str:
    """A response's channel as staff read it (``paper`` → "Papier"); one the table lacks as it is."""
    labels = staff_words(language)
    return labels.get(f"channel.{channel or 'none'}", channel or labels["channel.none"])
