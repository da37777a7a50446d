"""Small item pictures for the counter's tiles, decoded off the GUI thread and cached.

A picture is a file path on this counter (items.picture). It is read with QImageReader at
the tile's size (a JPEG decodes scaled, never at full resolution) on the global thread pool;
QImage may be made on any thread, the QPixmap only on the GUI thread. Cached by path,
modification time and size, so refreshing the tiles after each checkout reads nothing. A
missing or unreadable file leaves the tile as it is without a picture.
"""

from __future__ import annotations

import logging
import os
import threading

from PySide6.QtCore import QObject, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QImageReader

log = logging.getLogger(__name__)

_cache: dict[tuple[str, int, int], QImage] = {}
_lock = threading.Lock()


def _key(path: str, size: int) -> tuple[str, int, int] | None:
    try:
        return (path, os.stat(path).st_mtime_ns, size)
    except OSError as exc:
        log.debug("item picture %s not readable: %s", path, exc)
        return None


def cached(path: str, size: int) -> QImage | None:
    key = _key(path, size)
    with _lock:
        return _cache.get(key) if key else None


def read_scaled(path: str, size: int) -> QImage | None:
    """The picture fitted into ``size`` × ``size`` pixels (any thread)."""
    key = _key(path, size)
    if key is None:
        return None
    with _lock:
        if key in _cache:
            return _cache[key]
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and (full.width() > size or full.height() > size):
        reader.setScaledSize(full.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.debug("item picture %s: %s", path, reader.errorString())
        return None
    if image.width() > size or image.height() > size:  # formats that ignore setScaledSize
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    with _lock:
        _cache[key] = image
    return image


class PictureLoader(QObject):
    """Loads pictures on the thread pool; ``loaded`` arrives on the GUI thread."""

    loaded = Signal(str, QImage)  # path, image

    def request(self, path: str, size: int) -> QImage | None:
        """The cached image now, or None and ``loaded`` later (not at all if unreadable)."""
        image = cached(path, size)
        if image is not None:
            return image
        QThreadPool.globalInstance().start(lambda: self._load(path, size))
        return None

    def _load(self, path: str, size: int) -> None:
        image = read_scaled(path, size)
        if image is not None:
            try:
                self.loaded.emit(path, image)
            except RuntimeError:  # the tiles were closed meanwhile
                log.debug("item picture %s loaded after its tiles closed", path)
