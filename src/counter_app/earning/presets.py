"""The two point schemes of the source documents, offered at set-up (积分项目方案).

Scheme "A": 8 categories, 21 items valued 5/10/15. Scheme "B": 7 categories, 35 items valued
5/10/20. Each item: (name, points) or (name, points, options) where options may name who may
earn it (``eligible``: member categories) and a range for items whose value depends on the
service (``min``/``max``, e.g. a donation). The demo builds its catalogue from these too.
"""

from __future__ import annotations

from datetime import date

PARTY = ("party_in_service", "party_no_post")  # 在职党员, 无职党员
PEOPLE = ("resident", "party_in_service", "party_no_post")  # not organisations or merchants

SCHEME_LABELS = {"A": "方案A：8类21项（5/10/15分）", "B": "方案B：7类35项（5/10/20分）"}

# The first day a preset's values are in force: before any activity this program records.
SINCE_ALWAYS = date(2000, 1, 1)

# scheme -> [(category, [(item, points[, {"eligible": categories, "min": n, "max": n}])])]
POINT_SCHEMES: dict[str, list[tuple[str, list[tuple]]]] = {
    "A": [
        ("微心愿", [("发布微心愿", 5), ("认领微心愿", 10), ("完成微心愿", 15)]),
        ("救助帮困", [("走访困难群众", 10), ("参与爱心捐赠", 15, {"min": 5, "max": 30}),
                  ("结对帮扶", 15)]),
        ("护苗行动", [("假期安全宣传", 5), ("校园护学岗", 10), ("四点半课堂辅导", 15)]),
        ("理论宣讲", [("参加理论学习", 5), ("开展政策宣讲", 15, {"eligible": PARTY})]),
        ("平安创建", [("治安巡逻", 10), ("消防安全排查", 10), ("矛盾纠纷调解", 15)]),
        ("文明实践", [("文明劝导", 5), ("环境卫生整治", 5), ("垃圾分类督导", 10)]),
        ("志愿服务", [("社区活动保障", 10), ("应急值守", 15)]),
        ("邻里互助", [("邻里互助", 5, {"eligible": PEOPLE}),
                  ("为老助餐送餐", 10)]),
    ],
    "B": [
        ("组织生活", [("参加主题党日", 5, {"eligible": PARTY}),
                  ("参加组织生活会", 5, {"eligible": PARTY}),
                  ("撰写学习心得", 5, {"eligible": PARTY}),
                  ("参加党员学习", 10, {"eligible": PARTY}),
                  ("讲党课", 20, {"eligible": PARTY})]),
        ("理论宣讲", [("宣传栏更新", 5), ("参加宣讲培训", 5), ("入户宣传政策", 10),
                  ("新媒体宣传", 10), ("宣讲会主讲", 20)]),
        ("平安创建", [("反诈宣传", 5), ("治安巡逻", 10), ("排查安全隐患", 10),
                  ("调解邻里纠纷", 20), ("协助防汛抢险", 20)]),
        ("文明实践", [("清理小广告", 5), ("楼道清理", 5), ("移风易俗宣传", 5),
                  ("垃圾分类督导", 10), ("文明交通劝导", 10)]),
        ("救助帮困", [("爱心捐赠", 10, {"min": 5, "max": 50}), ("走访慰问困难户", 10),
                  ("助老服务", 10), ("助残服务", 10), ("结对帮扶", 20)]),
        ("护苗行动", [("防溺水宣传", 5), ("护学岗值守", 10), ("课后辅导", 10),
                  ("青少年心理陪伴", 20), ("暑期托管", 20)]),
        ("微心愿", [("发布微心愿", 5), ("微心愿走访核实", 5), ("认领微心愿", 10),
                 ("微心愿对接", 10), ("完成微心愿", 20)]),
    ],
}

WISH_ITEM = "完成微心愿"  # the item a completed wish proposes, in both schemes


def item_options(entry: tuple) -> tuple[str, int, dict]:
    name, points, *rest = entry
    return name, points, (rest[0] if rest else {})
