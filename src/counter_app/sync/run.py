"""One sync run: ``sync_once(db, progress=callback) -> SyncReport``.

Order: who am I (district_info, attach) → pull → fetch back own entries the district has
and this file lacks (recovery), then own receipts (sync.receipts) → push registers → push
points, then stock entries → push receipts and voids → pull → pull other counters'
receipts (the per-item limits count them). Its own
database connection (a new engine on the same file) and small transactions: the counter
keeps redeeming while it runs. Transient failures are retried by the client (tenacity,
exponential backoff with full jitter) under one overall deadline.

``progress(stage, done, total)`` is called from the sync's thread (stage: "connect",
"recover", "push_registers", "push_points", "push_stock", "push_receipts", "pull",
"pull_receipts", "done").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import text

from counter_app.counters import local_counter
from counter_app.db.engine import Database
from counter_app.errors import CounterError
from counter_app.journal import utcnow
from counter_app.sync import receipts
from counter_app.sync.attach import attach
from counter_app.sync.connection import open_client
from counter_app.sync.pull import PAGE, pull
from counter_app.sync.push import ENTRY_BATCH, PushResult, push_entries, push_registers
from counter_app.sync.recovery import recover
from counter_app.sync.wire import iso

DEADLINE = 300.0  # seconds for a whole run


@dataclass
class SyncReport:
    ok: bool
    started_at: str
    finished_at: str | None = None
    recovered: int = 0
    receipts_recovered: int = 0
    receipts_pushed: int = 0
    receipts_pulled: int = 0
    registers_pushed: int = 0
    entries_pushed: dict = field(default_factory=dict)
    duplicates: int = 0
    dead_letters: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    rows_pulled: int = 0
    seconds: float = 0.0
    error: str | None = None

    def summary(self) -> str:
        if not self.ok:
            return f"同步失败：{self.error}"
        pushed = self.entries_pushed
        text_ = (f"同步完成：上传积分记录 {pushed.get('points', 0)} 条、库存记录 "
                 f"{pushed.get('stock', 0)} 条、登记变更 {self.registers_pushed} 条；"
                 f"下载 {self.rows_pulled} 条")
        if self.receipts_pushed:
            text_ += f"；上传小票 {self.receipts_pushed} 张"
        if self.recovered or self.receipts_recovered:
            text_ += f"；取回本柜台记录 {self.recovered} 条、小票 {self.receipts_recovered} 张"
        if self.dead_letters:
            text_ += f"；街道拒收 {len(self.dead_letters)} 条（见 counter-app sync --status）"
        return text_ + f"（{self.seconds:.1f} 秒）"


def _start(db) -> int:
    with db.write() as s:
        s.execute(text("INSERT INTO sync_runs (started_at) VALUES (:t)"), {"t": iso(utcnow())})
        return s.execute(text("SELECT max(id) FROM sync_runs")).scalar()


def _finish(db, run_id: int, report: SyncReport) -> None:
    with db.write() as s:
        s.execute(text("UPDATE sync_runs SET finished_at = :t, ok = :ok, pushed = :p, "
                       "pulled = :r, error = :e WHERE id = :i"),
                  {"t": report.finished_at, "ok": report.ok,
                   "p": sum(report.entries_pushed.values()) + report.registers_pushed,
                   "r": report.rows_pulled, "e": report.error, "i": run_id})


def sync_once(db, *, progress=None, deadline: float = DEADLINE, client=None,
              page_size: int = PAGE, call_timeout: float | None = 60.0,
              batch: int = ENTRY_BATCH) -> SyncReport:
    """Run one sync of the counter database ``db`` (a Database or a path). Never raises a
    CounterError: a failure is in the report (``ok`` False, ``error`` in Chinese) and in
    sync_runs, for status()."""
    t0 = time.monotonic()
    path = db.path if hasattr(db, "path") else db
    own = Database(path)  # its own engine and connection: the UI's stays free
    report = SyncReport(ok=False, started_at=iso(utcnow()))
    run_id = None
    made_client = client is None
    try:
        run_id = _start(own)
        counter_id = local_counter(own).id
        if progress:
            progress("connect", 0, None)
        if client is None:
            client = open_client(own, counter_id, deadline=deadline, call_timeout=call_timeout)
        client.overall_deadline = time.monotonic() + deadline
        info = client.district_info()
        community_uid = attach(own, info, counter_id)
        # Registers first (a restored file may lack members its missing entries name);
        # the pull never counts an own entry the file does not hold (pull.py).
        pulled = pull(own, client, community_uid=community_uid, counter_id=counter_id,
                      page_size=page_size, progress=progress)
        report.rows_pulled = pulled.rows
        def own_receipts() -> None:
            report.receipts_recovered = receipts.fetch_own_receipts(own, client, counter_id,
                                                                    progress)

        report.recovered = recover(own, client, counter_id, progress, then=own_receipts)
        pushed = PushResult()
        push_registers(own, client, pushed, progress)
        for journal in ("points", "stock"):
            push_entries(own, client, counter_id, journal, pushed, progress, batch)
        report.receipts_pushed = receipts.push_receipts(own, client, counter_id, pushed,
                                                        progress)
        report.registers_pushed, report.entries_pushed = pushed.registers, pushed.entries
        report.duplicates, report.dead_letters = pushed.duplicates, pushed.dead_letters
        report.blocked = pushed.blocked
        # Again: the district's balances and hotlist after this push (an overdraft it
        # flagged), and the own entries they now include.
        pulled = pull(own, client, community_uid=community_uid, counter_id=counter_id,
                      page_size=page_size, progress=progress)
        report.rows_pulled += pulled.rows
        report.receipts_pulled = receipts.pull_receipts(own, client, counter_id, page_size,
                                                        progress)
        report.ok = True
    except CounterError as exc:
        report.error = str(exc)
    finally:
        report.finished_at = iso(utcnow())
        report.seconds = time.monotonic() - t0
        try:
            if run_id is not None:
                _finish(own, run_id, report)
        finally:
            if made_client and client is not None:
                client.close()
            own.dispose()
    if progress:
        progress("done", 1, 1)
    return report
