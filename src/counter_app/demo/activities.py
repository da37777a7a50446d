"""The demo's earning life beyond single awards: activities with their participants (the
last fortnight's still in the review queue) and micro-wishes in every state (the wish wall),
a completed wish proposing its award. Added to the History's time-ordered events, so the
approved awards' ledger entries stay in time order with the redemptions."""

from __future__ import annotations

from datetime import date, timedelta

from counter_app.db.earning_models import Activity, Wish
from counter_app.earning.presets import WISH_ITEM

ACTIVITIES = (  # title, place, organiser, team
    ("楼道清洁日", "各小区楼道", "社区党委", "红马甲志愿队"),
    ("敬老院探访", "和平街道敬老院", "社区妇联", "夕阳红服务队"),
    ("垃圾分类宣传", "社区广场", "社区居委会", "绿色家园志愿队"),
    ("社区义诊志愿服务", "社区卫生服务站", "区卫健委", "在职党员服务队"),
    ("防汛值守", "社区防汛点", "社区党委", "平安巡逻队"),
    ("周末读书会", "社区图书室", "社区团委", "青春志愿队"),
    ("文明交通劝导", "和平路口", "街道综治办", "平安巡逻队"),
    ("爱心义卖", "社区广场", "社区妇联", "红马甲志愿队"),
)
WISHES = (  # what, who wishes it (shown on the wall)
    "帮忙修理家里的旧轮椅", "想要一套小学三年级辅导书", "希望有人陪老人去医院复查",
    "想学用智能手机视频通话", "孩子想要一个新书包", "希望帮忙更换厨房灯泡",
    "想要一台收音机听戏", "需要有人帮忙代买降压药", "希望周末有人陪读绘本",
    "想要一双冬天的棉鞋",
)
PENDING_DAYS = 14  # activities this recent are still waiting for the weekly review


def activity_events(history, rng, start: date, days: int) -> list:
    """One activity about every three weeks; events sorted with the History's."""
    out = []
    for n in range(max(4, days // 21)):
        day = start + timedelta(days=days - 2 - n * 21 + rng.randrange(-3, 3))
        out.append((day, rng.randrange(9 * 3600, 16 * 3600), 2, {"id": 0, "n": n}))
    return out


def run_activity(history, t, day: date, n: int) -> None:
    """An activity opened by the recorder; 6–18 participants scanned, each a pending award,
    approved by the reviewer unless it is recent."""
    b, rng = history.b, history.rng
    title, place, organiser, team = ACTIVITIES[n % len(ACTIVITIES)]
    item = rng.choice([p for p in history.point_items if not p[3]] or history.point_items)
    pid, pts, name, _who = item
    act_id = len(b.rows.get(Activity, [])) + 1
    b.add(Activity, id=act_id, item_id=pid, activity_date=day, title=title, place=place,
          organiser=organiser, team=team, counter_id=history.counter_id,
          created_by=history.recorder, created_at=t)
    pending = day > b.as_of - timedelta(days=PENDING_DAYS)
    seen = set()
    for m in rng.sample(history.members, min(len(history.members), rng.randint(6, 18))):
        if m["id"] in seen or m.get("status", "active") != "active":
            continue
        seen.add(m["id"])
        history.award(t, day, m, pid, pts, name, activity_id=act_id, pending=pending)


def post_wishes(history) -> None:
    """Wishes on the wall: posted, claimed, completed (its award pending), one cancelled."""
    b, rng = history.b, history.rng
    wish_item = next((p for p in history.point_items if p[2] == WISH_ITEM), None)
    residents = [m for m in history.members if m["kind"] == "person"]
    if not residents:
        return
    states = ("posted", "posted", "posted", "claimed", "claimed", "completed", "completed",
              "posted", "claimed", "cancelled")
    for i, (title, state) in enumerate(zip(WISHES, states), start=1):
        wisher = rng.choice(residents)
        posted = b.as_of - timedelta(days=rng.randrange(5, 40))
        t = history.at(posted, rng.randrange(9 * 3600, 17 * 3600))
        claimant = rng.choice(residents) if state in ("claimed", "completed") else None
        done = history.at(b.as_of - timedelta(days=rng.randrange(1, 5)), 10 * 3600)
        b.add(Wish, id=i, title=title, wisher_name=wisher["name"], wisher_member_id=wisher["id"],
              due_date=posted + timedelta(days=30), item_id=wish_item[0] if wish_item else None,
              status=state, claimant_member_id=claimant["id"] if claimant else None,
              claimant_team="红马甲志愿队" if claimant and i % 2 else None,
              posted_by=history.recorder, posted_at=t,
              claimed_at=t + timedelta(days=2) if claimant else None,
              completed_at=done if state == "completed" else None,
              note="居民上门登记" if i % 3 == 0 else None)
        if state == "completed" and wish_item:
            pid, pts, name, _who = wish_item
            history.award(done, done.date(), claimant, pid, pts, name, wish_id=i, pending=True)
