"""``counter-app search``: find members from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from counter_app.cli.command import Db, command, open_existing, read_only_at_head


def register(sub) -> None:
    s = sub.add_parser("search", help="查找会员（卡号、手机号、姓名或拼音首字母）")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=20)
    command(s, search_cmd, Db.READ)


def search_cmd(args, db_path: Path) -> int:
    if not args.text.strip():
        from counter_app.errors import InvalidInput

        raise InvalidInput(detail="请给出要查找的手机号、姓名、拼音首字母或卡号")
    con = read_only_at_head(db_path)
    if con is not None:  # plain sqlite3: starts without the database layer
        from counter_app import member_search

        try:
            rows = member_search.search(con, args.text, limit=args.limit)
        finally:
            con.close()
    else:
        from counter_app import members

        db = open_existing(db_path)
        with db.read() as s:
            rows = members.search(s, args.text, limit=args.limit)
        db.dispose()
    for row in rows:
        print(f"{row.card_code}\t{row.name}\t{row.category_label}\t{row.phone_masked}\t"
              f"{row.address}\t{row.balance}")
    if not rows:
        print(f"没有找到与“{args.text}”相符的会员", file=sys.stderr)
    return 0
