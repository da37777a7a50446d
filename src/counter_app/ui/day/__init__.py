"""The counter's day in the window: shift handover, day close, timed backups, selftest."""
