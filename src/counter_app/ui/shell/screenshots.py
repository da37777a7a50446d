"""``counter-app screenshot --out DIR``: render each main page with real data to PNG, so
anyone can look at the UI without a display."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import select


def _settle(app, seconds: float = 0.6) -> None:
    """Let background ops finish and their results paint."""
    from counter_app.ui.common.ops import wait_idle

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        wait_idle()
        app.processEvents()
        time.sleep(0.02)


def _admin_actor(db, counter_id: str):
    from counter_app.db.models import Operator, Role
    from counter_app.operators import Actor

    with db.read() as s:
        op = s.scalars(select(Operator).where(Operator.role == Role.ADMIN,
                                              Operator.active.is_(True))).first()
    return Actor(op.id, op.name, Role(op.role), counter_id)


def _richest_member(db) -> int:
    from counter_app.db.models import Member, PointsAccount

    with db.read() as s:
        return s.scalar(select(Member.id).join(PointsAccount, PointsAccount.member_id == Member.id)
                        .where(Member.kind == "person", Member.birth_date.is_not(None))
                        .order_by(PointsAccount.balance.desc()).limit(1))


def take_screenshots(db_path: Path, out: Path, language: str = "zh_CN",
                     scale: int | None = None) -> list[Path]:
    """``scale``: the text size in per cent (ui/common/scale.py), default the saved one."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter_app.ui.app import make_app
    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.session import CounterSession

    out.mkdir(parents=True, exist_ok=True)
    app = make_app(language=language)
    if scale is not None:
        from counter_app.ui.common.scale import apply_to_app

        apply_to_app(app, scale)
    receipts = ReceiptOutput(folder=Path(tempfile.mkdtemp()), open_pdf=False)
    session = CounterSession.open(db_path, receipts)
    saved = []

    def save(widget, name):
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    login = session.show_login()
    login.resize(1000, 650)
    _settle(app, 0.2)
    save(login, "01-login")
    login.actor = _admin_actor(session.db, session.counter.id)
    login.accept()
    window = session.window
    window.showNormal()  # the offscreen screen is 800x800: not maximised, a laptop's size
    window.resize(1366, 768)
    _settle(app)
    page = window.pages[0]
    member_id = _richest_member(session.db)
    page.select_member(member_id)
    _settle(app)
    for item_id in list(page.tiles.buttons)[:6]:
        if page.tiles.buttons[item_id].isEnabled():
            page.tiles.buttons[item_id].click()
            _settle(app, 0.2)
    _settle(app)
    save(window, "02-counter")
    page.cancel()
    page.cancel()
    page.input.setText("zs")
    _settle(app)
    save(window, "03-counter-search")
    for index, key in enumerate(window.page_keys):  # the registry's pages this admin sees
        if index == 0:
            continue  # the counter page, shown above
        window.show_page(index)
        _settle(app, 1.0)
        save(window, f"{index + 3:02d}-{key}")
    window.close()
    return saved
