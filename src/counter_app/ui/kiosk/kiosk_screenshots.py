"""``counter-app kiosk --screenshot DIR``: the kiosk's screens rendered to PNG without a
display (welcome, a member's points, a refused scan), to look at or to check a bundle."""

from __future__ import annotations

import os
import time
from pathlib import Path


def _richest_card(db) -> str | None:
    from sqlalchemy import select

    from counter_app.db.models import Member, PointsAccount, Redemption

    with db.read() as s:  # one who has redeemed something: every list has lines
        return s.scalar(select(Member.card_code)
                        .join(PointsAccount, PointsAccount.member_id == Member.id)
                        .where(Member.kind == "person", Member.card_code.is_not(None),
                               Member.id.in_(select(Redemption.member_id)))
                        .order_by(PointsAccount.balance.desc()).limit(1))


def _settle(app, until, seconds: float = 5.0) -> None:
    from counter_app.ui.common.ops import wait_idle

    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        wait_idle()
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def take(db_path: Path, out: Path, size=(1280, 800)) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter_app.ui.app import make_app
    from counter_app.ui.common.ops import call_on_worker
    from counter_app.ui.kiosk.kiosk_app import build_kiosk

    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    window, reader = build_kiosk(db_path, timeout_s=600)
    window.resize(*size)
    window.show()
    saved = []

    def save(name):
        app.processEvents()
        path = out / f"{name}.png"
        window.grab().save(str(path))
        saved.append(path)

    _settle(app, lambda: False, 0.2)
    save("kiosk-1-welcome")
    code = call_on_worker(_richest_card, reader.db)
    if code:
        window.scan(code)
        _settle(app, lambda: window.view is not None)
        save("kiosk-2-member")
    window.scan("13800000000")
    _settle(app, lambda: bool(window.welcome_error.text()))
    save("kiosk-3-refused")
    window.unlocked = True
    window.close()
    reader.close()
    return saved
