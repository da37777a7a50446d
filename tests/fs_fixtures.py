"""Real file-system conditions for CLI tests: a read-only folder and a full disk.

As root, permissions do not stop writes, so a read-only folder is a read-only tmpfs
mount and a full disk a tiny tmpfs; without root the read-only folder is chmod 555
and the full-disk tests are skipped (RLIMIT_FSIZE covers the same path everywhere).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def _mount_tmpfs(target: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                          capture_output=True).returncode == 0


@pytest.fixture
def readonly_dir(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    if _mount_tmpfs(folder, "ro,size=64k"):
        yield folder
        subprocess.run(["umount", str(folder)], check=True)
    elif os.geteuid() == 0:
        pytest.skip("root without mount: no way to make a folder read-only")
    else:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


@pytest.fixture
def full_disk(tmp_path):
    """A 256 KiB file system: the demo database does not fit."""
    folder = tmp_path / "small"
    folder.mkdir()
    if not _mount_tmpfs(folder, "size=256k"):
        pytest.skip("a small file system needs root and mount")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def cli_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ESCPOS_CAPABILITIES_PICKLE_DIR", "COUNTER_APP_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def run_cli(*argv, env=None, preexec_fn=None) -> subprocess.CompletedProcess:
    """``python -m counter_app ARGV`` in a fresh process, as a user runs it. Arguments may
    be bytes (an undecodable byte arrives as a lone surrogate)."""
    return subprocess.run([sys.executable, "-m", "counter_app", *argv], capture_output=True,
                          env=env or cli_env(), preexec_fn=preexec_fn, timeout=300)


def assert_one_chinese_error(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 2, no traceback, one line on stderr starting 错误：, naming ``fragments``."""
    err = proc.stderr.decode("utf-8", "backslashreplace")
    assert proc.returncode == 2, (proc.returncode, err)
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误："), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, err)
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith((".part", ".restoring")) or ".part-" in p.name)
