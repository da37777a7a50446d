"""Typed domain errors. Each carries a Chinese message fit to show a volunteer.

The UI shows ``str(err)``; code branches on the class.
"""

from __future__ import annotations

from datetime import datetime


class CounterError(Exception):
    """Base of every error the counter expects and explains."""

    message = "操作未完成"

    def __init__(self, message: str | None = None, **context):
        self.context = context
        super().__init__(message or self.message.format(**context))


class NotFound(CounterError):
    message = "未找到：{what}"


class UnknownCard(NotFound):
    message = "卡号 {code} 不存在，请核对会员卡"


class InvalidCardCode(UnknownCard):
    message = "卡号 {code} 的校验位不对：可能输错或扫错了一位，请核对会员卡后重新输入"


class UnknownMember(NotFound):
    message = "会员不存在（编号 {member_id}）"


class UnknownCommunity(NotFound):
    message = "社区不存在（编号 {community_id}）"


class DatabaseExists(CounterError):
    message = "数据库 {path} 已存在；{hint}"


class DatabaseMissing(NotFound):
    message = "数据库 {path} 不存在；新建请运行 counter-app init（或 counter-app demo）"


class UnknownItem(NotFound):
    message = "兑换物品不存在：{item}"


class BlockedCard(CounterError):
    message = "此卡已停用（卡号 {code}），请使用新卡或联系工作人员"


class BlockedMember(CounterError):
    message = "会员 {name} 已停用，不能兑换"


class InvalidQuantity(CounterError):
    message = "数量必须是正整数（收到 {qty}）"


class InvalidInput(CounterError):
    message = "输入有误：{detail}"


class InvalidText(InvalidInput):
    message = "{what}里有无法识别的字符，请删掉后重新输入"


class UnknownCategory(InvalidInput):
    message = "没有“{category}”这个会员类别，可选：{choices}"


class DatabaseUnusable(CounterError):
    message = "数据库 {path} 无法使用：{reason}"


class StorageError(CounterError):
    message = "无法写入 {path}：{reason}"


class NoDisplay(CounterError):
    message = ("没有图形显示（DISPLAY 和 WAYLAND_DISPLAY 都没有设置），打不开柜台窗口。"
               "请用 ./run app 启动（自动使用 Xvfb 虚拟屏幕），或用 xvfb-run counter-app，"
               "或设置 QT_QPA_PLATFORM=offscreen")


class PrinterError(CounterError):
    message = "打印机设置有误：{detail}"


class InsufficientPoints(CounterError):
    message = "积分不足：需要 {needed} 分，当前余额 {balance} 分"


class InsufficientStock(CounterError):
    message = "库存不足：{item} 只剩 {available}{unit}，需要 {needed}{unit}"


class InactiveItem(CounterError):
    message = "“{item}”已下架，暂不能兑换"


class LimitReached(CounterError):
    message = "“{item}”每位会员{period}限兑 {limit} 次，本期已兑 {used} 次"


class NotEligible(CounterError):
    message = "{reason}"


class PermissionDenied(CounterError):
    message = "权限不足：{role}不能{action}"


class OperatorLocked(CounterError):
    message = "PIN 输错次数过多，已锁定，请在 {until:%H:%M} 后再试"

    def __init__(self, until: datetime):
        self.until = until
        super().__init__(until=until)


class WrongPin(CounterError):
    message = "PIN 不正确，还可以再试 {left} 次"


class AlreadyReversed(CounterError):
    message = "这笔记录已经撤销过了，不能重复撤销"


class NotReversible(CounterError):
    message = "{reason}"


class ValueOutOfRange(InvalidInput):
    message = "{what}超出范围：{value}，{detail}"


class DatabaseInUse(CounterError):
    message = ("数据库 {path} 正被{who}使用（进程号 {pid}），请先关闭它再{action}")


class BackupRejected(CounterError):
    message = "备份文件 {path} 未通过检查，没有恢复：{faults}"


class WrongDistrict(CounterError):
    message = ("本柜台属于街道 {own}，不能与街道 {other} 同步：请检查街道服务器地址，"
               "或联系管理员")


class NoDistrict(CounterError):
    message = "本柜台还没有加入街道（没有街道编号），请先加入街道"


class RecoveryPending(CounterError):
    message = ("本机数据库是从备份恢复的：街道服务器上可能还有本柜台在备份之后记的账。"
               "请先同步（counter-app sync，或同步页面）取回这些记录，之后才能记账，"
               "以免同一序号记两次")
