"""Find a TrueType CJK font on this machine (PDF output here, and the UI's painter).

reportlab embeds only TrueType-outline fonts; CFF/OTF fonts (Noto Sans CJK, macOS
PingFang) fail with "postscript outlines are not supported", so each candidate is
tried and skipped on failure. Without any, reportlab's CID font STSong-Light is
used: it is not embedded, so the PDF relies on the viewer having a Chinese font.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

log = logging.getLogger(__name__)

FONT_ENV = "COUNTER_APP_CJK_FONT"  # optional path of a .ttf/.ttc to try first
BOLD_FONT_ENV = "COUNTER_APP_CJK_BOLD_FONT"  # optional path of its bold face
FALLBACK_CID = "STSong-Light"
PDF_FONT = "CounterCJK"
PDF_BOLD_FONT = "CounterCJK-Bold"


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"


def candidates() -> list[Path]:
    """Known TrueType CJK fonts, most readable first."""
    win = _windows_fonts()
    paths = [
        win / "msyh.ttc", win / "msyh.ttf", win / "simhei.ttf", win / "simsun.ttc",
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),  # Fedora layout
        Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
        Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
        Path("/Library/Fonts/Arial Unicode.ttf"),  # TrueType, unlike PingFang
    ]
    env = os.environ.get(FONT_ENV)
    return ([Path(env)] if env else []) + paths


def bold_candidates() -> list[Path]:
    """Known TrueType CJK bold faces. WenQuanYi (Micro Hei, Zen Hei) has none; then
    receipts set lines apart by size alone, never by faked (smeared) bold."""
    win = _windows_fonts()
    paths = [win / "msyhbd.ttc", win / "msyhbd.ttf"]  # Microsoft YaHei Bold
    env = os.environ.get(BOLD_FONT_ENV)
    return ([Path(env)] if env else []) + paths


def _fontconfig_candidates(pattern: str = ":lang=zh") -> Iterator[Path]:
    """Other Chinese fonts fontconfig knows (Linux); OTF files are CFF and skipped.
    A generator, so fc-list only runs when no known font worked."""
    if not shutil.which("fc-list"):
        return
    try:
        out = subprocess.run(["fc-list", pattern, "file"], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return
    files = {line.split(":")[0].strip() for line in out.splitlines()}
    yield from sorted(Path(f) for f in files if f.lower().endswith((".ttf", ".ttc")))


@dataclass(frozen=True)
class CjkFont:
    name: str  # reportlab font name to pass to setFont
    path: Path | None  # None for the CID fallback
    embedded: bool


_lock = threading.Lock()
_chosen: CjkFont | None = None


def _try_register(path: Path, name: str = PDF_FONT) -> bool:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        font = TTFont(name, str(path), subfontIndex=0)
        if 0x79EF not in font.face.charToGlyph:  # 积: make sure it really is a CJK font
            raise ValueError("no CJK glyphs")
        pdfmetrics.registerFont(font)
        return True
    except Exception as exc:  # TTFError, OSError, struct errors from odd files
        log.info("skipping font %s: %s", path, exc)
        return False


def cjk_font_path() -> Path | None:
    """Path of the first usable TrueType CJK font (also for Qt's addApplicationFont)."""
    font = pdf_font()
    return font.path


def pdf_font() -> CjkFont:
    """Register (once per process) and return the CJK font for reportlab."""
    global _chosen
    with _lock:
        if _chosen is None:
            _chosen = choose(itertools.chain(candidates(), _fontconfig_candidates()))
        return _chosen


_bold: list[CjkFont | None] = []  # [] until looked for; [None] when there is none


def pdf_bold_font() -> CjkFont | None:
    """Register (once per process) and return a TrueType CJK bold face, or None."""
    with _lock:
        if not _bold:
            _bold.append(choose_bold(itertools.chain(
                bold_candidates(), _fontconfig_candidates(":lang=zh:weight=bold"))))
        return _bold[0]


def choose_bold(paths: Iterable[Path]) -> CjkFont | None:
    """First bold face in ``paths`` reportlab can embed, else None (size, not fake bold)."""
    for path in dict.fromkeys(paths):
        if path.is_file() and _try_register(path, PDF_BOLD_FONT):
            log.debug("CJK bold font for PDF: %s", path)
            return CjkFont(PDF_BOLD_FONT, path, True)
    return None


def choose(paths: Iterable[Path]) -> CjkFont:
    """First font in ``paths`` reportlab can embed, else the CID fallback (logged)."""
    seen: set[Path] = set()
    for path in paths:
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        if _try_register(path):
            log.debug("CJK font for PDF: %s", path)
            return CjkFont(PDF_FONT, path, True)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    log.warning("未找到可嵌入的 TrueType 中文字体，PDF 改用 %s（不嵌入，需阅读器自带中文字体）。"
                "可安装 fonts-wqy-microhei 或设置 %s。", FALLBACK_CID, FONT_ENV)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
    return CjkFont(FALLBACK_CID, None, False)
