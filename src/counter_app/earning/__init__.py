"""Earning points (issue 10): the point-item catalogue, awards, the weekly review,
micro-wishes and the expiry policy. Qt-free; the staff pages are in ui/earning/.

An award is recorded pending (``awards.record`` / an activity's scanned participants) and
reaches the ledger only when a reviewer approves it (``review.approve``), exactly once.
"""

# Nothing is imported here: `counter-app check` reads earning/check.py through plain
# sqlite3, and importing this package must not bring SQLAlchemy along with it.
