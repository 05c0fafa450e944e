"""A real Synapse homeserver for tests: installed into its own venv, started on loopback.

``install.ensure_synapse()`` creates ``.venv-synapse`` once, ``config.write_config``
writes a homeserver config into a temporary directory, ``server.SynapseServer``
starts and stops the process and registers users, and ``fixtures`` holds the
pytest fixtures the Matrix tests import.
"""

from __future__ import annotations

from tests.synapse.server import MatrixAccount, SynapseServer, SynapseUnavailable

__all__ = ["MatrixAccount", "SynapseServer", "SynapseUnavailable"]
