"""Work that runs by the clock, not by a citizen's message: the scheduler and its jobs
(``scheduler``), the sweeps that queue invitations, reminders, digests and retention
(``sweeps``), and the watcher that picks up changed process files (``hot_reload``).

May import: the modules directly in ``bot/`` and ``bot.dialogue`` (the texts of invitations
and reminders); and adapters, surveys, storage. Never ``bot.runtime`` or ``bot.staff``:
``bot.runtime.app`` hands these their store, settings and catalog.
"""
