"""Benchmark: the bot's sends per answered step over Matrix, for the typical survey.

Citizens on a throw-away Synapse open a direct chat with ``mitwirken run``, write ``start typisch``,
agree, and answer the ten questions of bench/typical_survey.py by typing (Matrix has no buttons:
numbers, labels, "1, 3" for the multi). Counted: every event the bot sent into the room from the
citizen's first message on, divided by the eleven answered steps (the consent and ten answers).
Printed with what each turn's reply looked like for the first citizen.

    .venv/bin/python bench/matrix_sends.py [--citizens 3] [--encrypted]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.typical_survey import OUTRO, STEPS, SURVEY  # noqa: E402
from tests.synapse.citizen import Citizen  # noqa: E402
from tests.synapse.program import MitwirkenRun, matrix_config  # noqa: E402
from tests.synapse.server import SynapseServer  # noqa: E402

# what a citizen types at each step, and a piece of the reply that must follow
TYPED = (
    ("1", "Wie oft sind Sie in der Innenstadt?"),  # the consent, then the first question
    ("täglich", "Wie kommen Sie meist?"),
    ("2", "Sind Sie gern dort?"),
    ("ja", "Was fehlt?"),
    ("1, 3", "Wie gefällt sie Ihnen?"),
    ("4", "Was wünschen Sie sich?"),
    ("Mehr Schatten im Sommer", "Wie alt sind Sie?"),
    ("42", "Wohnen Sie in der Stadt?"),
    ("in der Stadt", "Kommen Sie wieder?"),
    ("nein", "Möchten Sie noch etwas sagen?"),
    ("Danke, das war alles", OUTRO),
)
assert len(TYPED) == STEPS


async def take_the_survey(citizen: Citizen, room_id: str) -> int:
    """One citizen's way through it; returns the events the bot sent meanwhile."""
    await citizen.expect(room_id, "einverstanden", timeout=60)  # the greeting when the bot joins
    before = len(citizen.messages.get(room_id, []))
    await citizen.say(room_id, "start typisch")
    await citizen.expect(room_id, "einverstanden", timeout=60)
    for text, following in TYPED:
        await citizen.say(room_id, text)
        await citizen.expect(room_id, following, timeout=60)
    await asyncio.sleep(2)  # anything the bot still sends after the outro counts too
    return len(citizen.messages.get(room_id, [])) - before


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--citizens", type=int, default=3)
    parser.add_argument("--encrypted", action="store_true", help="encrypted direct chats (default: plain)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="matrix-sends-"))
    server = SynapseServer(tmp / "synapse")
    server.start()
    try:
        bot = server.register()
        run = MitwirkenRun(matrix_config(tmp, server, bot, {"typisch.toml": SURVEY}, polls=False), bot)
        run.start()
        people = [await Citizen.create(server, tmp / "citizens", bot.user_id) for _ in range(args.citizens)]
        try:
            rooms = [await c.open_dm(encrypted=args.encrypted) for c in people]
            sent = await asyncio.gather(*(take_the_survey(c, r) for c, r in zip(people, rooms, strict=True)))
            first = people[0].messages[rooms[0]]
        finally:
            run.stop()
            for c in people:
                await c.close()
    finally:
        server.stop()
    mode = "encrypted" if args.encrypted else "plain"
    print(f"{args.citizens} citizens x {STEPS} answered steps over Matrix ({mode} DMs), typical survey")
    print(f"bot events per citizen: {sent}")
    print(f"sends per answered step: {sum(sent) / (len(sent) * STEPS):.2f}")
    print("the first citizen's chat, one line per event the bot sent:")
    for message in first[-sent[0] :]:
        print("  |", message.body.replace("\n", " / ")[:110])


if __name__ == "__main__":
    asyncio.run(main())
