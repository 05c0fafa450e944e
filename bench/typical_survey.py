"""The typical survey of the Telegram benchmarks: consent, then ten questions — choices pressed and
typed, yes/no, a multi ticked with buttons, a scale, free texts, a number.

``SURVEY`` is the process file ``mitwirken run`` gets; the baseline bot (bench/telegram_baseline_bot.py)
reads the same text. ``SCRIPT`` is what every simulated citizen does at each question.
"""

from __future__ import annotations

SURVEY = """\
format = 1
id = "typisch"
title = "Eine typische Umfrage"
languages = ["de"]
outro = "Vielen Dank fürs Mitmachen!"

[[questions]]
id = "oft"
type = "choice"
text = "Wie oft sind Sie in der Innenstadt?"
options = [{ id = "t", de = "täglich" }, { id = "w", de = "wöchentlich" }, { id = "s", de = "selten" }]

[[questions]]
id = "wie"
type = "choice"
text = "Wie kommen Sie meist?"
options = [{ id = "rad", de = "Rad" }, { id = "bus", de = "Bus" }, { id = "auto", de = "Auto" }]

[[questions]]
id = "gern"
type = "yesno"
text = "Sind Sie gern dort?"

[[questions]]
id = "fehlt"
type = "multi"
text = "Was fehlt?"
options = [{ id = "baum", de = "Bäume" }, { id = "bank", de = "Bänke" }, { id = "licht", de = "Licht" }]

[[questions]]
id = "note"
type = "scale"
text = "Wie gefällt sie Ihnen?"

[[questions]]
id = "wunsch"
type = "text"
text = "Was wünschen Sie sich?"

[[questions]]
id = "alter"
type = "number"
integer = true
text = "Wie alt sind Sie?"

[[questions]]
id = "wohnen"
type = "choice"
text = "Wohnen Sie in der Stadt?"
options = [{ id = "ja", de = "in der Stadt" }, { id = "nein", de = "außerhalb" }]

[[questions]]
id = "wieder"
type = "yesno"
text = "Kommen Sie wieder?"

[[questions]]
id = "sonst"
type = "text"
text = "Möchten Sie noch etwas sagen?"
"""

STEPS = 11  # the consent and ten answers
OUTRO = "Vielen Dank fürs Mitmachen!"

# question text → the citizen's action: ("press", label), ("say", text) or ("tick", labels…) then "done"
SCRIPT: dict[str, tuple[str, ...]] = {
    "Wie oft sind Sie in der Innenstadt?": ("press", "täglich"),
    "Wie kommen Sie meist?": ("say", "2"),
    "Sind Sie gern dort?": ("press", "Ja"),
    "Was fehlt?": ("tick", "Bäume", "Licht"),
    "Wie gefällt sie Ihnen?": ("press", "4"),
    "Was wünschen Sie sich?": ("say", "Mehr Schatten im Sommer"),
    "Wie alt sind Sie?": ("say", "42"),
    "Wohnen Sie in der Stadt?": ("press", "in der Stadt"),
    "Kommen Sie wieder?": ("say", "nein"),
    "Möchten Sie noch etwas sagen?": ("say", "Danke, das war alles"),
}
