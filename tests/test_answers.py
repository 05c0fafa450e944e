"""Parsing answers: every question type's accepted inputs and its refusals."""

from __future__ import annotations

import datetime as dt

import hypothesis
import pytest
from hypothesis import strategies as st

from surveys.answers import (
    OTHER,
    Accepted,
    AnswerWords,
    Given,
    PhotoRef,
    Rejected,
)
from surveys.model import Choice, Question, QuestionType, Text
from surveys.question_types import answer_options, parse_answer
from surveys.typed_values import parse_coordinates, parse_date, parse_number

TODAY = dt.date(2026, 5, 14)
WORDS = AnswerWords(
    yes=("ja", "j"), no=("nein", "n"), today=("heute",), tomorrow=("morgen",), other=("sonstiges", "andere")
)
Q = QuestionType


def text(de: str, en: str | None = None) -> Text:
    return Text({"de": de, **({"en": en} if en else {})}, "de")


def question(kind: QuestionType, **fields: object) -> Question:
    return Question(id="q", type=kind, text=text("Frage?"), **fields)  # type: ignore[arg-type]


HAEUFIGKEIT = (
    Choice("taeglich", text("Täglich", "Daily")),
    Choice("woechentlich", text("Wöchentlich", "Weekly")),
    Choice("selten", text("Selten", "Rarely")),
    Choice("bus_bahn", text("Bus und Bahn", "Bus and train")),
)


def parse(q: Question, typed: str | None = None, **given: object) -> Accepted | Rejected:
    return parse_answer(q, Given(text=typed, **given), today=TODAY, words=WORDS)  # type: ignore[arg-type]


def value(q: Question, typed: str | None = None, **given: object) -> object:
    result = parse(q, typed, **given)
    assert isinstance(result, Accepted), result
    return result.value


def code(q: Question, typed: str | None = None, **given: object) -> str:
    result = parse(q, typed, **given)
    assert isinstance(result, Rejected), result
    return result.code


# --- choice ---------------------------------------------------------------------------


CHOICE = question(Q.CHOICE, options=HAEUFIGKEIT, other=True)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", "taeglich"),
        (" 2. ", "woechentlich"),
        ("(3)", "selten"),
        ("Täglich", "taeglich"),
        ("TAEGLICH", "taeglich"),
        ("taglich", "taeglich"),
        ("wöchentlich!", "woechentlich"),
        ("Weekly", "woechentlich"),
        ("selten", "selten"),
        ("bus und bahn", "bus_bahn"),
        ("bus_bahn", "bus_bahn"),
        ("5", OTHER),
        ("Sonstiges", OTHER),
        ("other", OTHER),
    ],
)
def test_choice_accepts_number_label_or_id(typed: str, expected: str) -> None:
    assert value(CHOICE, typed) == expected


def test_choice_by_button_and_other_asks_for_text() -> None:
    assert value(CHOICE, option_id="selten") == "selten"
    assert parse(CHOICE, option_id=OTHER) == Accepted(OTHER, needs_other=True)
    assert parse(CHOICE, "1") == Accepted("taeglich", needs_other=False)


@pytest.mark.parametrize("typed", ["0", "6", "manchmal", "1, 2"])
def test_choice_refuses_what_is_no_option(typed: str) -> None:
    assert parse(CHOICE, typed) == Rejected("not_an_option", {"count": 5})


def test_choice_refuses_unknown_button_and_nothing() -> None:
    assert code(CHOICE, option_id="nie") == "not_an_option"
    assert code(CHOICE, "   ") == "empty"
    assert code(CHOICE) == "empty"
    assert code(CHOICE, location=(51.5, 7.4)) == "not_an_option"


def test_answer_options_lists_other_last_and_yes_no() -> None:
    assert [oid for oid, _ in answer_options(CHOICE)] == ["taeglich", "woechentlich", "selten", "bus_bahn", OTHER]
    assert answer_options(CHOICE)[-1] == (OTHER, None)
    assert answer_options(question(Q.YESNO)) == (("yes", None), ("no", None))
    assert answer_options(question(Q.TEXT)) == ()


def test_info_is_never_parsed() -> None:
    with pytest.raises(ValueError):
        parse(question(Q.INFO), "ok")


# --- multi --------------------------------------------------------------------------


