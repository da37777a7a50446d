"""Item pictures on the counter's tiles: small, decoded off the GUI thread, cached; a tile
without a picture (or with a missing file) looks as before; a greyed tile greys it too."""

from PySide6.QtCore import QThread
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from counter_app import items
from counter_app.catalogue import list_items
from counter_app.ui.counter import tile_pictures
from counter_app.ui.counter.item_tiles import PICTURE, ItemTiles
from counter_app.ui.common.scale import px


def _picture(path, w=1200, h=800):
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor("#d32f2f"))
    assert image.save(str(path))
    return str(path)


def test_a_tile_shows_its_items_picture_loaded_off_the_gui_thread(qtbot, counter, tmp_path,
                                                                  monkeypatch):
    rice_jpg = _picture(tmp_path / "rice.jpg")
    items.update_item(counter.db, counter.stock_staff, counter.rice, picture=rice_jpg)
    gone = _picture(tmp_path / "gone.png")
    items.update_item(counter.db, counter.stock_staff, counter.soap, picture=gone)
    (tmp_path / "gone.png").unlink()  # deleted later: the tile shows no picture, no error
    threads = []
    real = tile_pictures.read_scaled
    monkeypatch.setattr(tile_pictures, "read_scaled", lambda p, s: threads.append(
        (p, QThread.currentThread().isMainThread())) or real(p, s))
    with counter.db.read() as s:
        rows = list_items(s, "XF01")
    tiles = ItemTiles()
    qtbot.addWidget(tiles)
    with qtbot.waitSignal(tiles.picture_shown, timeout=10_000) as shown:
        tiles.set_items(rows)
    assert shown.args == [counter.rice]
    label = tiles.buttons[counter.rice].findChild(QLabel, "tile_picture")
    pixmap = label.pixmap()
    assert not pixmap.isNull() and max(pixmap.width(), pixmap.height()) == px(PICTURE)
    assert pixmap.width() > pixmap.height()  # aspect kept
    assert threads and not any(main for _, main in threads), "decoded on the GUI thread"
    meal = tiles.buttons[counter.meal]  # no picture: no picture label at all
    assert meal.findChild(QLabel, "tile_picture") is None
    soap = tiles.buttons[counter.soap].findChild(QLabel, "tile_picture")
    assert soap is not None and soap.pixmap().isNull()  # missing file: nothing painted
    # refreshing (after every checkout) takes the cache: shown at once, nothing read
    threads.clear()
    tiles.set_items(rows)
    label = tiles.buttons[counter.rice].findChild(QLabel, "tile_picture")
    assert not label.pixmap().isNull()
    assert rice_jpg not in [p for p, _ in threads]  # from the cache, not read again
    tiles.set_blocked({counter.rice: "积分不够"})
    assert not label.isEnabled()


def test_a_picture_path_that_is_missing_or_not_a_picture_is_refused(counter, tmp_path):
    import pytest

    from counter_app.errors import InvalidInput

    with pytest.raises(InvalidInput, match="图片文件 .*nope.png 不存在"):
        items.update_item(counter.db, counter.stock_staff, counter.rice,
                          picture=str(tmp_path / "nope.png"))
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InvalidInput, match="不是图片"):
        items.update_item(counter.db, counter.stock_staff, counter.rice,
                          picture=str(tmp_path / "notes.txt"))
    items.update_item(counter.db, counter.stock_staff, counter.rice, picture="  ")
    with counter.db.read() as s:
        assert next(r for r in list_items(s, "XF01") if r.id == counter.rice).picture is None
