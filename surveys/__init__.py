"""Participation processes: survey and idea-call definitions, their checker, conditions,
answer parsing, the pure survey runner and result aggregation. No I/O, no clock."""
