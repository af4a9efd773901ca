"""The worker's own resource breakers: machine CPU held high, database pool exhausted."""
