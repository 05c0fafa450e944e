"""Process files for the transcript tests: small, but with every question type and a branch."""

PARK = """\
format = 1
id = "park-test"
title = { de = "Parkumfrage", en = "Park survey" }
intro = { de = "Ein paar Fragen zum Park.", en = "A few questions about the park." }
outro = { de = "Danke für Ihre Antworten!", en = "Thanks for your answers!" }
languages = ["de", "en"]

[[questions]]
id = "besuch"
type = "choice"
text = { de = "Wie oft sind Sie im Park?", en = "How often are you in the park?" }
other = true
options = [
  { id = "oft", de = "Oft", en = "Often" },
  { id = "selten", de = "Selten", en = "Rarely" },
  { id = "nie", de = "Nie", en = "Never" },
]

[[questions]]
id = "grund"
type = "multi"
text = { de = "Warum nicht öfter?", en = "Why not more often?" }
show_if = "besuch in ['selten', 'nie']"
max = 2
options = [
  { id = "weg", de = "Zu weit weg", en = "Too far" },
  { id = "dreck", de = "Zu schmutzig", en = "Too dirty" },
  { id = "zeit", de = "Keine Zeit", en = "No time" },
]

[[questions]]
id = "hund"
type = "yesno"
text = { de = "Haben Sie einen Hund?", en = "Do you have a dog?" }
end_if = "hund == false and besuch == 'nie'"
end_text = { de = "Dann sind wir schon fertig. Danke!", en = "Then we are done already. Thanks!" }

[[questions]]
id = "note"
type = "scale"
text = { de = "Wie gefällt Ihnen der Park?", en = "How do you like the park?" }
min_label = { de = "gar nicht", en = "not at all" }
max_label = { de = "sehr", en = "very much" }

[[questions]]
id = "alter"
type = "number"
integer = true
min = 0
max = 120
text = { de = "Wie alt sind Sie?", en = "How old are you?" }
required = false

[[questions]]
id = "wunsch"
type = "text"
max_length = 200
text = { de = "Was wünschen Sie sich?", en = "What do you wish for?" }
constraint = "length(value) >= 3"
constraint_message = { de = "Bitte mindestens drei Zeichen.", en = "At least three characters, please." }

[[questions]]
id = "termin"
type = "date"
required = false
text = { de = "Wann waren Sie zuletzt dort?", en = "When were you last there?" }

[[questions]]
id = "ort"
type = "location"
required = false
bounds = [51.41, 7.30, 51.60, 7.64]
text = { de = "Wo genau?", en = "Where exactly?" }

[[questions]]
id = "bild"
type = "photo"
required = false
max_mb = 1
text = { de = "Haben Sie ein Foto?", en = "Do you have a photo?" }
"""

ANONYM = """\
format = 1
id = "anonym-test"
title = { de = "Anonyme Umfrage", en = "Anonymous survey" }
anonymous = true
languages = ["de", "en"]

[[questions]]
id = "zufrieden"
type = "yesno"
text = { de = "Sind Sie zufrieden?", en = "Are you satisfied?" }
"""
