"""Writing the item register: add and edit items, dated price changes, barcodes.

catalogue.py is the read side (lists, lookups by barcode). Manufacturer barcodes of the
GTIN family (EAN-8, UPC-A, EAN-13, GTIN-14) are checked with python-stdnum and refused
when their check digit is wrong — never "corrected". Items without a barcode (services,
offers, loose goods) scan by their internal Code128 code (item_codes.internal_code).
A price change is a row of ``item_prices`` (when, who); a receipt keeps the price it
charged in its lines (redemption_lines.unit_points).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from counter_app import audit, bounds, clock
from counter_app.db.models import ExchangeItem, ItemBarcode, ItemKind, LimitPeriod, Operator
from counter_app.db.stock_models import CapacityPeriod, ItemPrice, Merchant
from counter_app.errors import InvalidInput, UnknownItem
from counter_app.item_codes import item_id_from_code
from counter_app.operators import Actor, Permission, require
from counter_app.read_scope import reading

GTIN_LENGTHS = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}
EDITABLE = ("name", "kind", "category", "unit", "limit_qty", "limit_period", "min_age",
            "merchant_id", "capacity_qty", "capacity_period", "low_stock", "picture",
            "voucher_days")


def check_barcode(code: str) -> str:
    """A barcode as stored, or InvalidInput naming what is wrong with it."""
    from stdnum import ean

    text = (code or "").strip()
    if not text:
        raise InvalidInput(detail="条码不能为空")
    if not text.isascii() or not text.isprintable() or len(text) > 32 or " " in text:
        raise InvalidInput(detail=f"条码“{text}”含无法识别的字符或太长（最多 32 位）")
    if item_id_from_code(text) is not None or text.upper().startswith(("IT-", "VC")):
        raise InvalidInput(detail=f"“{text}”是本柜台的内部编码，不能登记为商品条码")
    if text.isdigit() and len(text) in GTIN_LENGTHS:
        if not ean.is_valid(text):
            right = ean.calc_check_digit(text[:-1])
            raise InvalidInput(detail=f"{GTIN_LENGTHS[len(text)]} 条码 {text} 的校验位不对"
                                      f"（最后一位应为 {right}）：请重新扫描或核对包装上的条码")
    elif text.isdigit() and len(text) < 4:
        raise InvalidInput(detail=f"条码“{text}”太短")
    return text


def _int_or_none(value, what: str, minimum: int) -> int | None:
    if value is None or value == "":
        return None
    if type(value) is not int or value < minimum:
        raise InvalidInput(detail=f"{what}必须是不小于 {minimum} 的整数（收到 {value}）")
    return bounds.amount(value, what)


def check_points(points) -> int:
    if type(points) is not int or points <= 0:
        raise InvalidInput(detail=f"兑换积分必须是正整数（收到 {points}）")
    return bounds.amount(points, "兑换积分")


def _paired(out: dict, qty_key: str, period_key: str, periods, qty_what: str,
            period_what: str) -> None:
    """A number per period: both or neither, the period one of ``periods``."""
    if period_key in out:
        value = out[period_key]
        if value in ("", None):
            out[period_key] = None
        else:
            try:
                out[period_key] = periods(value)
            except ValueError:
                raise InvalidInput(detail=f"{period_what}“{value}”无法识别") from None
    if qty_key in out or period_key in out:
        if (out.get(qty_key) is None) != (out.get(period_key) is None):
            raise InvalidInput(detail=f"{qty_what}和{period_what}要一起填写")


def check_fields(session: Session, fields: dict) -> dict:
    """Validate (and normalise) item fields: the rules add, edit and import share."""
    out = dict(fields)
    if "name" in out:
        name = (out["name"] or "").strip()
        if not name or len(name) > 64 or not name.isprintable():
            raise InvalidInput(detail="物品名称不能为空，最多 64 个字")
        out["name"] = name
    if "kind" in out:
        try:
            out["kind"] = ItemKind(out["kind"])
        except ValueError:
            raise InvalidInput(detail=f"物品类型“{out['kind']}”无法识别") from None
    if "category" in out:
        cat = (out["category"] or "").strip()
        if not cat or len(cat) > 32:
            raise InvalidInput(detail="类别不能为空，最多 32 个字")
        out["category"] = cat
    if "unit" in out:
        unit = (out["unit"] or "").strip() or "件"
        if len(unit) > 8:
            raise InvalidInput(detail="单位最多 8 个字")
        out["unit"] = unit
    for key, what, low in (("limit_qty", "限兑次数", 1), ("min_age", "最低年龄", 1),
                           ("capacity_qty", "服务名额", 1), ("low_stock", "低库存提醒线", 0),
                           ("voucher_days", "优惠券有效天数", 1)):
        if key in out:
            out[key] = _int_or_none(out[key], what, low)
    _paired(out, "limit_qty", "limit_period", LimitPeriod, "限兑次数", "限兑周期")
    _paired(out, "capacity_qty", "capacity_period", CapacityPeriod, "服务名额", "名额周期")
    if out.get("merchant_id") is not None:
        merchant = session.get(Merchant, out["merchant_id"])
        if merchant is None:
            raise InvalidInput(detail=f"商家不存在（编号 {out['merchant_id']}）")
        out["merchant"] = merchant.name
    if "picture" in out:
        out["picture"] = _picture(out["picture"])
    return out


PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def _picture(value) -> str | None:
    """A picture file on this counter (shown on the counter's tile), or None. A typed path
    that is not there or not a picture is refused now, not found missing at the counter."""
    text = (value or "").strip().strip('"')
    if not text:
        return None
    path = Path(text)
    if path.suffix.lower() not in PICTURE_SUFFIXES:
        raise InvalidInput(detail=f"图片文件 {text} 不是图片：可用 "
                                  + "、".join(PICTURE_SUFFIXES) + " 格式")
    if not path.is_file():
        raise InvalidInput(detail=f"图片文件 {text} 不存在：请检查路径")
    return str(path)


def _barcodes_free(session: Session, codes, item_id: int | None = None) -> list[str]:
    seen, out = set(), []
    for code in codes:
        code = check_barcode(code)
        if code in seen:
            raise InvalidInput(detail=f"条码 {code} 填了两次")
        seen.add(code)
        owner = session.scalar(select(ItemBarcode.item_id).where(ItemBarcode.code == code))
        if owner is not None and owner != item_id:
            name = session.scalar(select(ExchangeItem.name).where(ExchangeItem.id == owner))
            raise InvalidInput(detail=f"条码 {code} 已被“{name}”使用")
        out.append(code)
    return out


def add_in(session: Session, actor: Actor, *, community_id: int, name: str, kind, category: str,
           points: int, unit: str = "件", barcodes=(), **extra) -> ExchangeItem:
    """Insert one item inside the caller's transaction (add_item, import)."""
    points = check_points(points)
    fields = check_fields(session, dict(name=name, kind=kind, category=category, unit=unit,
                                        **extra))
    codes = _barcodes_free(session, barcodes)
    kind = fields.pop("kind")
    if kind is ItemKind.MERCHANT_OFFER and fields.get("merchant_id") is None \
            and not fields.get("merchant"):
        raise InvalidInput(detail=f"商家优惠“{fields['name']}”要写明是哪家商家")
    item = ExchangeItem(community_id=community_id, kind=kind, points=points,
                        tracks_stock=kind is ItemKind.GOODS, active=True, **fields)
    session.add(item)
    session.flush()
    if codes:
        session.execute(insert(ItemBarcode), [dict(code=c, item_id=item.id) for c in codes])
    session.add(ItemPrice(item_id=item.id, points=points, changed_at=clock.now_utc(),
                          operator_id=actor.operator_id if actor else None, note="新建"))
    return item


def add_item(db, actor: Actor, *, community_id: int, name: str, kind, category: str,
             points: int, unit: str = "件", barcodes: tuple[str, ...] = (), **extra) -> int:
    """A new exchange item (extra: limit_qty/limit_period, min_age, merchant or merchant_id,
    capacity_qty/capacity_period, low_stock, picture, voucher_days)."""
    require(actor, Permission.STOCK)
    with db.write() as s:
        item = add_in(s, actor, community_id=community_id, name=name, kind=kind,
                      category=category, points=points, unit=unit, barcodes=barcodes, **extra)
        audit.record(s, actor, "item.add", item_id=item.id, name=item.name, points=points)
        return item.id


def update_item(db, actor: Actor, item_id: int, **fields) -> None:
    """Edit an item's details (not its price: set_price keeps the history)."""
    require(actor, Permission.STOCK)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(detail=f"物品没有这些项：{'、'.join(sorted(unknown))}")
    with db.write() as s:
        _update_in(s, actor, item_id, fields)


def _update_in(s: Session, actor: Actor, item_id: int, fields: dict) -> None:
    item = s.get(ExchangeItem, item_id)
    if item is None:
        raise UnknownItem(item=item_id)
    merged = {k: getattr(item, k) for k in EDITABLE} | fields
    checked = check_fields(s, merged)
    if "kind" in fields and ItemKind(checked["kind"]) != ItemKind(item.kind):
        raise InvalidInput(detail="物品类型建好后不能再改（库存记录按类型记账），"
                                  "请新建一件物品")
    checked.pop("kind")
    for key, value in checked.items():
        if getattr(item, key) != value:
            setattr(item, key, value)
    audit.record(s, actor, "item.update", item_id=item_id, fields=sorted(fields))


def set_price(db, actor: Actor, item_id: int, points: int, note: str | None = None) -> None:
    """A price change from now on (receipts already made keep what they charged)."""
    require(actor, Permission.STOCK)
    points = check_points(points)
    with db.write() as s:
        _price_in(s, actor, item_id, points, note)


def _price_in(s: Session, actor: Actor, item_id: int, points: int, note: str | None,
              same_is_error: bool = True) -> None:
    item = s.get(ExchangeItem, item_id)
    if item is None:
        raise UnknownItem(item=item_id)
    if item.points == points:
        if not same_is_error:
            return
        raise InvalidInput(detail=f"“{item.name}”现在就是 {points} 分")
    before = item.points
    item.points = points
    s.add(ItemPrice(item_id=item_id, points=points, changed_at=clock.now_utc(),
                    operator_id=actor.operator_id, note=(note or "").strip() or None))
    audit.record(s, actor, "item.price", item_id=item_id, before=before, after=points)


@dataclass(frozen=True)
class PriceChange:
    points: int
    changed_at: datetime  # naive UTC
    operator: str | None
    note: str | None


def price_history(session_or_db, item_id: int) -> list[PriceChange]:
    """Every price the item had, newest first: when and who."""
    with reading(session_or_db) as s:
        rows = s.execute(select(ItemPrice, Operator.name).outerjoin(
            Operator, Operator.id == ItemPrice.operator_id).where(ItemPrice.item_id == item_id)
            .order_by(ItemPrice.changed_at.desc(), ItemPrice.id.desc()))
        return [PriceChange(p.points, p.changed_at, name, p.note) for p, name in rows]


def set_barcodes(db, actor: Actor, item_id: int, codes) -> None:
    """Replace an item's barcodes (each checked, none used by another item)."""
    require(actor, Permission.STOCK)
    with db.write() as s:
        _barcodes_in(s, actor, item_id, codes)


def _barcodes_in(s: Session, actor: Actor, item_id: int, codes) -> None:
    if s.get(ExchangeItem, item_id) is None:
        raise UnknownItem(item=item_id)
    wanted = _barcodes_free(s, codes, item_id)
    have = set(s.scalars(select(ItemBarcode.code).where(ItemBarcode.item_id == item_id)))
    gone = have - set(wanted)
    if gone:
        s.execute(delete(ItemBarcode).where(ItemBarcode.code.in_(gone)))
    new = [c for c in wanted if c not in have]
    if new:
        s.execute(insert(ItemBarcode), [dict(code=c, item_id=item_id) for c in new])
    audit.record(s, actor, "item.barcodes", item_id=item_id, codes=wanted)


def edit_item(db, actor: Actor, item_id: int, *, fields: dict, points: int, barcodes,
              active: bool) -> None:
    """What the items page saves, in one transaction: details, price (a dated change when
    it differs), barcodes and the active flag — all of it or, on any refusal, none."""
    require(actor, Permission.STOCK)
    points = check_points(points)
    with db.write() as s:
        _update_in(s, actor, item_id, fields)
        _price_in(s, actor, item_id, points, None, same_is_error=False)
        if sorted(barcodes_of(s, item_id)) != sorted(barcodes):
            _barcodes_in(s, actor, item_id, barcodes)
        item = s.get(ExchangeItem, item_id)
        if item.active != bool(active):
            item.active = bool(active)
            audit.record(s, actor, "item.activate" if active else "item.deactivate",
                         item_id=item_id)


def barcodes_of(session: Session, item_id: int) -> list[str]:
    return list(s for s in session.scalars(
        select(ItemBarcode.code).where(ItemBarcode.item_id == item_id).order_by(ItemBarcode.code)))