MULTI = question(Q.MULTI, options=HAEUFIGKEIT, other=True, min=1, max=3)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1, 3", ["taeglich", "selten"]),
        ("3 1", ["taeglich", "selten"]),
        ("1;3;3", ["taeglich", "selten"]),
        ("Selten, täglich", ["taeglich", "selten"]),
        ("Bus und Bahn", ["bus_bahn"]),
        ("bus und bahn, 1", ["taeglich", "bus_bahn"]),
        ("1 und 2", ["taeglich", "woechentlich"]),
        ("weekly & daily", ["taeglich", "woechentlich"]),
    ],
)
def test_multi_accepts_lists_in_display_order(typed: str, expected: list[str]) -> None:
    assert value(MULTI, typed) == expected


def test_multi_other_needs_text() -> None:
    assert parse(MULTI, "2, 5") == Accepted(["woechentlich", OTHER], needs_other=True)
    assert parse(MULTI, option_id="selten") == Accepted(["selten"])


def test_multi_min_and_max() -> None:
    assert parse(MULTI, "1, 2, 3, 4") == Rejected("too_many_options", {"max": 3})
    at_least_two = question(Q.MULTI, options=HAEUFIGKEIT, min=2)
    assert parse(at_least_two, "1") == Rejected("too_few_options", {"min": 2})
    assert value(at_least_two, "1,2,3,4") == ["taeglich", "woechentlich", "selten", "bus_bahn"]


def test_multi_refuses_any_unknown_part() -> None:
    assert code(MULTI, "1, 9") == "not_an_option"
    assert code(MULTI, "1, manchmal") == "not_an_option"


# --- yesno ----------------------------------------------------------------------------


YESNO = question(Q.YESNO)


@pytest.mark.parametrize(
    ("typed", "expected"), [("Ja", True), ("j", True), ("1", True), ("yes", True), ("NEIN", False), ("2", False)]
)
def test_yesno_words_and_numbers(typed: str, expected: bool) -> None:
    assert value(YESNO, typed) is expected


def test_yesno_buttons_and_refusal() -> None:
    assert value(YESNO, option_id="yes") is True
    assert value(YESNO, option_id="no") is False
    assert code(YESNO, "vielleicht") == "not_yes_no"
    assert code(YESNO, "3") == "not_yes_no"


# --- scale ----------------------------------------------------------------------------


SCALE = question(Q.SCALE, min=1, max=5, min_label=text("gar nicht"), max_label=text("sehr"))


def test_scale_accepts_whole_numbers_in_range() -> None:
    assert value(SCALE, " 4 ") == 4
    assert value(SCALE, option_id="5") == 5
    assert value(SCALE, "Gar nicht") == 1
    assert value(SCALE, "sehr") == 5


@pytest.mark.parametrize("typed", ["0", "6", "4/5", "3,5", "viel"])
def test_scale_refuses_other_input(typed: str) -> None:
    assert parse(SCALE, typed) == Rejected("out_of_range", {"min": 1, "max": 5})


# --- number --------------------------------------------------------------------------


NUMBER = question(Q.NUMBER, unit=text("km", "kilometres"))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3", 3),
        ("3,5", 3.5),
        ("3.5", 3.5),
        ("1.000", 1000),
        ("12.500", 12500),
        ("0.125", 0.125),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 000", 1000),
        ("-2", -2),
        ("−2,5", -2.5),
        ("25 km", 25),
        ("25km", 25),
        ("7 kilometres", 7),
        ("4.", 4),
    ],
)
def test_number_german_and_english_notation(typed: str, expected: float) -> None:
    result = value(NUMBER, typed)
    assert result == expected
    assert isinstance(result, int) == isinstance(expected, int)


@pytest.mark.parametrize("typed", ["drei", "1,2,3", "12 5", "1.00.0", "25 Meilen", "", "3,,5"])
def test_number_refuses_what_is_no_number(typed: str) -> None:
    assert code(NUMBER, typed) == ("empty" if not typed else "not_a_number")


def test_number_integer_and_bounds() -> None:
    people = question(Q.NUMBER, integer=True, min=1, max=10)
    assert value(people, "4") == 4
    assert code(people, "2,5") == "not_a_whole_number"
    assert parse(people, "11") == Rejected("out_of_range", {"min": 1, "max": 10})
    assert parse(question(Q.NUMBER, min=0), "-1") == Rejected("too_small", {"min": 0})
    assert parse(question(Q.NUMBER, max=100.5), "100,6") == Rejected("too_large", {"max": 100.5})
    assert value(question(Q.NUMBER, max=100.5), "100,5") == 100.5


