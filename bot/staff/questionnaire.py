"""``mitwirken print``: a survey as a printable questionnaire (tagged PDF), in one of its languages.

Title, intro, contact and a short privacy notice; a form number field; the links to
take part online instead, with QR codes; then every question numbered, with its
tick boxes or fields as its type prints it (``Kind.paper``), and the conditions
turned into plain instructions (``surveys/paper.py``): "If you ticked 'No', go on
with question 5", "Only answer this if you ticked … at question 2", and "you are done"
for an ``end_if``. The sentences are the citizen's (gettext catalogs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.i18n import N_, Translator, translator
from bot.staff.links import Link, qr_data_uri
from bot.staff.printing import PageStyle, render_html, write_pdf
from surveys.conditions.nodes import And, Call, Compare, Constant, ConstantList, Name, Node, Not, Or
from surveys.model import Question, Survey
from surveys.paper import Filter, Jump, filters, jumps, numbers
from surveys.question_types import kind_of
from surveys.question_types.base import Paper

__all__ = ["Item", "condition_words", "questionnaire_html", "questionnaire_items", "write_questionnaire"]


@dataclass(frozen=True)
class Item:
    """One printed entry: a numbered question, or an ``info`` text (``info=True``, no number)."""

    text: str
    number: int = 0
    info: bool = False
    hint: str = ""
    paper: Paper | None = None
    filter: str = ""
    jumps: tuple[str, ...] = ()
    end: str = ""
    rule: str = ""  # the survey's constraint_message: what the chat would refuse, said beforehand


def quoted(label: str, t: Translator) -> str:
    return t.gettext("“{label}”", label=label)


def _either(parts: list[str], t: Translator, joiner: str = "or") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    first, last = ", ".join(parts[:-1]), parts[-1]
    if joiner == "and":
        return t.gettext("{first} and {last}", first=first, last=last)
    return t.gettext("{first} or {last}", first=first, last=last)


def _answer_labels(question: Question, answers: tuple[str, ...], t: Translator) -> str:
    paper = kind_of(question).paper(question, t)
    labels = {box.answer: box.label for box in paper.boxes}
    return _either([quoted(labels.get(a, a), t) for a in answers], t)


def _value_label(question: Question | None, value: object, t: Translator) -> str:
    """A literal of a condition as the printed form shows it: an option's label, Yes/No, a number."""
    if question is not None:
        kind = kind_of(question)
        # the tick that stores ``value`` (yes/no stores true/false); a multi's option by its id
        same = (a for a, stored in kind.single_values(question) if stored == value and type(stored) is type(value))
        key = next(same, str(value))
        for box in kind.paper(question, t).boxes:
            if box.answer == key:
                return quoted(box.label, t)
    if isinstance(value, str):
        return quoted(value, t)
    return str(value)


_COMPARISONS = {
    "<": N_("less than {value}"),
    "<=": N_("at most {value}"),
    ">": N_("more than {value}"),
    ">=": N_("at least {value}"),
}


def condition_words(node: Node, survey: Survey, number_of: dict[str, int], t: Translator) -> str | None:
    """A condition in plain words with question numbers ("question 2: “Rarely” or “Never”"),
    or None where a part of it has no plain wording (the caller prints it as written)."""

    def name_of(subject: Node) -> tuple[str, Question] | None:
        if isinstance(subject, Name) and subject.name in number_of:
            question = survey.question(subject.name)
            if question is not None:
                return subject.name, question
        return None

    match node:
        case And(operands) | Or(operands):
            parts = [condition_words(o, survey, number_of, t) for o in operands]
            if any(p is None for p in parts):
                return None
            return _either([p for p in parts if p], t, "and" if isinstance(node, And) else "or")
        case Not(operand):
            inner = condition_words(operand, survey, number_of, t)
            return None if inner is None else t.gettext("not ({condition})", condition=inner)
        case Call("answered", subject):
            found = name_of(subject)
            return None if found is None else t.gettext("question {n} answered", n=number_of[found[0]])
        case Call("selected", subject, option):
            found = name_of(subject)
            if found is None or option is None:
                return None
            what = t.gettext("{answer} ticked", answer=_value_label(found[1], option, t))
            return t.gettext("question {n}: {what}", n=number_of[found[0]], what=what)
        case Compare(operator, left, right):
            found = name_of(left)
            if found is None:
                return None
            qid, question = found
            if isinstance(right, ConstantList) and operator in ("in", "not in"):
                what = _either([_value_label(question, c.value, t) for c in right.items], t)
                if operator == "not in":
                    what = t.gettext("not {what}", what=what)
            elif isinstance(right, Constant) and operator in ("==", "!="):
                what = _value_label(question, right.value, t)
                if operator == "!=":
                    what = t.gettext("not {what}", what=what)
            elif isinstance(right, Constant) and operator in _COMPARISONS:
                what = t.gettext(_COMPARISONS[operator], value=_value_label(None, right.value, t))
            else:
                return None
            return t.gettext("question {n}: {what}", n=number_of[qid], what=what)
    return None


