"""Normalising typed text, the inbound flood guard, and folding for label matching."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.text_input import MAX_INBOUND, _normalize_fully, clip_inbound, match_keys, normalize_text

INVISIBLE = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}

# Text that is likely to hit the interesting cases: controls, bidi, line ends, accents.
tricky = st.text(
    alphabet=st.one_of(
        st.sampled_from(["\r", "\n", "\t", " ", "\u00a0", "\u0301", "e", "ß", "\x00", "\x1b", "\x85", "\u2028"]),
        st.sampled_from([chr(c) for c in INVISIBLE]),
        st.characters(),
    ),
    max_size=60,
)


def test_line_ends_and_blank_lines() -> None:
    assert normalize_text("  eins\r\nzwei  \rdrei\n\n\n\n\nvier \n") == "eins\nzwei\ndrei\n\nvier"


def test_tabs_become_spaces_and_controls_go() -> None:
    assert normalize_text("a\tb\x00c\x1b[31md\x7f\x85e") == "a bc[31mde"


def test_bidi_and_zero_width_characters_are_removed() -> None:
    assert normalize_text("Park\u202eanlage\u200b\u2066 \u200dWest\ufeff") == "Parkanlage West"


def test_nfc_composes_accents() -> None:
    assert normalize_text("Mu\u0308nster") == "Münster"
    # A zero-width joiner between letter and accent must not block the composition.
    assert normalize_text("Mu\u200d\u0308nster") == "Münster"


def test_markup_stays_literal() -> None:
    raw = "<b>fett</b> *stern* [link](http://x)"
    assert normalize_text(raw) == raw


def test_indentation_inside_the_text_is_kept() -> None:
    assert normalize_text("Liste:\n  - eins\n  - zwei") == "Liste:\n  - eins\n  - zwei"


def test_clip_inbound_caps_beyond_any_channel_message() -> None:
    assert clip_inbound("x" * (MAX_INBOUND * 3)) == "x" * MAX_INBOUND
    assert clip_inbound("x" * 10_000) == "x" * 10_000
    assert clip_inbound("kurz") == "kurz"


# What a one-line answer is made of: letters, marks, spaces, symbols. The no-break and the
# ideographic space are not printable to Python: text with them takes the full cleaning.
printable = st.text(
    alphabet=st.one_of(
        st.sampled_from([" ", "\u00a0", "\u0301", "\u0308", "u", "ß", "\u3000", "\u0627", "\U0001f600"]),
        st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")),
    ),
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(printable, tricky))
def test_the_one_line_shortcut_gives_what_the_full_cleaning_gives(raw: str) -> None:
    assert normalize_text(raw) == _normalize_fully(raw)


def test_the_shortcut_keeps_the_full_cleanings_edges_and_composition() -> None:
    for raw in ("  Mu\u0308nster ", "", "ein  Park  ", "東京 ", " مرحبا", "\U0001f600 Ja"):
        assert raw.isprintable()  # what takes the shortcut
        assert normalize_text(raw) == _normalize_fully(raw)
    assert normalize_text("  Mu\u0308nster ") == "Münster"


@settings(max_examples=300, deadline=None)
@given(tricky)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(tricky)
def test_no_control_or_invisible_characters_remain(raw: str) -> None:
    out = normalize_text(raw)
    for char in out:
        code = ord(char)
        assert code == 0x0A or not (code < 0x20 or 0x7F <= code < 0xA0), repr(out)
        assert code not in INVISIBLE, repr(out)
    assert out == out.strip()
    assert "\n\n\n" not in out
    assert unicodedata.is_normalized("NFC", out)


@settings(max_examples=300, deadline=None)
@given(tricky)
def test_never_longer_than_the_input(raw: str) -> None:
    # Measured against the NFC form: Unicode's NFC itself expands a few code points
    # (e.g. U+0958 becomes two), and normalize_text must produce NFC.
    assert len(normalize_text(raw)) <= len(unicodedata.normalize("NFC", raw))


@given(st.text(alphabet=st.characters(max_codepoint=0x24F), max_size=60))
def test_never_longer_than_latin_input(raw: str) -> None:
    assert len(normalize_text(raw)) <= len(raw)


def test_match_keys_ignore_case_accents_and_german_spelling() -> None:
    assert match_keys("Täglich") & match_keys("taeglich")
    assert match_keys("Täglich") & match_keys("TAGLICH")
    assert match_keys("Straße") & match_keys("strasse")
    assert match_keys(" Wöchentlich. ") & match_keys("wochentlich")
    assert not match_keys("Täglich") & match_keys("Wöchentlich")
    assert match_keys("   ") == frozenset()
