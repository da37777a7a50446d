"""d0004: the earning registers at the district. An activity, its awards and the point item
they are for arrive in one batch (register_order: parents first), the award's review comes
later as a higher version from another counter of the community, and the district's CHECK
refuses an approved award without its ledger entry (a dead letter, the batch goes on)."""

from __future__ import annotations

import uuid

from district_helpers import member


def _row(register, community, version=1, row_id=None, **data) -> dict:
    return {"register": register, "id": str(row_id or uuid.uuid4()), "version": version,
            "data": {"community_id": str(community), **data}}


def test_an_award_recorded_at_one_counter_is_reviewed_at_another(world):
    xf = world.communities["XF"]
    m = member(xf, "张三")
    cat = _row("point_categories", xf, scheme="A", name="志愿服务")
    item = _row("point_items", xf, category_id=cat["id"], name="治安巡逻", points=10,
                active=True, eligible=None, min_points=None, max_points=None)
    value = _row("point_item_values", xf, item_id=item["id"], points=10,
                 effective_from="2026-01-01", set_by=None, set_at="2026-01-01T08:00:00",
                 note="方案预设")
    act = _row("activities", xf, item_id=item["id"], activity_date="2026-11-28", title="巡逻",
               place="幸福路", organiser="社区", team="红袖标", counter_id="XF01",
               created_by=None, created_at="2026-11-28T09:00:00")
    award = dict(member_id=m["id"], item_id=item["id"], activity_id=act["id"], wish_id=None,
                 activity_date="2026-11-28", points=10, note=None, work_unit=None,
                 counter_id="XF01", recorded_by=None, recorded_at="2026-11-28T09:05:00",
                 reviewed_by=None, reviewed_at=None, reason=None)
    pending = _row("awards", xf, status="pending", ledger_entry_id=None, **award)
    with world.client("XF01") as a:
        # children listed first: the district applies them in register_order
        reply = a.push_registers([pending, act, value, item, cat, m])
        assert reply["applied"] == 6, reply
    approved = _row("awards", xf, version=2, row_id=pending["id"], status="approved",
                    ledger_entry_id=str(uuid.uuid4()),
                    **{**award, "reviewed_at": "2026-12-01T10:00:00"})
    broken = _row("awards", xf, status="approved", ledger_entry_id=None, **award)
    with world.client("XF02") as b:
        reply = b.push_registers([approved, broken])
    assert reply["applied"] == 1
    assert len(reply["dead_letters"]) == 1
    with world.admin() as conn:
        assert conn.execute("SELECT status, version, updated_by FROM awards WHERE id = %s",
                            (pending["id"],)).fetchone() == ("approved", 2, "XF02")
        order = conn.execute("SELECT register_order()").fetchone()[0]
    assert order.index("point_items") < order.index("point_item_values") \
        < order.index("activities") < order.index("wishes") < order.index("awards")
    assert order.index("members") < order.index("awards")
