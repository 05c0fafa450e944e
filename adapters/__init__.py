"""Channels: one module per messenger, each the only importer of its SDK, plus the shared message types."""
