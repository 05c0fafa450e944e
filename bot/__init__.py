"""The program: wiring, dialogue, commands, outbox, CLI and the citizen-facing catalogs."""
