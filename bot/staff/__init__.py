"""The staff's command line: argument parsing (``cli``), what each command does
(``commands``, ``idea_commands``, ``schedule_commands``, ``data_requests``), and the staff's
output: result tables (``results_view``), exports (``export``) and their words (``words``).

May import everything in ``bot/``; nothing imports it but the ``mitwirken`` entry point.
"""
