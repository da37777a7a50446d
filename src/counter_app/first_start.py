"""First start on an empty database: join the district, or set up a stand-alone counter.

Joining (the usual way, and the way back after a PC died) builds the counter database
from the district: ``counter_app.sync.join.join`` (the district-sync issue) makes a new
file at the database's path, so the empty file the program just opened is removed first
— only when it really is empty. Qt-free: the first-start dialog runs it on the database
worker; ``counter-app join`` is the same from a console.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from counter_app.errors import CounterError, InvalidInput

# Tables that hold something once a counter was set up or has worked.
_ANY_DATA = ("counters", "operators", "members", "points_journal", "stock_journal")


class JoinUnavailable(CounterError):
    message = ("这个版本还不能加入街道（缺少同步模块 counter_app.sync.join）："
               "请安装新版本，或先以单机方式设置本柜台")


def is_blank(db) -> bool:
    """The database holds no counter, operator, member or journal entry."""
    with db.read() as s:
        return not any(s.execute(text(f"SELECT 1 FROM {t} LIMIT 1")).first() for t in _ANY_DATA)


def district_join():
    """The district's join function (counter_app.sync.join.join), or JoinUnavailable."""
    try:
        from counter_app.sync.join import join
    except ImportError:
        raise JoinUnavailable() from None
    return join


def check_address(url: str) -> str:
    url = (url or "").strip()
    if not url.startswith(("postgresql://", "postgres://")):
        raise InvalidInput(detail="街道服务器地址应以 postgresql:// 开头，例如 "
                                  "postgresql://district.example/hpq（由街道提供）")
    return url


def join_district(db, url: str, counter_id: str, password: str, join=None,
                  first_admin: tuple[str, str] | None = None):
    """Replace the empty database ``db`` by the counter ``counter_id`` of the district at
    ``url``. ``db`` is disposed (reopen the file afterwards). Returns join's result
    (sync.join.Joined: community, report …)."""
    url = check_address(url)
    counter_id = (counter_id or "").strip().upper()
    if not counter_id:
        raise InvalidInput(detail="请填写街道分配的柜台编号")
    if not password:
        raise InvalidInput(detail="请填写街道提供的柜台密码")
    join = join or district_join()
    path = Path(db.path)
    if path.exists():  # (not after a join that failed: that removed it already)
        if not is_blank(db):
            raise InvalidInput(detail=f"数据库 {path} 里已有数据，不能用加入街道覆盖它")
        db.dispose()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    if first_admin is not None and not first_admin[0]:
        first_admin = None
    return join(path, url, counter_id, password=password, first_admin=first_admin)
