"""What a staff command raises when it can't do what was asked: the message says why and what
to do; the command line prints it as one sentence and exits 2. Light on purpose: the command line
imports it before it knows which command runs."""

from __future__ import annotations

__all__ = ["CommandError"]


class CommandError(Exception):
    """A command can't do what was asked; the message says why and what to do."""
