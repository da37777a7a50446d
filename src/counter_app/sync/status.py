"""What the sync page and ``counter-app sync --status`` show: ``status(db) -> SyncStatus``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

from counter_app.counters import LOCAL_COUNTER
from counter_app.sync import settings
from counter_app.sync.recovery import RECOVERY_PENDING


@dataclass(frozen=True)
class DeadLetter:
    at: str
    journal: str
    entry_id: str | None
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.seq} 条" if self.seq is not None else ""
        return f"{self.at[:19]} {self.journal} {where} {self.entry_id or ''}：{REASONS.get(self.reason, self.reason)}"


REASONS = {
    "content_differs": "同一编号的记录内容不同（本机记录被改动过？）",
    "id_taken": "编号已被别的柜台的记录占用",
    "seq_taken": "这个序号街道已有另一条记录（恢复了旧备份后又记了账？）",
    "chain_break": "与街道保存的上一条记录接不上",
    "hash_mismatch": "哈希与内容不符",
    "unknown_hash_format": "未知的哈希格式",
    "version_conflict": "同一版本的登记内容不同（两个柜台同时修改）",
    "foreign_community": "不属于本社区",
    "foreign_counter": "不属于本柜台",
}


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    district_url: str | None
    district_id: str | None
    counter_id: str | None
    last_success: str | None  # naive UTC ISO text
    last_run: str | None
    last_error: str | None  # of the last run, if it failed
    waiting_entries: dict = field(default_factory=dict)  # journal -> count
    waiting_registers: int = 0
    dead_letters: tuple = ()
    recovery_pending: bool = False
    anchor: dict = field(default_factory=dict)  # journal -> (seq, hash)

    def lines(self) -> list[str]:
        out = [f"街道服务器：{_shown_server(self.district_url)}",
               f"本柜台：{self.counter_id or '?'}，街道编号：{self.district_id or '未加入'}",
               f"上次成功同步：{_local(self.last_success)}"]
        if self.last_error:
            out.append(f"上次同步失败：{self.last_error}")
        out.append(f"等待上传：积分记录 {self.waiting_entries.get('points', 0)} 条，库存记录 "
                   f"{self.waiting_entries.get('stock', 0)} 条，登记变更 {self.waiting_registers} 条")
        if self.recovery_pending:
            out.append("本机是从备份恢复的：同步取回本柜台的记录之前不能记账")
        if self.dead_letters:
            out.append(f"街道拒收的记录 {len(self.dead_letters)} 条：")
            out += [f"  {d}" for d in self.dead_letters]
        return out


def status(db) -> SyncStatus:
    with db.read() as s:
        def one(sql, **kw):
            return s.execute(text(sql), kw).scalar()

        counter_id = settings.get(s, LOCAL_COUNTER)
        waiting = {}
        for journal, table in (("points", "points_journal"), ("stock", "stock_journal")):
            waiting[journal] = one(
                f"SELECT count(*) FROM {table} WHERE counter_id = :c AND seq > coalesce("
                f"(SELECT acked_seq FROM sync_state WHERE counter_id = :c AND journal = :j), 0)",
                c=counter_id, j=journal)
        last = s.execute(text("SELECT started_at, ok, error FROM sync_runs "
                              "WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1")).first()
        dead = tuple(DeadLetter(*r) for r in s.execute(text(
            "SELECT at, journal, entry_id, seq, reason FROM sync_dead_letters ORDER BY id")))
        url = settings.get(s, settings.URL)
        return SyncStatus(
            configured=url is not None, district_url=url,
            district_id=settings.get(s, "district_id"), counter_id=counter_id,
            last_success=one("SELECT max(finished_at) FROM sync_runs WHERE ok"),
            last_run=last.started_at if last else None,
            last_error=last.error if last is not None and not last.ok else None,
            waiting_entries=waiting,
            waiting_registers=one("SELECT count(*) FROM outbox WHERE seq > "
                                  "(SELECT acked_seq FROM outbox_acked WHERE id = 1)"),
            dead_letters=dead,
            recovery_pending=settings.get(s, RECOVERY_PENDING) is not None,
            anchor={r.journal: (r.seq, r.hash) for r in s.execute(text(
                "SELECT journal, seq, hash FROM sync_anchor"))},
        )


def _local(naive_utc_text: str | None) -> str:
    """A stored naive-UTC time as the counter's local wall clock; 从未 when there is none."""
    if not naive_utc_text:
        return "从未"
    from datetime import datetime

    from counter_app.localtime import to_local

    return to_local(datetime.fromisoformat(naive_utc_text)).strftime("%Y-%m-%d %H:%M")


def _shown_server(url: str | None) -> str:
    """Where the district is, for people: a key=value connection string (what add-counter
    hands out) as host/database and account (trial: the raw string, timeouts and all)."""
    if not url:
        return "未设置"
    if "://" in url or "=" not in url:
        return url
    fields = dict(p.split("=", 1) for p in url.split() if "=" in p)
    where = f"{fields.get('host') or fields.get('hostaddr') or 'localhost'}"
    if fields.get("port"):
        where += f":{fields['port']}"
    where += f"/{fields.get('dbname', '')}"
    return where + (f"（账号 {fields['user']}）" if fields.get("user") else "")
