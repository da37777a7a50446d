"""The age file format (https://age-encryption.org/v1) with its scrypt passphrase
recipient, streamed from file to file.

Why not pyrage alone: its passphrase module takes and returns whole ``bytes`` (a 500 MB
database needed twice that in memory) and its streaming ``encrypt_io``/``decrypt_io`` take
only key recipients, not a passphrase. So the format is written here on ``cryptography``'s
primitives (scrypt, HKDF-SHA-256, HMAC-SHA-256, ChaCha20-Poly1305) exactly as the spec
says; files are interchangeable with pyrage, age and rage (tests/test_age_stream.py opens
pyrage's files and pyrage opens these). Memory: one 64 KiB chunk and scrypt's 128·r·N.
"""

from __future__ import annotations

import base64
import hmac
import os
from hashlib import sha256
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"age-encryption.org/v1"
CHUNK = 64 * 1024
_TAG = 16
LOG_N = 18  # age's default work factor (about a second, 256 MiB)
_MAX_LOG_N = 22  # a file demanding more (4 GiB of scrypt memory) is refused, not tried
_LINE = 64  # header bodies are wrapped at 64 base64 columns


class AgeError(Exception):
    """Not an age file this module can open."""


class BadPassphrase(AgeError):
    """The file key did not unwrap: another passphrase (or a damaged stanza)."""


class Damaged(AgeError):
    """The header's MAC or a payload chunk failed authentication, or the file is cut short."""


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    try:
        data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise Damaged("header is not base64") from None
    if _b64(data) != text:  # the spec allows only the canonical, unpadded encoding
        raise Damaged("header is not canonical base64")
    return data


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=salt, info=info).derive(key)


def _wrap_key(passphrase: str, salt: bytes, log_n: int) -> bytes:
    return Scrypt(salt=MAGIC + b"/scrypt" + salt, length=32, n=1 << log_n, r=8,
                  p=1).derive(passphrase.encode("utf-8"))


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _read_full(reader: BinaryIO, size: int) -> bytes:
    data = reader.read(size)
    while 0 < len(data) < size:  # pipes and sockets may return less than asked
        more = reader.read(size - len(data))
        if not more:
            break
        data += more
    return data


class Sealer:
    """The header first (scrypt: the one slow step, so callers may make it beside other
    work), then any number of ``encrypt`` calls would reuse the file key — so only one."""

    def __init__(self, passphrase: str, log_n: int | None = None):
        log_n = log_n or LOG_N
        self._file_key = os.urandom(16)
        salt = os.urandom(16)
        wrapped = ChaCha20Poly1305(_wrap_key(passphrase, salt, log_n)).encrypt(
            bytes(12), self._file_key, None)
        text = (MAGIC + b"\n-> scrypt " + _b64(salt) + b" " + str(log_n).encode()
                + b"\n" + _b64(wrapped) + b"\n---")
        mac = hmac.new(_hkdf(self._file_key, b"", b"header"), text, sha256).digest()
        self.header = text + b" " + _b64(mac) + b"\n"
        self._used = False

    def encrypt(self, reader: BinaryIO, writer: BinaryIO) -> None:
        if self._used:
            raise RuntimeError("a Sealer encrypts one file")  # a reused file key and nonce
        self._used = True
        nonce = os.urandom(16)
        writer.write(self.header + nonce)
        aead = ChaCha20Poly1305(_hkdf(self._file_key, nonce, b"payload"))
        counter, chunk = 0, _read_full(reader, CHUNK)
        while True:
            following = _read_full(reader, CHUNK) if len(chunk) == CHUNK else b""
            last = not following  # a full last chunk is allowed; an empty one only alone
            writer.write(aead.encrypt(_nonce(counter, last), chunk, None))
            if last:
                return
            counter, chunk = counter + 1, following


def encrypt(reader: BinaryIO, writer: BinaryIO, passphrase: str,
            log_n: int | None = None) -> None:
    Sealer(passphrase, log_n).encrypt(reader, writer)


def _file_key(reader: BinaryIO, passphrase: str) -> bytes:
    lines: list[bytes] = []

    def line() -> bytes:
        raw = reader.readline(256)
        if not raw.endswith(b"\n"):
            raise Damaged("header cut short")
        lines.append(raw)
        return raw[:-1]

    if line() != MAGIC:
        raise AgeError("not an age file")
    stanza = line().split(b" ")
    if stanza[:2] != [b"->", b"scrypt"] or len(stanza) != 4:
        raise AgeError("not encrypted with a passphrase")
    body = b""
    while True:  # the body ends with its first line shorter than 64 columns
        part = line()
        body += part
        if len(part) < _LINE:
            break
    end = line()
    if not end.startswith(b"--- "):
        raise Damaged("a passphrase file has one stanza")
    salt, log_n, wrapped = _unb64(stanza[2]), stanza[3], _unb64(body)
    if (len(salt) != 16 or len(wrapped) != 32 or not log_n.isdigit()
            or log_n.startswith(b"0") or not 1 <= int(log_n) <= _MAX_LOG_N):
        raise Damaged("scrypt stanza")
    try:
        file_key = ChaCha20Poly1305(_wrap_key(passphrase, salt, int(log_n))).decrypt(
            bytes(12), wrapped, None)
    except InvalidTag:
        raise BadPassphrase("wrong passphrase") from None
    text = b"".join(lines)[:-len(end) - 1] + b"---"
    mac = hmac.new(_hkdf(file_key, b"", b"header"), text, sha256).digest()
    if not hmac.compare_digest(mac, _unb64(end[4:])):
        raise Damaged("header MAC")
    return file_key


def decrypt(reader: BinaryIO, writer: BinaryIO, passphrase: str) -> None:
    """Plaintext into ``writer`` as it is authenticated, chunk by chunk: on Damaged the
    writer holds a prefix, so callers write to a temporary file and keep it only on
    success."""
    file_key = _file_key(reader, passphrase)
    nonce = _read_full(reader, 16)
    if len(nonce) != 16:
        raise Damaged("payload nonce cut short")
    aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    counter, chunk = 0, _read_full(reader, CHUNK + _TAG)
    while True:
        following = _read_full(reader, CHUNK + _TAG) if len(chunk) == CHUNK + _TAG else b""
        last = not following
        try:
            plain = aead.decrypt(_nonce(counter, last), chunk, None)
        except InvalidTag:  # also a file cut at a chunk boundary (the last flag differs)
            raise Damaged(f"payload chunk {counter}") from None
        if last and not plain and counter:
            raise Damaged("empty last chunk")
        writer.write(plain)
        if last:
            return
        counter, chunk = counter + 1, following
