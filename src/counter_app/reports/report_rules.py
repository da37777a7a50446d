"""The community's rules for its public papers, kept as one shared setting
(``reports.rules``, JSON) and changed by an administrator (Permission.SETTINGS):

- ``objection_days``: how many days a monthly notice stays up for objections (公示期);
- red/black boards (红黑榜), separately for party members and organisations: the top
  ``*_red_top`` by points earned in the quarter go on the red board (ties at the cut-off
  all go on it), those who earned fewer than ``*_black_below`` points go on the black
  board (0 switches the black board off);
- ``stars_top``: how many 积分之星 a year (ties at the cut-off all become stars).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import Setting
from counter_app.errors import InvalidInput

SETTING_KEY = "reports.rules"

LABELS = {
    "objection_days": "公示期（天）",
    "party_red_top": "党员红榜人数",
    "party_black_below": "党员黑榜：季度积分低于",
    "org_red_top": "单位红榜个数",
    "org_black_below": "单位黑榜：季度积分低于",
    "stars_top": "积分之星人数",
}
LIMITS = {"objection_days": (1, 60), "party_red_top": (1, 500), "party_black_below": (0, 10000),
          "org_red_top": (1, 500), "org_black_below": (0, 10000), "stars_top": (1, 500)}


@dataclass(frozen=True)
class ReportRules:
    objection_days: int = 7
    party_red_top: int = 10
    party_black_below: int = 10
    org_red_top: int = 5
    org_black_below: int = 20
    stars_top: int = 10

    def checked(self) -> ReportRules:
        for f in fields(self):
            value = getattr(self, f.name)
            lo, hi = LIMITS[f.name]
            if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
                raise InvalidInput(detail=f"{LABELS[f.name]}须为 {lo} 到 {hi} 的整数（收到 {value!r}）")
        return self

    def encode(self) -> str:
        return json.dumps(asdict(self.checked()), sort_keys=True)

    @classmethod
    def decode(cls, raw: str | None) -> ReportRules:
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
            known = {f.name for f in fields(cls)}
            return cls(**{k: v for k, v in data.items() if k in known}).checked()
        except (ValueError, TypeError, AttributeError):
            raise InvalidInput(detail=f"公示与评选规则设置“{raw}”无法识别") from None


def load(session: Session) -> ReportRules:
    return ReportRules.decode(session.scalar(select(Setting.value)
                                             .where(Setting.key == SETTING_KEY)))


def save(db, actor, rules: ReportRules) -> ReportRules:
    from counter_app import audit
    from counter_app.operators import Permission, require

    require(actor, Permission.SETTINGS)
    value = rules.encode()
    with db.write() as s:
        s.merge(Setting(key=SETTING_KEY, value=value))
        audit.record(s, actor, "settings.report_rules", value=value)
    return rules


def with_overrides(rules: ReportRules, **overrides) -> ReportRules:
    """``rules`` with the given (non-None) values, checked (the CLI's --days, --top …)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(rules, **given).checked() if given else rules
