"""Typed errors of the district side, with Chinese messages fit for an administrator."""

from __future__ import annotations

from counter_app.errors import CounterError


class DistrictError(CounterError):
    message = "区级数据库操作未完成：{detail}"


class DistrictUnavailable(DistrictError):
    message = "连不上区级数据库：{detail}"


class DistrictSchemaError(DistrictError):
    message = "区级数据库结构不对：{detail}"


class UnknownCommunity(DistrictError):
    message = "区级数据库里没有社区代码 {code}，请先登记社区"


class CounterExists(DistrictError):
    message = "柜台编号 {counter_id} 已登记"


class SequenceGap(DistrictError):
    """The district holds entries up to head_seq; the counter must resend from head_seq + 1."""

    message = "流水不连续：区里只到第 {head_seq} 条，请从第 {next_seq} 条重新上传"

    def __init__(self, head_seq: int, head_hash: str):
        self.head_seq, self.head_hash = head_seq, head_hash
        super().__init__(head_seq=head_seq, next_seq=head_seq + 1)


class NotACounter(DistrictError):
    message = "区级数据库拒绝：{detail}"


class SyncDeadline(DistrictError):
    message = "同步在限定时间内没有完成：{detail}"
