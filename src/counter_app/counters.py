"""Set-up of the place a counter stands: street, community, the counter itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from counter_app.db.models import Community, Counter, Setting, Street
from counter_app.errors import InvalidInput, NotFound

LOCAL_COUNTER = "local_counter_id"


@dataclass(frozen=True)
class CounterInfo:
    id: str
    name: str
    community_id: int
    community: str
    community_code: str


def create_community(db, *, street: str, community: str, code: str, counter_id: str,
                     counter_name: str) -> CounterInfo:
    """First set-up: the community and this machine's counter (made the local counter)."""
    code = code.strip().upper()
    if not (2 <= len(code) <= 4 and code.isalpha() and code.isascii()):
        raise InvalidInput(detail="社区代码须为 2 到 4 个英文字母（用作卡号前缀）")
    with db.write() as s:
        if s.scalar(select(Community.id).where(Community.code == code)) is not None:
            raise InvalidInput(detail=f"社区代码 {code} 已被使用")
        if s.get(Counter, counter_id) is not None:
            raise InvalidInput(detail=f"柜台编号 {counter_id} 已存在")
        street_row = s.scalar(select(Street).where(Street.name == street))
        if street_row is None:
            street_row = Street(name=street)
            s.add(street_row)
            s.flush()
        comm = Community(street_id=street_row.id, code=code, name=community)
        s.add(comm)
        s.flush()
        s.add(Counter(id=counter_id, community_id=comm.id, name=counter_name))
        s.merge(Setting(key=LOCAL_COUNTER, value=counter_id))
    return local_counter(db)


def local_counter(db) -> CounterInfo:
    with db.read() as s:
        counter_id = s.scalar(select(Setting.value).where(Setting.key == LOCAL_COUNTER))
        if counter_id is None:
            raise NotFound(what="本机柜台设置（请先运行 counter-app demo 或初始化）")
        row = s.execute(
            select(Counter.id, Counter.name, Community.id.label("cid"),
                   Community.name.label("cname"), Community.code)
            .join(Community, Community.id == Counter.community_id)
            .where(Counter.id == counter_id)
        ).one()
    return CounterInfo(row.id, row.name, row.cid, row.cname, row.code)
