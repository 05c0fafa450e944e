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
