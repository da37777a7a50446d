"""One district URL, two spellings: libpq for psycopg, ``postgresql+psycopg`` for SQLAlchemy."""

from __future__ import annotations

_PREFIXES = ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://", "postgresql://")


def libpq_url(url: str) -> str:
    for prefix in _PREFIXES:
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url  # a key=value conninfo string


def sqlalchemy_url(url: str) -> str:
    url = libpq_url(url)
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    raise ValueError("the district URL must start with postgresql://")
