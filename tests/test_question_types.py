"""One place per question type: each type is one ``Kind`` in its own module of
``surveys/question_types``, and the rest of the program asks the kind instead of naming types."""

from __future__ import annotations

import re
from pathlib import Path

from surveys.model import QuestionType
from surveys.question_types import KINDS, OPTION_TYPES

ROOT = Path(__file__).resolve().parents[1]
TYPES_DIR = ROOT / "surveys" / "question_types"
# Where a type may still be named outside its module, and why.
ALLOWED = {
    ("surveys/model.py", "INFO"),  # Question.answerable: the model cannot import the kinds (they import it)
    ("surveys/loader/questions.py", "INFO"),  # "at least one question that is not info", read off the raw file
    ("bot/dialogue/ideas.py", "TEXT"),  # an idea's steps are asked as questions of these types
    ("bot/dialogue/ideas.py", "LOCATION"),
    ("bot/dialogue/ideas.py", "PHOTO"),
}


def test_every_type_has_one_kind_in_a_module_of_its_own() -> None:
    assert set(KINDS) == set(QuestionType)
    modules = {}
    for type_, kind in KINDS.items():
        assert kind.type is type_
        module = type(kind).__module__
        assert module.startswith("surveys.question_types."), module
        modules[type_] = module
    assert len(set(modules.values())) == len(modules), "each type in its own module"
    for module in modules.values():
        assert (TYPES_DIR / f"{module.rsplit('.', 1)[1]}.py").exists()


def test_no_other_module_names_a_question_type() -> None:
    named = re.compile(r"QuestionType\.([A-Z]+)\b")
    found = set()
    for folder in ("bot", "surveys", "storage", "adapters"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.is_relative_to(TYPES_DIR):
                continue
            for member in named.findall(path.read_text(encoding="utf-8")):
                found.add((path.relative_to(ROOT).as_posix(), member))
    assert found - ALLOWED == set()


def test_storage_does_not_know_which_types_hold_option_ids() -> None:
    assert OPTION_TYPES == {"choice", "multi"}
    for path in (ROOT / "storage").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert '"choice", "multi"' not in text and "'choice', 'multi'" not in text, path


def test_the_file_keys_of_each_type_are_documented() -> None:
    doc = (ROOT / "docs" / "survey-format.md").read_text(encoding="utf-8")
    for type_, kind in KINDS.items():
        assert f"`{type_.value}`" in doc, type_
        for key in kind.keys:
            assert f"`{key}`" in doc, (type_, key)
