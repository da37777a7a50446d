"""Set-up of the place a counter stands: street, community, the counter itself."""

from __future__ import annotations

import re

from sqlalchemy import select

from counter_app.db.models import Community, Counter, Setting, Street
from counter_app.errors import InvalidInput, NotFound
from counter_app.counter_info import LOCAL_COUNTER, CounterInfo  # noqa: F401  (re-exported)
from counter_app.user_text import clean_text


_COUNTER_ID = re.compile(r"^[A-Z0-9]{2,16}$")


def _validate(code: str, counter_id: str, community: str, counter_name: str) -> str:
    for text, what in ((code, "社区代码"), (counter_id, "柜台编号"), (community, "社区名称"),
                       (counter_name, "柜台名称")):
        clean_text(text, what)
    code = code.strip().upper()
    if not (2 <= len(code) <= 4 and code.isalpha() and code.isascii()):
        raise InvalidInput(detail="社区代码须为 2 到 4 个英文字母（用作卡号前缀）")
    if not _COUNTER_ID.match(counter_id):
        raise InvalidInput(detail="柜台编号须为 2 到 16 位大写字母或数字，例如 XF01")
    if not community.strip() or not counter_name.strip():
        raise InvalidInput(detail="社区名称和柜台名称不能为空")
    return code


def _create_in(s, *, street: str, community: str, code: str, counter_id: str,
               counter_name: str) -> None:
    if s.scalar(select(Community.id).where(Community.code == code)) is not None:
        raise InvalidInput(detail=f"社区代码 {code} 已被使用")
    if s.get(Counter, counter_id) is not None:
        raise InvalidInput(detail=f"柜台编号 {counter_id} 已存在")
    street_row = s.scalar(select(Street).where(Street.name == street))
    if street_row is None:
        street_row = Street(name=street)
        s.add(street_row)
        s.flush()
    comm = Community(street_id=street_row.id, code=code, name=community.strip())
    s.add(comm)
    s.flush()
    s.add(Counter(id=counter_id, community_id=comm.id, name=counter_name.strip()))
    s.merge(Setting(key=LOCAL_COUNTER, value=counter_id))


def create_community(db, *, street: str, community: str, code: str, counter_id: str,
                     counter_name: str) -> CounterInfo:
    """Set-up of the community and this machine's counter (made the local counter)."""
    code = _validate(code, counter_id, community, counter_name)
    with db.write() as s:
        _create_in(s, street=street, community=community, code=code, counter_id=counter_id,
                   counter_name=counter_name)
    return local_counter(db)


def first_setup(db, *, street: str, community: str, code: str, counter_id: str,
                counter_name: str, admin_name: str, admin_pin: str,
                point_scheme: str | None = None) -> CounterInfo:
    """A new counter database: community, this counter and its first administrator (and
    the point scheme A or B, earning.presets, when chosen), in one transaction (so a failed
    set-up leaves nothing behind to trip over)."""
    from counter_app import audit
    from counter_app.db.models import Operator, Role
    from counter_app.operators import hash_pin

    code = _validate(code, counter_id, community, counter_name)
    street, admin_name = clean_text(street, "街道"), clean_text(admin_name, "管理员姓名")
    if not admin_name:
        raise InvalidInput(detail="管理员姓名不能为空")
    pin_hash = hash_pin(admin_pin)  # validates the PIN before anything is written
    if point_scheme is not None:
        from counter_app.earning.presets import POINT_SCHEMES

        if point_scheme not in POINT_SCHEMES:
            raise InvalidInput(detail=f"没有积分方案“{point_scheme}”，可选：A、B")
    with db.write() as s:
        if s.scalar(select(Setting.value).where(Setting.key == LOCAL_COUNTER)) is not None:
            raise InvalidInput(detail="本机柜台已经设置过了")
        if s.scalar(select(Operator.id).limit(1)) is not None:
            raise InvalidInput(detail="数据库里已有操作员，不能再次初始化")
        _create_in(s, street=street, community=community, code=code, counter_id=counter_id,
                   counter_name=counter_name)
        # The local counter's setting first: the operator's outbox row takes its community
        # from it (outbox_ddl.LOCAL_COMMUNITY). Flushed in one go, the ORM wrote the operator
        # before the setting and the district refused the administrator (trial).
        s.flush()
        s.add(Operator(name=admin_name.strip(), role=Role.ADMIN, pin_hash=pin_hash,
                       failed_pins=0, active=True))
        if point_scheme:
            from counter_app.earning.catalogue import install_preset_in

            install_preset_in(s, None, point_scheme)
        audit.record(s, None, "counter.setup", counter=counter_id, community=community)
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
