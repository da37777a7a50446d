"""Clickable tiles of exchange items, one tab per category, with price and stock.

A tile the member at the counter cannot take now (points, limit, age, stock) is greyed
and says why on hover; pressing it emits ``refused`` with the reason for the status line
instead of adding the item. The reasons come from core (member_details.cart_room). An item
with a picture shows it small above its name (tile_pictures: decoded off the GUI thread,
cached); a tile without one looks as it always did.
"""

from __future__ import annotations

import re
from itertools import groupby

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout, QLabel, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget,
)

from counter_app.catalogue import ItemRow
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import css, px
from counter_app.ui.counter.tile_pictures import PictureLoader

COLUMNS = 4
PICTURE = 48  # the tile picture's side in (unscaled) pixels
REASON_LINE = 20  # room for the one line saying why a grey tile cannot be taken
# Goods first, then services, then merchant offers: the order of the shelves.
KIND_ORDER = {"goods": 0, "service": 1, "merchant_offer": 2}
WORD_JOINER = "\u2060"
_NUMBER_THEN_HAN = re.compile(r"(\d)(?=[\u3400-\u9fff])")

TILE_STYLE = """
QPushButton { text-align: center; padding: 4px; }
QPushButton[blocked="true"] { background: #e2e2e2; border: 1px dashed #9a9a9a; }
QPushButton[blocked="true"] QLabel { color: #8a8a8a; }
"""


def keep_numbers_whole(text: str) -> str:
    """No line break between a number and the word it counts ("10元爱心餐", "10卷"):
    a word joiner (U+2060) is invisible and forbids a break there (UAX #14)."""
    return _NUMBER_THEN_HAN.sub(r"\1" + WORD_JOINER, text)


