"""How the counter names itself in window titles: once, not "幸福社区 · 幸福社区积分超市"."""

from __future__ import annotations


def counter_title(counter) -> str:
    """The counter's name, prefixed by its community only where the name does not say it."""
    name, community = counter.name.strip(), (counter.community or "").strip()
    if not community or community in name:
        return name
    return f"{community} · {name}"
