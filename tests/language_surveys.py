"""Process files for the language transcripts: a park survey written in German and Arabic."""

HADIQA = """\
format = 1
id = "hadiqa-nord"
title = { de = "Umfrage zum Nordpark", ar = "استطلاع حول الحديقة الشمالية" }
intro = { de = "Ein paar Fragen zum Nordpark.", ar = "بعض الأسئلة حول الحديقة الشمالية." }
outro = { de = "Danke für Ihre Antworten!", ar = "شكرًا على إجاباتك!" }
languages = ["de", "ar"]

[[questions]]
id = "besuch"
type = "choice"
text = { de = "Wie oft sind Sie im Nordpark?", ar = "كم مرة تزور الحديقة الشمالية؟" }
other = true
options = [
  { id = "taeglich", de = "Täglich", ar = "يوميًا" },
  { id = "woechentlich", de = "Wöchentlich", ar = "أسبوعيًا" },
  { id = "selten", de = "Selten", ar = "نادرًا" },
]

[[questions]]
id = "grund"
type = "multi"
text = { de = "Warum nicht öfter?", ar = "لماذا لا تزورها أكثر؟" }
show_if = "besuch == 'selten'"
max = 2
options = [
  { id = "weit", de = "Zu weit weg", ar = "بعيدة جدًا" },
  { id = "zeit", de = "Keine Zeit", ar = "لا يوجد وقت" },
  { id = "licht", de = "Abends zu dunkel", ar = "مظلمة في المساء" },
]

[[questions]]
id = "hund"
type = "yesno"
text = { de = "Kommen Sie mit einem Hund?", ar = "هل تأتي مع كلب؟" }

[[questions]]
id = "note"
type = "scale"
text = { de = "Wie gefällt Ihnen der Park?", ar = "ما مدى إعجابك بالحديقة؟" }
min_label = { de = "gar nicht", ar = "لا يعجبني" }
max_label = { de = "sehr", ar = "يعجبني جدًا" }

[[questions]]
id = "weg"
type = "number"
min = 0
max = 50
text = { de = "Wie weit wohnen Sie entfernt?", ar = "كم تبعد عن الحديقة؟" }
unit = { de = "km", ar = "كم" }
required = false

[[questions]]
id = "termin"
type = "date"
required = false
text = { de = "Wann waren Sie zuletzt dort?", ar = "متى كنت هناك آخر مرة؟" }

[[questions]]
id = "ort"
type = "location"
required = false
bounds = [51.41, 7.30, 51.60, 7.64]
text = { de = "Wo genau?", ar = "أين بالضبط؟" }

[[questions]]
id = "wunsch"
type = "text"
max_length = 300
text = { de = "Was wünschen Sie sich?", ar = "ماذا تتمنى للحديقة؟" }
"""
