"""The running program: wiring (``app``), the channels it builds (``channels``), the engine that
turns one inbound event into one transaction (``engine``), the outbox senders (``outbox``) and
the channel cursors kept in the database (``cursors``).

May import: the modules directly in ``bot/`` (clock, i18n, media, notifications, process_files,
config), ``bot.dialogue`` and ``bot.scheduled``; and adapters, surveys, storage. Never
``bot.staff``.
"""