# --- text ---------------------------------------------------------------------------


def test_text_is_normalised_and_length_checked() -> None:
    wish = question(Q.TEXT, min_length=5, max_length=20)
    assert value(wish, "  Mehr\u200b Bänke \r\n") == "Mehr Bänke"
    assert parse(wish, "Ja") == Rejected("too_short", {"min": 5, "length": 2})
    assert parse(wish, "x" * 21) == Rejected("too_long", {"max": 20, "length": 21})
    assert code(wish, photo=PhotoRef("media/a.jpg", "image/jpeg", 100)) == "text_expected"


def test_text_never_truncates_long_answers() -> None:
    result = parse(question(Q.TEXT), "a" * 2500)
    assert result == Rejected("too_long", {"max": 2000, "length": 2500})


# --- date ----------------------------------------------------------------------------


DATE = question(Q.DATE, min=dt.date(2026, 1, 1), max=dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24.12.2026", "2026-12-24"),
        ("1.2.2026", "2026-02-01"),
        ("2026-12-24", "2026-12-24"),
        ("24.12.2026.", "2026-12-24"),
        ("heute", "2026-05-14"),
        ("Morgen", "2026-05-15"),
        ("today", "2026-05-14"),
    ],
)
def test_date_formats_and_words(typed: str, expected: str) -> None:
    assert value(DATE, typed) == expected


@pytest.mark.parametrize("typed", ["24.12.26", "12/24/2026", "Weihnachten"])
def test_date_refuses_unclear_dates(typed: str) -> None:
    assert code(DATE, typed) == "not_a_date"


@pytest.mark.parametrize("typed", ["31.02.2026", "2026-02-30", "32.1.2026", "29.02.2025."])
def test_a_day_that_does_not_exist_is_named(typed: str) -> None:
    refused = parse(DATE, typed)
    assert isinstance(refused, Rejected) and refused.code == "no_such_date"
    assert refused.params == {"date": typed}


@pytest.mark.parametrize(
    ("typed", "expected"), [("Zuschuss", "zuschuss"), ("lastenraeder", "zuschuss"), ("radwege", "radwege")]
)
def test_a_word_only_one_label_holds_picks_that_option(typed: str, expected: str) -> None:
    budget = question(
        Q.CHOICE,
        options=(
            Choice("zuschuss", text("Zuschuss für Lastenräder", "Cargo bike grant")),
            Choice("radwege", text("Mehr Radwege", "More cycle lanes")),
            Choice("baenke", text("Mehr Bänke", "More benches")),
        ),
    )
    assert value(budget, typed) == expected
    assert code(budget, "mehr") == "not_an_option", "a word two labels hold picks none"


def test_date_bounds() -> None:
    assert parse(DATE, "01.01.2027") == Rejected("date_out_of_range", {"min": "2026-01-01", "max": "2026-12-31"})
    only_future = question(Q.DATE, min=dt.date(2026, 6, 1))
    assert parse(only_future, "heute") == Rejected("date_out_of_range", {"min": "2026-06-01"})


# --- location ----------------------------------------------------------------------------


LOCATION = question(Q.LOCATION, bounds=(51.41, 7.30, 51.60, 7.64))


def test_location_shared_point_or_typed_coordinates() -> None:
    assert value(LOCATION, location=(51.5136, 7.4653)) == {"lat": 51.5136, "lon": 7.4653}
    assert value(LOCATION, "51.51, 7.46") == {"lat": 51.51, "lon": 7.46}
    assert value(LOCATION, "51,51 7,46") == {"lat": 51.51, "lon": 7.46}


def test_location_outside_bounds_is_refused() -> None:
    assert parse(LOCATION, location=(52.52, 13.40)) == Rejected(
        "outside_bounds", {"bounds": (51.41, 7.30, 51.60, 7.64)}
    )
    assert code(LOCATION, "52.52, 13.40") == "outside_bounds"
    assert value(question(Q.LOCATION), location=(52.52, 13.40)) == {"lat": 52.52, "lon": 13.40}


