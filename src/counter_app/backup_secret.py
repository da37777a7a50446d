"""The backup passphrase in the system keyring (Windows Credential Manager, the Secret
Service on Kylin/UOS desktops) — never in the settings file. Where there is no usable
keyring (a kiosk session, a server without a desktop), nothing is stored and the
passphrase is asked for whenever it is needed."""

from __future__ import annotations

import logging

SERVICE = "counter_app backup"

log = logging.getLogger(__name__)


def _keyring():
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return None
    return keyring


def available() -> bool:
    return _keyring() is not None


def stored_passphrase(counter_id: str) -> str | None:
    kr = _keyring()
    if kr is None:
        return None
    try:
        return kr.get_password(SERVICE, counter_id)
    except Exception as exc:  # noqa: BLE001  (a locked or broken keyring: ask instead)
        log.info("keyring read failed: %s", exc)
        return None


def store_passphrase(counter_id: str, passphrase: str) -> bool:
    """True if stored; False when this PC has no usable keyring."""
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(SERVICE, counter_id, passphrase)
    except Exception as exc:  # noqa: BLE001
        log.info("keyring write failed: %s", exc)
        return False
    return True


# Strength, as a hint to the administrator choosing it (not a rule beyond the minimum
# length): the passphrase guards every resident's phone and ID number on a lost stick.
TOO_SHORT, WEAK, FAIR, STRONG = range(4)


def strength(passphrase: str) -> int:
    from counter_app.backup_schedule import MIN_PASSPHRASE

    if len(passphrase) < MIN_PASSPHRASE:
        return TOO_SHORT
    kinds = sum((any(c.isdigit() for c in passphrase),
                 any(c.isascii() and c.isalpha() for c in passphrase),
                 any(not c.isascii() for c in passphrase),  # Chinese characters
                 any(c.isascii() and not c.isalnum() for c in passphrase)))
    if len(set(passphrase)) <= 3 or (kinds <= 1 and len(passphrase) < 12):
        return WEAK
    return STRONG if len(passphrase) >= 12 and kinds >= 2 else FAIR


def set_passphrase(db, actor, passphrase: str, again: str) -> bool:
    """An administrator sets (or changes) this counter's backup passphrase: checked, then
    into the keyring, where the timed and the day-close backups find it. False when this
    PC has no usable keyring (nothing stored; backups then ask for it). Backups made
    before a change still open only with the old passphrase."""
    from counter_app import audit
    from counter_app.backup_schedule import check_passphrase
    from counter_app.counters import local_counter
    from counter_app.errors import InvalidInput
    from counter_app.operators import Permission, require

    require(actor, Permission.SETTINGS)
    if passphrase != again:
        raise InvalidInput(detail="两次输入的备份口令不一致，没有保存")
    check_passphrase(passphrase)
    counter_id = local_counter(db).id
    stored = store_passphrase(counter_id, passphrase)
    with db.write() as s:  # who changed it, when (never the passphrase itself)
        audit.record(s, actor, "settings.backup_passphrase", stored=stored)
    return stored
