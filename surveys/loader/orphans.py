"""Changes to a file that would orphan stored answers.

Answers are stored under a question's id and refer to option ids. Once answers
exist, removing that question or one of the options they use, or changing the
question's type, would leave them meaningless; the fix is to give a changed
question a new id (the old answers stay with the old id).
"""

from __future__ import annotations

from collections.abc import Mapping

from surveys.loader.source_map import place_of
from surveys.model import IdeaCall, Survey
from surveys.problems import Problem
from surveys.question_types import OPTION_TYPES, kind_of

__all__ = ["IDEA_CATEGORY", "orphan_problems"]

# In an idea call, the categories stored ideas use are passed as this pseudo-question.
IDEA_CATEGORY = "category"


def orphan_problems(
    process: Survey | IdeaCall, answered: Mapping[str, tuple[str, set[str]]], *, file: str
) -> list[Problem]:
    """Problems for every stored answer the file no longer fits.

    ``answered`` maps question id → (stored question type, option ids used in stored answers).
    """
    if isinstance(process, IdeaCall):
        return _idea_orphans(process, answered, file)
    problems: list[Problem] = []
    for question_id, (stored_type, used) in sorted(answered.items()):
        question = process.question(question_id)
        if question is None:
            message = f"question '{question_id}' has stored answers but is gone from the file"
            problems.append(Problem(file, "questions", message, "put it back: answers are stored under its id"))
            continue
        place = place_of(("questions", process.index_of(question_id)))
        if question.type.value != stored_type:
            message = f"question '{question_id}' has stored {stored_type} answers but is now a {question.type.value}"
            problems.append(Problem(file, place, message, "give the changed question a new id instead"))
        elif stored_type in OPTION_TYPES:
            known = {oid for oid, _ in kind_of(question).options(question)}
            for option in sorted(used - known):
                message = f"option '{option}' of question '{question_id}' is used in stored answers but is gone"
                hint = "put the option back, or give the changed question a new id"
                problems.append(Problem(file, f"{place}.options", message, hint))
    return problems


def _idea_orphans(process: IdeaCall, answered: Mapping[str, tuple[str, set[str]]], file: str) -> list[Problem]:
    known = {c.id for c in process.categories}
    _, used = answered.get(IDEA_CATEGORY, ("", set()))
    hint = "put the category back: stored ideas refer to it"
    return [
        Problem(file, "categories", f"category '{category}' is used by stored ideas but is gone", hint)
        for category in sorted(used - known)
    ]
