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
