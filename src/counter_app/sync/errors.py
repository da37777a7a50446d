"""Typed errors of the counter's sync, with Chinese messages."""

from __future__ import annotations

from counter_app.errors import CounterError


class SyncError(CounterError):
    message = "同步未完成：{detail}"


class SyncNotConfigured(SyncError):
    message = "本柜台还没有设置街道服务器（请先运行 counter-app join，或 counter-app sync --setup）"


class NoPassword(SyncError):
    message = ("找不到柜台 {counter_id} 的街道数据库密码：请用 counter-app sync --setup "
               "--password-file 文件 重新保存（密码存在系统钥匙串或仅本人可读的文件里）")


class ForkDetected(SyncError):
    message = ("本柜台的{journal}与街道服务器上的不一致（第 {seq} 条哈希不同）：本机数据可能被改动，"
               "或恢复了别的柜台的备份。已停止同步，请联系管理员")


class AlreadyJoined(SyncError):
    message = "数据库 {path} 已存在，不能再加入街道；请换一个文件名"


class CapExceeded(CounterError):
    """An offline cap refuses a redemption (offline_caps)."""

    message = "{detail}"


class SyncOverdue(CapExceeded):
    message = ("已经 {days} 天没有和街道同步（上限 {limit} 天）：兑换需要管理员输入 PIN 确认，"
               "或先同步")
