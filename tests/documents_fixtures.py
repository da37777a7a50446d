"""Shared set-up for the documents tests: a real on-disk database with a community,
members, items and one checkout; and helpers that read printed output back."""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from earning_helpers import credit  # noqa: E402
from counter_app import catalogue, counters, members, operators, redemption, stock
from counter_app.db import open_database
from counter_app.db.models import (
    Building, Compound, Household, ItemKind, MemberCategory, PointCategory, PointItem, Role, Unit,
)

FOOTER_WITH_YEN = "爱心餐：￥10，欢迎常来！（积分来之不易）"
LONG_NAME = "金龙鱼食用植物调和油（非转基因压榨）1.8L家庭实惠装"


@dataclass
class World:
    db: object
    info: object
    admin: object
    member_id: int
    receipt_no: str
    item_ids: list[int]
    tmp: Path


def _household(s, community_id: int, compound: str, building: str, unit: str, room: str) -> int:
    comp = Compound(community_id=community_id, name=compound)
    s.add(comp)
    s.flush()
    b = Building(compound_id=comp.id, name=building)
    s.add(b)
    s.flush()
    u = Unit(building_id=b.id, name=unit)
    s.add(u)
    s.flush()
    h = Household(unit_id=u.id, room=room)
    s.add(h)
    s.flush()
    return h.id


def build_world(tmp: Path) -> World:
    db = open_database(tmp / "t.db")
    info = counters.create_community(db, street="和平街道", community="幸福社区", code="XF",
                                     counter_id="XF01", counter_name="幸福社区积分超市")
    oid = operators.add_operator(db, None, "管理员", Role.ADMIN, "1234")
    admin = operators.authenticate(db, oid, "1234", info.id)
    with db.write() as s:
        hid = _household(s, info.community_id, "阳光花园", "3栋", "2单元", "501")
    mid = members.register(db, admin, name="曾小明", category=MemberCategory.RESIDENT,
                           community_id=info.community_id, phone="13812345678", household_id=hid)
    with db.write() as s:
        cat = PointCategory(scheme="A", name="志愿服务")
        s.add(cat)
        s.flush()
        pi = PointItem(category_id=cat.id, name="微心愿", points=100)
        s.add(pi)
        s.flush()
        piid = pi.id
    credit(db, admin, mid, piid)
    rice = catalogue.add_item(db, admin, community_id=info.community_id, name="大米5kg",
                              kind=ItemKind.GOODS, category="粮油", points=20, unit="袋",
                              barcodes=("6901234567892",))
    oil = catalogue.add_item(db, admin, community_id=info.community_id, name=LONG_NAME,
                             kind=ItemKind.GOODS, category="粮油", points=35, unit="桶",
                             barcodes=("JLY-OIL-18",))
    soap = catalogue.add_item(db, admin, community_id=info.community_id, name="洗衣皂",
                              kind=ItemKind.GOODS, category="日用品", points=5, unit="块",
                              barcodes=("6901234567891",))  # wrong EAN check digit
    haircut = catalogue.add_item(db, admin, community_id=info.community_id, name="爱心理发",
                                 kind=ItemKind.SERVICE, category="服务", points=10, unit="次")
    stock.receive(db, admin, rice, 10)
    stock.receive(db, admin, oil, 10)
    stock.receive(db, admin, soap, 10)
    r = redemption.checkout(db, admin, mid, [redemption.CartLine(rice, 1),
                                             redemption.CartLine(oil, 2)])
    return World(db, info, admin, mid, r.receipt_no, [rice, oil, soap, haircut], tmp)


def add_members(world: World, n: int, compound: str | None = None) -> list[int]:
    hid = None
    if compound:
        with world.db.write() as s:
            hid = _household(s, world.info.community_id, compound, "1栋", "1单元", "101")
    return [members.register(world.db, world.admin, name=f"测试居民{i:03d}",
                             category=MemberCategory.RESIDENT,
                             community_id=world.info.community_id, household_id=hid)
            for i in range(n)]


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def pdftotext(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return nfkc(out)


def pdffonts(path: Path) -> list[dict]:
    """Rows of ``pdffonts``: name, type and emb (yes/no)."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: emb is the 5th field from the end
        rows.append({"name": parts[0], "emb": parts[-5], "line": line})
    return rows


def pdf_pages_png(path: Path, out_prefix: Path, dpi: int = 300) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(out_prefix)], check=True)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))


def decode_barcodes(png: Path) -> list:
    import zxingcpp
    from PIL import Image

    with Image.open(png) as img:
        return list(zxingcpp.read_barcodes(img.convert("L")))


# --- ESC/POS read-back ------------------------------------------------------------------

# Fixed-length commands the receipt job uses: prefix -> total length in bytes.
_FIXED = {b"\x1b@": 2, b"\x1c&": 2, b"\x1ba": 3, b"\x1bE": 3, b"\x1bd": 3, b"\x1d!": 3,
          b"\x1dB": 3, b"\x1dh": 3, b"\x1dw": 3, b"\x1df": 3, b"\x1dH": 3}


@dataclass
class EscposDoc:
    commands: list[bytes]  # every command, raw
    lines: list[tuple[str, int]]  # (text decoded as GB18030, width factor from GS !)


def parse_escpos(data: bytes) -> EscposDoc:
    """Split a print job into commands and text lines (text decoded as GB18030)."""
    commands: list[bytes] = []
    lines: list[tuple[str, int]] = []
    text = bytearray()
    factor = line_factor = 1  # line_factor: the size the line's text was printed at
    i = 0
    while i < len(data):
        b = data[i]
        if b in (0x1b, 0x1c, 0x1d):
            two = data[i:i + 2]
            if two == b"\x1dk":  # GS k m [n] data
                m = data[i + 2]
                if m >= 65:
                    n = data[i + 3]
                    end = i + 4 + n
                else:
                    end = data.index(b"\x00", i + 3) + 1
            elif two == b"\x1dV":  # GS V m [n]
                end = i + (4 if data[i + 2] in (65, 66) else 3)
            elif two in _FIXED:
                end = i + _FIXED[two]
            else:
                raise AssertionError(f"unexpected command {data[i:i + 4]!r} at {i}")
            cmd = data[i:end]
            commands.append(cmd)
            if two == b"\x1d!":
                factor = 2 if cmd[2] & 0x70 else 1
            i = end
        elif b == 0x0a:
            lines.append((text.decode("gb18030"), line_factor))
            text.clear()
            line_factor = factor
            i += 1
        else:
            text.append(b)
            line_factor = max(line_factor, factor) if text[:-1] else factor
            i += 1
    if text:
        lines.append((text.decode("gb18030"), line_factor))
    return EscposDoc(commands, lines)


def pdf_streams(path: Path) -> bytes:
    """Every stream of a PDF, decoded (reportlab: ASCII85 then Flate) to read operators."""
    import base64
    import re
    import zlib

    data = path.read_bytes()
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        body = m.group(1).strip()
        if body.endswith(b"~>"):
            body = base64.a85decode(body[:-2].replace(b"\n", b"").replace(b"\r", b""))
        try:
            body = zlib.decompress(body)
        except zlib.error:
            pass  # a stream that was not compressed
        out.append(body)
    return b"\n".join(out)
