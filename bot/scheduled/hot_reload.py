"""Picking up process files added, changed or removed while ``mitwirken run`` runs.

Every few seconds the watcher compares the files' names, sizes and change
times with what it saw last. On a change it reads them all again; a file
that is now broken is logged and its previous version stays live (a process
is never taken away by a typo). The engine's catalog is then replaced as a
whole, and the listeners (the scheduler's job sync) are told.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.process_files import Catalog, load_catalog, process_files

__all__ = ["CatalogWatcher", "merge_keeping_old"]

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int], ...]


def merge_keeping_old(new: Catalog, old: Catalog) -> Catalog:
    """``new``, plus the old version of every process whose file now has errors."""
    broken = {problem.file for problem in new.errors}
    served = {process.id for process in new.processes}
    kept = tuple(p for p in old.processes if p.source in broken and p.id not in served)
    for process in kept:
        log.warning("process file %s has errors; its previous version of %s stays live", process.source, process.id)
    return Catalog(new.processes + kept, new.problems)


class CatalogWatcher:
    def __init__(
        self,
        paths: Sequence[Path],
        languages: Sequence[str],
        current: Callable[[], Catalog],
        replace: Callable[[Catalog], None],
    ) -> None:
        self.paths = list(paths)
        self.languages = list(languages)
        self.current = current
        self.replace = replace
        self._seen = self.fingerprint()

    def fingerprint(self) -> Fingerprint:
        files, _ = process_files(self.paths)
        marks = []
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            marks.append((str(file), stat.st_size, stat.st_mtime_ns))
        return tuple(marks)

    def check(self) -> bool:
        """Reload when a file changed; True when the catalog was replaced."""
        seen = self.fingerprint()
        if seen == self._seen:
            return False
        self._seen = seen
        new = load_catalog(self.paths, bot_languages=self.languages, served=self.current())
        for problem in new.problems:
            log.warning("process file problem: %s", problem)
        merged = merge_keeping_old(new, self.current())
        self.replace(merged)
        log.info("process files reloaded: %s", ", ".join(p.id for p in merged.processes) or "none")
        return True

    async def run(self, stop: asyncio.Event, interval: float = 2.0) -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                pass
            if not stop.is_set():
                try:
                    await asyncio.to_thread(self.check)
                except Exception:  # a reload must never take the bot down
                    log.exception("reloading the process files failed; the old ones stay live")