def test_location_in_words() -> None:
    assert value(LOCATION, "Kreuzung Wall / Kampstraße") == {"text": "Kreuzung Wall / Kampstraße"}
    assert parse(LOCATION, "Da") == Rejected("too_short", {"min": 3, "length": 2})
    assert parse(LOCATION, "x" * 301) == Rejected("too_long", {"max": 300, "length": 301})
    assert code(LOCATION, "95.0, 7.4") == "not_a_location"
    assert code(LOCATION, photo=PhotoRef("media/a.jpg", "image/jpeg", 100)) == "not_a_location"


# --- photo ------------------------------------------------------------------------------


PHOTO = question(Q.PHOTO, max_mb=2.0)


def test_photo_is_accepted_within_size_and_type() -> None:
    ref = PhotoRef("media/ab/cd.jpg", "image/jpeg", 2 * 1024 * 1024)
    assert value(PHOTO, photo=ref) == {"path": "media/ab/cd.jpg", "mime_type": "image/jpeg", "size": 2097152}
    assert value(PHOTO, "Bildunterschrift", photo=PhotoRef("m/x.heic", "image/heic", 10))["mime_type"] == "image/heic"


def test_photo_refusals() -> None:
    assert parse(PHOTO, photo=PhotoRef("m/x.jpg", "image/jpeg", 2 * 1024 * 1024 + 1)) == Rejected(
        "photo_too_large", {"max_mb": 2.0}
    )
    assert parse(PHOTO, photo_size=30_000_000) == Rejected("photo_too_large", {"max_mb": 2.0})
    assert parse(PHOTO, photo=PhotoRef("m/x.pdf", "application/pdf", 10)) == Rejected(
        "photo_type", {"mime_type": "application/pdf"}
    )
    assert code(PHOTO, "hier ist kein Foto") == "photo_expected"
    assert code(PHOTO, location=(51.5, 7.4)) == "photo_expected"


# --- the typed-value helpers directly ------------------------------------------------------------


def test_parse_number_rules() -> None:
    assert parse_number("1.000.000") == 1_000_000
    assert parse_number("1,000,000") == 1_000_000
    assert parse_number("1.5") == parse_number("1,5")
    assert parse_number("x" * 40) is None
    assert parse_number("1e5") is None
    assert parse_number("NaN") is None


def test_parse_date_and_coordinates_directly() -> None:
    assert parse_date("29.02.2028") == dt.date(2028, 2, 29)
    assert parse_date("29.02.2027") is None
    assert parse_coordinates("51.51;7.46") == (51.51, 7.46)
    assert parse_coordinates("51.51, 7.46, 3") is None
    assert parse_coordinates("Ecke 51, 7") is None


# --- any text: an answer or a refusal, never an exception -------------------------------------------

EVERY_TYPE = (CHOICE, MULTI, YESNO, SCALE, NUMBER, question(Q.TEXT), DATE, LOCATION, PHOTO)


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(
    st.text(alphabet=st.sampled_from("0123456789 .,;-−+/&und äÄßxkm\n"), max_size=30) | st.text(max_size=30)
)
def test_any_text_is_answer_or_refusal(typed: str) -> None:
    for q in EVERY_TYPE:
        result = parse(q, typed)
        assert isinstance(result, Accepted | Rejected)
        if isinstance(result, Rejected):
            assert result.code.isidentifier() and result.code == result.code.lower()


def test_arabic_indic_digits_and_separators_count_like_european_ones() -> None:
    """Arabic keyboards type ٠١٢…, the decimal separator ٫ and the comma ،; Persian ones ۰۱۲…."""
    from surveys.option_matching import pick_several
    from surveys.typed_values import european_digits

    listed = [("a", None), ("b", None), ("c", None)]

    assert european_digits("٣٫٥ كم، ۱۲") == "3,5 كم, 12"
    assert parse_number("٣٫٥") == parse_number("3,5") and parse_number("١٬٠٠٠") == 1000
    assert parse_date("٢٤.١٢.٢٠٢٦") == parse_date("24.12.2026")
    assert parse_coordinates("٥١٫٥١، ٧٫٤٦") == (51.51, 7.46)
    assert pick_several(listed, "١، ٣") == pick_several(listed, "1, 3") == ["a", "c"]
    assert pick_several(listed, "٢؛ ٣") == ["b", "c"]
