"""Errors of earning: each a CounterError with a Chinese message naming what and where."""

from __future__ import annotations

from counter_app.errors import CounterError, InvalidInput, NotFound


class UnknownPointItem(NotFound):
    message = "积分项目不存在（编号 {item_id}）"


class UnknownAward(NotFound):
    message = "积分记录不存在（编号 {award_id}）"


class CannotEarn(CounterError):
    message = "{member}是“{category}”，不能获得积分项目“{item}”（可获得的类别：{allowed}）"


class BlockedEarner(CounterError):
    message = "会员 {name} 已停用，不能记录积分（{where}）"


class BadActivityDate(InvalidInput):
    message = "活动日期 {day} 不对：{detail}"


class PointsOutOfRange(InvalidInput):
    message = "积分项目“{item}”的分值 {points} 超出范围：{detail}"


class AlreadyReviewed(CounterError):
    message = "{who}的积分记录（{item}，{day}）已经{state}，不能再审核"


class SelfApproval(CounterError):
    message = "{who}的积分记录（{item}，{day}）是您本人录入的，不能由您本人审核通过，请交其他审核员"


class DuplicateParticipant(CounterError):
    message = "{name} 已在本次活动名单上（第 {position} 位），不能重复登记"


class NotEditable(CounterError):
    message = "{who}的积分记录（{item}，{day}）{state}，不能修改"


class WishStateError(CounterError):
    message = "心愿“{title}”{state}，不能{action}"


class ReviewElsewhere(CounterError):
    message = "{who}的积分记录（{item}，{day}）由柜台 {counter} 审核，本柜台（{here}）不能审核"


class ClaimNeeded(CounterError):
    message = ("{who}的积分记录（{item}，{day}）交由社区任一柜台审核：须先联网到街道服务器认领"
               "（{detail}）")


class ClaimRefused(CounterError):
    message = "街道服务器拒绝了认领：{detail}，本批次没有审核任何记录"
