"""Central storage: sqlmodel tables, the queries the program runs, and the migrations.

The only package that runs SQL. Everything outside talks to :class:`storage.contract.Store`
and receives the plain records of :mod:`storage.records`.
"""
