"""The streamed age format (age_stream): the same files as pyrage, refused when changed or
opened with another passphrase, and memory that does not grow with the file."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyrage import passphrase as pyrage_passphrase

from counter_app import age_stream
from counter_app.age_stream import CHUNK

PASS = "社区办公室-保管-2026"
SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17]


def _encrypt(data: bytes, passphrase: str = PASS) -> bytes:
    out = io.BytesIO()
    age_stream.encrypt(io.BytesIO(data), out, passphrase, log_n=10)
    return out.getvalue()


def _decrypt(sealed: bytes, passphrase: str = PASS) -> bytes:
    out = io.BytesIO()
    age_stream.decrypt(io.BytesIO(sealed), out, passphrase)
    return out.getvalue()


@pytest.mark.parametrize("size", SIZES)
def test_pyrage_opens_these_files(size):
    data = os.urandom(size)
    assert pyrage_passphrase.decrypt(_encrypt(data), PASS) == data


@pytest.mark.parametrize("size", [CHUNK, 3 * CHUNK + 17])  # pyrage's scrypt: seconds each
def test_these_open_pyrages_files(size):
    data = os.urandom(size)
    assert _decrypt(pyrage_passphrase.encrypt(data, PASS)) == data


def test_another_passphrase_is_refused():
    with pytest.raises(age_stream.BadPassphrase):
        _decrypt(_encrypt(b"x" * 100), "另一个口令-12345")


@pytest.mark.parametrize("where", ["header", "nonce", "first chunk", "last byte"])
def test_any_changed_byte_is_refused(where):
    sealed = bytearray(_encrypt(os.urandom(2 * CHUNK + 5)))
    header_end = sealed.index(b"\n", sealed.index(b"--- ")) + 1
    at = {"header": sealed.index(b"--- ") + 6, "nonce": header_end + 3,
          "first chunk": header_end + 16 + 100, "last byte": len(sealed) - 1}[where]
    sealed[at] ^= 0x01
    with pytest.raises(age_stream.Damaged):
        _decrypt(bytes(sealed))


def test_a_file_cut_at_a_chunk_boundary_or_lengthened_is_refused():
    sealed = _encrypt(os.urandom(3 * CHUNK))
    header_end = sealed.index(b"\n", sealed.index(b"--- ")) + 1 + 16
    with pytest.raises(age_stream.Damaged):  # the first two full chunks alone
        _decrypt(sealed[:header_end + 2 * (CHUNK + 16)])
    with pytest.raises(age_stream.Damaged):
        _decrypt(sealed + b"\0" * 40)


def test_a_file_for_a_key_not_a_passphrase_is_not_opened():
    from pyrage import encrypt, x25519

    sealed = encrypt(b"abc", [x25519.Identity.generate().to_public()])
    with pytest.raises(age_stream.AgeError):
        _decrypt(sealed)


_PEAK = """
import resource, sys
from pathlib import Path
from counter_app import age_stream, backup_schedule
age_stream.LOG_N = 10  # scrypt's own 256 MiB would hide what the file costs
plain, sealed, back = (Path(a) for a in sys.argv[1:4])
backup_schedule.encrypt_to(plain, sealed, {pw!r})
backup_schedule.decrypt_to(sealed, back, {pw!r})
assert back.stat().st_size == plain.stat().st_size
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def _peak_mb(tmp_path: Path, size: int) -> int:
    plain = tmp_path / f"plain-{size}"
    with open(plain, "wb") as f:  # sparse: cheap to make, read as zeros
        f.truncate(size)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", _PEAK.format(pw=PASS), str(plain),
                          str(tmp_path / f"s-{size}.age"), str(tmp_path / f"b-{size}")],
                         capture_output=True, text=True, env=env, check=True, timeout=300)
    for name in (plain, tmp_path / f"s-{size}.age", tmp_path / f"b-{size}"):
        name.unlink()
    return int(out.stdout.split()[-1])


def test_encrypting_and_decrypting_a_large_backup_keeps_memory_bounded(tmp_path):
    small, large = _peak_mb(tmp_path, 1 << 20), _peak_mb(tmp_path, 200 << 20)
    # The whole file as bytes would add 200 MB or more; streamed, only a chunk is held.
    assert large - small < 20, (small, large)
