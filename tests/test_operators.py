from datetime import timedelta

import pytest

from counter_app import operators
from counter_app.db.models import AuditEntry, Operator, Role
from counter_app.errors import InvalidInput, OperatorLocked, PermissionDenied, WrongPin
from counter_app.journal import utcnow
from sqlalchemy import select


def volunteer_id(counter):
    return counter.volunteer.operator_id


def test_five_wrong_pins_lock_for_five_minutes(counter):
    vid = volunteer_id(counter)
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPin, match=f"还可以再试 {left} 次"):
            operators.authenticate(counter.db, vid, "0000", "XF01")
    with pytest.raises(OperatorLocked) as err:
        operators.authenticate(counter.db, vid, "0000", "XF01")
    until = err.value.until
    assert "已锁定" in str(err.value) and until.strftime("%H:%M") in str(err.value)
    # even the right PIN is refused while locked
    with pytest.raises(OperatorLocked):
        operators.authenticate(counter.db, vid, "1111", "XF01")
    # five minutes later it works again
    with counter.db.write() as s:
        op = s.get(Operator, vid)
        assert timedelta(minutes=4, seconds=50) < op.locked_until - utcnow() <= timedelta(minutes=5)
        op.locked_until = utcnow() - timedelta(seconds=1)
    actor = operators.authenticate(counter.db, vid, "1111", "XF01")
    assert actor.role is Role.VOLUNTEER and actor.counter_id == "XF01"
    with counter.db.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.operator_id == vid)))
    assert actions.count("operator.wrong_pin") >= 4 and "operator.locked" in actions


def test_other_operators_are_not_locked(counter):
    for _ in range(5):
        with pytest.raises((WrongPin, OperatorLocked)):
            operators.authenticate(counter.db, volunteer_id(counter), "0000", "XF01")
    assert operators.authenticate(counter.db, counter.admin.operator_id, "1234", "XF01")


def test_pins_are_argon2id_hashes(counter):
    with counter.db.read() as s:
        hashes = list(s.scalars(select(Operator.pin_hash)))
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any("1111" in h for h in hashes)


def test_only_admin_manages_operators(counter):
    with pytest.raises(PermissionDenied):
        operators.add_operator(counter.db, counter.reviewer, "新人", Role.VOLUNTEER, "5555")
    with pytest.raises(PermissionDenied):  # no anonymous add once operators exist
        operators.add_operator(counter.db, None, "新人", Role.ADMIN, "5555")
    with pytest.raises(InvalidInput, match="4 到 8 位数字"):
        operators.add_operator(counter.db, counter.admin, "新人", Role.VOLUNTEER, "12a")
    with pytest.raises(InvalidInput, match="已存在"):
        operators.add_operator(counter.db, counter.admin, "王阿姨", Role.VOLUNTEER, "5555")
    new = operators.add_operator(counter.db, counter.admin, "新人", Role.VOLUNTEER, "5555")
    assert (new, "新人", "volunteer") in operators.list_operators(counter.db)


def test_privileged_actions_are_audited_with_counter(counter):
    mid = counter.member(points=10)
    from counter_app import ledger
    ledger.adjust(counter.db, counter.admin, mid, 5, "补录")
    with counter.db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "points.adjust")).one()
    assert entry.operator_id == counter.admin.operator_id and entry.counter_id == "XF01"
    assert "补录" in entry.detail