def _condition_text(node: Node, source: str, survey: Survey, number_of: dict[str, int], t: Translator) -> str:
    words = condition_words(node, survey, number_of, t)
    if words is not None:
        return words
    for qid, n in sorted(number_of.items(), key=lambda item: -len(item[0])):  # longest ids first
        source = source.replace(qid, t.gettext("question {n}", n=n))
    return source


def _jump_text(question: Question, jump: Jump, number_of: dict[str, int], t: Translator) -> str:
    answers = _answer_labels(question, jump.answers, t)
    if jump.to is None:
        return t.gettext("If you ticked {answers}, you are done.", answers=answers)
    return t.gettext("If you ticked {answers}, go on with question {n}.", answers=answers, n=number_of[jump.to])


def _filter_text(
    question: Question, survey: Survey, found: Filter | None, number_of: dict[str, int], t: Translator
) -> str:
    if question.show_if is None:
        return ""
    source = survey.question(found.source) if found else None
    if found is not None and source is not None and found.answers:
        answers = _answer_labels(source, found.answers, t)
        return t.gettext(
            "Only answer this if you ticked {answers} at question {n}.", answers=answers, n=number_of[found.source]
        )
    condition = _condition_text(question.show_if.tree, question.show_if.source, survey, number_of, t)
    return t.gettext("Only answer this if: {condition}.", condition=condition)


def _end_text(
    question: Question, survey: Survey, found: tuple[Jump, ...], number_of: dict[str, int], t: Translator
) -> str:
    """An ``end_if`` that ``jumps`` could not word as ticks (it names other answers too)."""
    if question.end_if is None or any(j.ends for j in found):
        return ""
    condition = _condition_text(question.end_if.tree, question.end_if.source, survey, number_of, t)
    return t.gettext("You are done if: {condition}.", condition=condition)


def questionnaire_items(survey: Survey, t: Translator) -> list[Item]:
    """Every question (and info text) of ``survey`` as printed, in order."""
    language = t.language
    number_of = numbers(survey)
    all_jumps = jumps(survey)
    all_filters = filters(survey)
    items: list[Item] = []
    for question in survey.questions:
        text = question.text.get(language)
        hint = question.hint.get(language) if question.hint else ""
        if not question.answerable:
            items.append(Item(text, info=True, hint=hint))
            continue
        found = all_jumps.get(question.id, ())
        items.append(
            Item(
                text,
                number=number_of[question.id],
                hint=hint,
                paper=kind_of(question).paper(question, t),
                rule=question.constraint_message.get(language) if question.constraint_message else "",
                filter=_filter_text(question, survey, all_filters.get(question.id), number_of, t),
                jumps=tuple(_jump_text(question, j, number_of, t) for j in found),
                end=_end_text(question, survey, found, number_of, t),
            )
        )
    return items


@dataclass(frozen=True)
class PrintedLink:
    name: str
    url: str
    short: str
    qr: str


def printed_links(links: tuple[Link, ...]) -> list[PrintedLink]:
    return [PrintedLink(link.name, link.url, link.short, qr_data_uri(link.url)) for link in links]


def questionnaire_html(
    survey: Survey,
    language: str,
    links: tuple[Link, ...],
    *,
    privacy_url: str,
    large: bool = False,
    numbers: Sequence[str] = (),
) -> str:
    """The questionnaire as HTML; with ``numbers`` one copy per form number, printed on it
    (for personal letters: one number per household), else one copy with an empty field."""
    t = translator(language)
    privacy = t.gettext(
        "Please do not write your name on this form. Your answers are evaluated for this survey only, "
        "without your name."
    )
    if privacy_url:
        privacy += " " + t.gettext("Privacy notice: {url}", url=privacy_url)
    words = {
        "form_number": t.gettext("Form no."),
        "privacy": privacy,
        "online": t.gettext("Rather take part online? Scan the code with your phone's camera or open the address."),
        "qr_alt": t.gettext("QR code for"),
        "how_to": t.gettext(
            "Tick a box like this: ☒. You may leave out a question you do not want to answer. "
            "Arrows (→) tell you where to go on."
        ),
        "thanks": t.gettext("Thank you for taking part!"),
        "description": t.gettext("Questionnaire"),
    }
    contact = (
        t.gettext("Questions about this survey: {contact}", contact=survey.contact.get(language))
        if survey.contact
        else ""
    )
    return render_html(
        "questionnaire.html",
        PageStyle(large=large),
        lang=language,
        title=survey.title.get(language),
        intro=survey.intro.get(language) if survey.intro else "",
        outro=survey.outro.get(language) if survey.outro else "",
        contact=contact,
        links=printed_links(links),
        items=questionnaire_items(survey, t),
        words=words,
        copies=list(numbers) or [""],
    )


def write_questionnaire(
    survey: Survey,
    language: str,
    links: tuple[Link, ...],
    out: Path,
    *,
    privacy_url: str,
    large: bool,
    numbers: Sequence[str] = (),
) -> None:
    html = questionnaire_html(survey, language, links, privacy_url=privacy_url, large=large, numbers=numbers)
    write_pdf(html, out)
