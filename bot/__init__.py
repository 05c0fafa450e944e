"""The program, in four packages and a few shared modules.

- ``bot.dialogue``  — the conversation with a citizen, one part per module
- ``bot.runtime``   — the running program: wiring, channels, engine, outbox senders
- ``bot.scheduled`` — work by the clock: scheduler, sweeps, process-file reload
- ``bot.staff``     — the ``mitwirken`` command line and the staff's output
- shared here: ``clock`` (the one clock), ``i18n`` (catalogs), ``media`` (photos on disk),
  ``notifications`` (messages the bot starts), ``process_files`` (the catalog of processes),
  ``config`` (reading config.toml); ``locale/`` holds the catalogs.

The shared modules import no package of ``bot``; each package says in its docstring what it
may import (``tests/test_layout.py`` checks it). ``adapters``, ``surveys`` and ``storage``
never import ``bot``.
"""