class ItemTiles(QTabWidget):
    chosen = Signal(object)  # ItemRow
    refused = Signal(object, str)  # ItemRow, why it cannot be added now
    picture_shown = Signal(int)  # item id whose tile now shows its picture

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("item_tiles")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # scanning keeps the focus
        self.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(css("QTabBar::tab { font-size: 14pt; padding: 6px 14px; }"))
        self.buttons: dict[int, QPushButton] = {}
        self.items: dict[int, ItemRow] = {}
        self.reasons: dict[int, QLabel] = {}  # the line on a grey tile saying why
        self.blocked: dict[int, str] = {}
        self._shown: tuple = ([], {})
        self.capacity_left: dict[int, int] = {}  # services with a capacity: what is left
        self.pictures: dict[str, list[tuple[int, QLabel]]] = {}  # path -> tiles waiting
        self.loader = PictureLoader(self)
        self.loader.loaded.connect(self._picture_loaded)
        self.set_items([])

    def set_items(self, items: list[ItemRow], capacity_left: dict[int, int] | None = None) -> None:
        """The tiles; ``capacity_left``: what is left this period of each service with a
        capacity (stock.capacity.lefts), shown on its tile."""
        items, capacity_left = list(items), dict(capacity_left or {})
        if self.count() and (items, capacity_left) == self._shown:
            return  # the page is shown again with the same catalogue: keep the tiles
        self._shown = (items, capacity_left)
        self.capacity_left = capacity_left
        current = self.tabText(self.currentIndex()) if self.count() else None
        self.clear()
        self.buttons, self.items, self.pictures, self.reasons = {}, {}, {}, {}
        items = sorted(items, key=lambda i: (KIND_ORDER.get(i.kind, 3), i.category, i.points))
        for category, group in groupby(items, key=lambda i: i.category):
            self.addTab(self._page(list(group)), category)
            if category == current:
                self.setCurrentIndex(self.count() - 1)
        self.set_blocked(self.blocked)

    def _page(self, items: list[ItemRow]) -> QScrollArea:
        body = QWidget()
        body.setStyleSheet(TILE_STYLE)
        grid = QGridLayout(body)
        grid.setSpacing(6)
        for n, item in enumerate(items):
            grid.addWidget(self._tile(item), n // COLUMNS, n % COLUMNS)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(len(items) // COLUMNS + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(body)
        return scroll

    def _tile(self, item: ItemRow) -> QPushButton:
        button = QPushButton()
        button.setObjectName(f"tile_{item.id}")
        button.setMinimumSize(px(150), px(72) + px(REASON_LINE))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        label = QLabel(self._label(item), button)
        label.setObjectName("tile_text")
        label.setWordWrap(True)  # long names wrap inside the tile, never across a number
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        inner = QVBoxLayout(button)
        inner.setContentsMargins(4, 4, 4, 4)
        if item.picture:  # a button's size ignores its children: make room for it
            button.setMinimumSize(px(150), px(72) + px(REASON_LINE) + px(PICTURE) + 4)
            inner.addWidget(self._picture(item), 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addWidget(label)
        # Why a grey tile cannot be taken, on the tile itself (trial: a greyed tile without
        # a word read as broken); the whole reason is in its tooltip and, when pressed, on
        # the status line.
        why = QLabel(button)
        why.setObjectName("tile_reason")
        why.setAlignment(Qt.AlignmentFlag.AlignCenter)
        why.setStyleSheet(css("color: #b00020; font-size: 11pt; font-weight: bold;"))
        why.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        why.hide()
        inner.addWidget(why)
        self.reasons[item.id] = why
        button.clicked.connect(lambda _=False, i=item: self._pressed(i))
        self.buttons[item.id] = button
        self.items[item.id] = item
        return button

    def _picture(self, item: ItemRow) -> QLabel:
        side = px(PICTURE)
        picture = QLabel()
        picture.setObjectName("tile_picture")
        picture.setFixedSize(side, side)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        image = self.loader.request(item.picture, side)
        if image is not None:
            self._show_picture(item.id, picture, image)
        else:
            self.pictures.setdefault(item.picture, []).append((item.id, picture))
        return picture

    def _show_picture(self, item_id: int, label: QLabel, image) -> None:
        label.setPixmap(QPixmap.fromImage(image))
        self.picture_shown.emit(item_id)

    def _picture_loaded(self, path: str, image) -> None:
        for item_id, label in self.pictures.pop(path, []):
            self._show_picture(item_id, label, image)

    def _label(self, item: ItemRow) -> str:
        price = fill(self.tr("%1 pts"), item.points)
        left = self.capacity_left.get(item.id)
        if item.stock is None and left is not None:
            detail = price + " · " + fill(self.tr("%1 %2 left %3"), left, item.unit,
                                          self._period(item.capacity_period))
        elif item.stock is None:
            detail = price
        elif item.stock > 0:
            detail = price + " · " + fill(self.tr("stock %1"), item.stock)
        else:
            detail = price + " · " + self.tr("out of stock")
        name = keep_numbers_whole(item.name).replace("&", "&amp;").replace("<", "&lt;")
        return css(f"<span style='font-size: 14pt; font-weight: bold;'>{name}</span><br>{detail}")

    def _period(self, period: str | None) -> str:
        return {"week": self.tr("this week"), "month": self.tr("this month"),
                "quarter": self.tr("this quarter"), "year": self.tr("this year")}.get(
                    period or "", "")

    def set_blocked(self, blocked: dict[int, str]) -> None:
        """Grey the tiles in ``blocked`` (item id -> reason); the others become normal."""
        self.blocked = dict(blocked)
        for item_id, button in self.buttons.items():
            item = self.items[item_id]
            reason = self.blocked.get(item_id) or (
                self.tr("All gone") if item.stock is not None and item.stock <= 0 else None)
            if button.property("blocked") == bool(reason) and button.toolTip() == (reason or ""):
                continue
            button.setProperty("blocked", bool(reason))
            for picture in button.findChildren(QLabel, "tile_picture"):
                picture.setEnabled(not reason)  # a disabled label paints its pixmap grey
            button.setToolTip(reason or "")
            why = self.reasons[item_id]
            why.setText(short_reason(reason))
            why.setVisible(bool(reason))
            button.style().unpolish(button)  # the [blocked] style rule follows the property
            button.style().polish(button)
            for label in button.findChildren(QLabel):
                label.style().unpolish(label)
                label.style().polish(label)

    def shown_reason(self, item_id: int) -> str | None:
        """The words on a grey tile (None on a tile that can be taken)."""
        why = self.reasons[item_id]
        return why.text() if why.isVisibleTo(self.buttons[item_id]) else None

    def reason(self, item_id: int) -> str | None:
        return self.buttons[item_id].toolTip() or None if item_id in self.buttons else None

    def _pressed(self, item: ItemRow) -> None:
        reason = self.reason(item.id)
        if reason:
            self.refused.emit(item, reason)
        else:
            self.chosen.emit(item)


def short_reason(reason: str | None) -> str:
    """A reason as one line of a tile has room for: its head before "：", "（" or "，"
    (积分不足：还差 5 分 → 积分不足; 本月已兑 2 袋，限 2 袋 → 本月已兑 2 袋)."""
    return re.split("[：（，]", reason or "", maxsplit=1)[0]
