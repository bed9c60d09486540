"""Background jobs: one scheduler process (leader-locked), a ledger that makes every run exactly-once."""
