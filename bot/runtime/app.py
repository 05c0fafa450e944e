"""Wiring: the store, the process catalog, the engine, the channels and their outbox senders.

``open_core`` builds what every command shares; ``serve`` runs channels until
a stop is requested (``mitwirken run``); ``chat`` runs one terminal
conversation (``mitwirken chat``). Both first ``settle_heap``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from adapters.base import ChannelAdapter, Inbound
from adapters.terminal import TerminalAdapter
from bot.clock import Clock, system_clock
from bot.config import Config, resolve_secret
from bot.dialogue.settings import dialogue_settings
from bot.media import MediaStore
from bot.process_files import Catalog, load_catalog
from bot.runtime.engine import Engine
from bot.runtime.outbox import OutboxSender
from bot.scheduled.hot_reload import CatalogWatcher
from bot.scheduled.scheduler import Runtime, SchedulerService
from bot.scheduled.sweeps import SweepContext
from storage.store import SqlStore, open_store

__all__ = ["Core", "chat", "open_core", "serve", "settle_heap", "start_scheduled_work", "sweep_context"]

log = logging.getLogger(__name__)


@dataclass
class Core:
    config: Config
    store: SqlStore
    catalog: Catalog
    engine: Engine
    secret: bytes = field(repr=False)

    @property
    def clock(self) -> Clock:
        """The one clock of this core: the engine's, which senders, jobs and commands read too."""
        return self.engine.clock

    def close(self) -> None:
        self.store.close()


def open_core(config: Config, *, upgrade: bool = True, clock: Clock = system_clock) -> Core:
    """Open the database (applying migrations), load the process files, build the engine on ``clock``."""
    secret = resolve_secret(config)
    store = open_store(config.storage.url, secret)
    if upgrade:
        store.upgrade()
    catalog = load_catalog([Path(p) for p in config.bot.surveys], bot_languages=config.bot.languages)
    for problem in catalog.problems:
        log.warning("process file problem, file left out: %s", problem)
    media = MediaStore(Path(config.storage.media_dir), int(config.storage.max_photo_mb * 1024 * 1024), secret)
    engine = Engine(store, catalog, dialogue_settings(config, secret), media, clock=clock)
    return Core(config, store, catalog, engine, secret)


def settle_heap() -> None:
    """Ready the process to serve for long: start-up's garbage collected, and what is left
    (catalogs, survey models, SQLAlchemy's tables and compiled statements, the channel SDKs)
    frozen, so that the cycle collector never walks it again. Without this, a full collection
    in the middle of traffic took about 100 ms (bench/engine_throughput.py, SQLite), a pause
    every citizen waiting at that moment feels. The collection first, so that no garbage is
    frozen with the rest; it costs some tens of milliseconds once, before the first turn."""
    gc.collect()
    gc.freeze()


async def _start_channel(
    core: Core, adapter: ChannelAdapter, stop: asyncio.Event, *, address: str | None = None
) -> tuple[OutboxSender, asyncio.Task[None]]:
    lock = core.store.leader_lock(f"mitwirken-outbox-{adapter.name}") if address is None else None
    sender = OutboxSender(core.store, adapter, clock=core.clock, address=address, lock=lock, outage=core.engine.outage)
    core.engine.on_enqueue(sender.offer)
    task = asyncio.create_task(sender.run(stop), name=f"outbox-{adapter.name}")
    if address is None:
        await adapter.start(core.engine.deliver)
    else:

        async def deliver_and_show(inbound: Inbound) -> None:
            # A chat shows a line's replies before it reads the next: piped input then reads
            # in order, and an erasure can't take replies with it that were still queued.
            await core.engine.deliver(inbound)
            if sender.caught_up:
                await sender.settle()  # the turn's rows were handed to the sender directly
            else:
                await sender.drain()

        await adapter.start(deliver_and_show)
    return sender, task


async def serve(core: Core, adapters: list[ChannelAdapter]) -> int:
    """Run the channels until SIGINT/SIGTERM; then finish the events in hand and exit 0."""
    settle_heap()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    tasks = []
    try:
        for adapter in adapters:
            _, task = await _start_channel(core, adapter, stop)
            tasks.append(task)
            log.info("channel %s is running", adapter.name)
        tasks.extend(start_scheduled_work(core, stop))
        terminals = [a for a in adapters if isinstance(a, TerminalAdapter)]
        waiters = [asyncio.ensure_future(stop.wait())] + [asyncio.ensure_future(t.finished.wait()) for t in terminals]
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
        log.info("stopping: finishing the messages in hand")
    finally:
        # senders finish the rows in hand while the adapters can still send; then the
        # adapters stop receiving (finishing the event in hand) and close their clients
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        for adapter in adapters:
            await adapter.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    return 0


async def chat(
    core: Core, name: str, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, language: str | None = None
) -> int:
    """One terminal conversation as participant ``name`` until end of input or Ctrl-C."""
    settle_heap()
    adapter = TerminalAdapter(
        name, stdin=stdin, stdout=stdout, files_dir=core.config.channels.terminal.files_dir, language=language
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    sender, task = await _start_channel(core, adapter, stop, address=name)
    try:
        ended = asyncio.ensure_future(adapter.finished.wait())
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({ended, stopped}, return_when=asyncio.FIRST_COMPLETED)
        ended.cancel()
        stopped.cancel()
    finally:
        await adapter.stop()
        stop.set()
        await task
        await sender.drain()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    return 0


def sweep_context(core: Core) -> SweepContext:
    """The sweep context of an opened core."""
    config, engine = core.config, core.engine
    return SweepContext(
        store=core.store,
        settings=engine.settings,
        reminders=config.reminders,
        retention_days=config.storage.retention_days,
        sent_messages_days=config.storage.sent_messages_days,
        staff=tuple(config.bot.staff),
        media=engine.media,
    )


def start_scheduled_work(core: Core, stop: asyncio.Event) -> list[asyncio.Task[None]]:
    """The scheduler and the process-file watcher of ``mitwirken run``, as tasks until ``stop``."""
    loop = asyncio.get_running_loop()
    service = SchedulerService(
        Runtime(sweep_context(core), lambda: core.engine.catalog, core.clock, core.engine.outage)
    )

    def replace(catalog: Catalog) -> None:
        core.engine.catalog = catalog
        core.catalog = catalog
        loop.call_soon_threadsafe(service.sync_jobs)

    watcher = CatalogWatcher(core.config.bot.surveys, core.config.bot.languages, lambda: core.engine.catalog, replace)
    return [
        asyncio.create_task(service.run(stop), name="scheduler"),
        asyncio.create_task(watcher.run(stop), name="process-file-watcher"),
    ]
