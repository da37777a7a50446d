"""``counter-app district …``: the district database (PostgreSQL), see counter_app.district."""

from __future__ import annotations

from counter_app.cli.command import Db, command


def register(subparsers) -> None:
    from counter_app.district import commands

    commands.register(subparsers)
    # No counter database is involved: each sub-command names its own --url.
    command(subparsers.choices["district"], lambda args, _db_path: args.func(args), Db.NONE)
