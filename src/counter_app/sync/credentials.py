"""The district password of this counter: in the OS keyring (Windows Credential Manager,
macOS Keychain, Secret Service) through the keyring library; where no keyring backend
exists, in a file readable by its owner only (mode 0600) beside the settings. Never in
settings.json, never in the counter database.
"""

from __future__ import annotations

import os
from pathlib import Path

SERVICE = "counter_app district"


def _keyring():
    """The keyring module when a real backend is available, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    if os.environ.get("COUNTER_APP_NO_KEYRING"):
        return None
    backend = keyring.get_keyring()
    if type(backend).__module__ in ("keyring.backends.fail", "keyring.backends.null"):
        return None
    return keyring


def secret_dir() -> Path:
    from counter_app.config import settings_path

    return settings_path().parent / "secrets"


def _file(account: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in account)
    return secret_dir() / f"district-{safe}.secret"


def store(account: str, password: str) -> str:
    """Keep the password; returns where ("钥匙串" or the file path)."""
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(SERVICE, account, password)
            return "系统钥匙串"
        except Exception:  # noqa: BLE001  a locked or broken keyring: use the file
            pass
    path = _file(account)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(password)
    os.replace(tmp, path)
    return str(path)


def load(account: str) -> str | None:
    kr = _keyring()
    if kr is not None:
        try:
            value = kr.get_password(SERVICE, account)
            if value is not None:
                return value
        except Exception:  # noqa: BLE001
            pass
    path = _file(account)
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def forget(account: str) -> None:
    kr = _keyring()
    if kr is not None:
        try:
            kr.delete_password(SERVICE, account)
        except Exception:  # noqa: BLE001
            pass
    _file(account).unlink(missing_ok=True)
