"""Operator roles and their Chinese names (no imports: the log-in screen shows them
before the database layer is loaded). db.models and operators re-export them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    STOCK = "stock"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    GRID_WORKER = "grid_worker"  # 网格员: records awards, does not review them


ROLE_LABELS = {
    Role.VOLUNTEER: "志愿者",
    Role.STOCK: "库管员",
    Role.REVIEWER: "审核员",
    Role.ADMIN: "管理员",
    Role.GRID_WORKER: "网格员",
}
