"""Reference data for the demo community: names, places, point schemes, exchange goods."""

from __future__ import annotations

# Surnames with their approximate share of the population (per mille, rounded), so the demo
# looks like a real register; the rarer polyphonic and compound surnames are included on
# purpose because they are the ones pinyin search gets wrong.
SURNAMES: list[tuple[str, float]] = [
    ("王", 71), ("李", 70), ("张", 67), ("刘", 53), ("陈", 45), ("杨", 31), ("黄", 22),
    ("赵", 20), ("吴", 20), ("周", 19), ("徐", 13), ("孙", 12), ("马", 12), ("朱", 11),
    ("胡", 10), ("郭", 10), ("何", 9), ("高", 9), ("林", 9), ("罗", 8), ("郑", 8),
    ("梁", 8), ("谢", 6), ("宋", 6), ("唐", 6), ("许", 5), ("韩", 5), ("冯", 5),
    ("邓", 5), ("曹", 5), ("彭", 5), ("曾", 5), ("肖", 4), ("田", 4), ("董", 4),
    ("袁", 4), ("潘", 4), ("于", 4), ("蒋", 4), ("蔡", 4), ("余", 4), ("杜", 4),
    ("叶", 4), ("程", 3), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3), ("任", 3),
    ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 3), ("汪", 2), ("范", 2), ("金", 2), ("石", 2), ("廖", 2), ("贾", 2),
    ("夏", 2), ("韦", 2), ("付", 2), ("方", 2), ("白", 2), ("邹", 2), ("孟", 2),
    ("熊", 2), ("秦", 2), ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2),
    ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 1.5), ("黎", 1.5),
    ("贺", 1.5), ("顾", 1.5), ("毛", 1.5), ("郝", 1.5), ("龚", 1.5), ("邵", 1.5),
    ("万", 1.5), ("覃", 1), ("武", 1.5), ("钱", 1.5), ("严", 1.5), ("单", 0.6),
    ("解", 0.4), ("仇", 0.3), ("区", 0.2), ("查", 0.3), ("乐", 0.3), ("翟", 0.5),
    ("朴", 0.2), ("盖", 0.2), ("缪", 0.3), ("欧阳", 0.5), ("司马", 0.1), ("诸葛", 0.05),
    ("上官", 0.05), ("尉迟", 0.03), ("令狐", 0.03), ("皇甫", 0.05),
]

GIVEN_MALE = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志文")
GIVEN_FEMALE = list("芳娜敏静丽艳娟霞秀英华慧巧美娅琳雪玲桂红梅琴云莉兰凤洁燕萍晶颖佳欣怡")
GIVEN_SECOND = list("建国志明春晓海立振永德玉秀淑桂金小新家子嘉思雨梓")

COMPOUNDS = [
    "阳光花园", "金色家园", "锦绣苑", "和平里小区", "幸福新村", "翠湖湾", "书香门第",
    "滨河小区", "桂花园", "紫荆苑", "东方明珠小区", "建设新村", "梧桐雅居", "康居小区",
    "颐和家园", "春晖园", "育才小区", "枫林绿洲", "电力新村", "向阳小区",
]

WORK_UNITS = [
    "区教育局", "市第一人民医院", "区税务局", "街道办事处", "区市场监管局", "市自来水公司",
    "区人民法院", "市第三中学", "区卫健委", "供电公司城区分公司", "区图书馆", "区财政局",
    "市邮政分公司", "区消防救援大队", "区住建局", "市实验小学",
]

ORGANISATIONS = [
    "区人民法院", "市第三中学", "工商银行幸福支行", "区妇幼保健院", "市自来水公司营业所",
    "幸福路派出所", "区图书馆", "农业银行和平支行", "区老年大学", "市实验小学",
]

MERCHANTS = [
    ("老王理发店", "义剪"), ("惠民超市", "日用品"), ("张记面馆", "餐饮"), ("康泰大药房", "药品"),
    ("平安车行", "洗车"), ("阳光眼镜店", "配镜"), ("邻里洗衣房", "洗衣"), ("好味来包子铺", "早餐"),
]

# Point schemes (积分项目): the presets of counter_app.earning (scheme A / B).
from counter_app.earning.presets import POINT_SCHEMES  # noqa: E402,F401

# Exchange catalogue: (kind, category, name, unit, points, limit_qty, limit_period, min_age,
# merchant). Goods limited per quarter follow 一季一兑换.
EXCHANGE_ITEMS = [
    ("goods", "粮油", "大米 5kg", "袋", 50, 2, "quarter", None, None),
    ("goods", "粮油", "食用油 1.8L", "桶", 40, 2, "quarter", None, None),
    ("goods", "粮油", "挂面 1kg", "包", 8, None, None, None, None),
    ("goods", "粮油", "酱油 500ml", "瓶", 10, None, None, None, None),
    ("goods", "粮油", "鸡蛋 30枚", "盒", 15, 4, "month", None, None),
    ("goods", "日用品", "洗衣液 2kg", "瓶", 25, None, None, None, None),
    ("goods", "日用品", "洗洁精 1kg", "瓶", 10, None, None, None, None),
    ("goods", "日用品", "卷纸 10卷", "提", 20, None, None, None, None),
    ("goods", "日用品", "牙膏", "支", 8, None, None, None, None),
    ("goods", "日用品", "毛巾", "条", 10, None, None, None, None),
    ("goods", "日用品", "香皂", "块", 5, None, None, None, None),
    ("goods", "日用品", "雨伞", "把", 30, None, None, None, None),
    ("goods", "日用品", "保温杯", "个", 40, 1, "year", None, None),
    ("service", "服务", "义剪（理发）", "次", 10, 1, "month", None, None),
    ("service", "服务", "10元爱心餐", "份", 10, 8, "month", 70, None),
    ("service", "服务", "健康体检", "次", 30, 1, "year", None, None),
    ("service", "服务", "停车券（2小时）", "张", 20, 4, "month", None, None),
    ("service", "服务", "家电小维修", "次", 20, 2, "quarter", None, None),
    ("merchant_offer", "商家优惠", "面馆满30减10券", "张", 15, 2, "month", None, "张记面馆"),
    ("merchant_offer", "商家优惠", "超市9折券", "张", 10, 2, "month", None, "惠民超市"),
    ("merchant_offer", "商家优惠", "洗剪吹五折券", "张", 10, 1, "month", None, "老王理发店"),
    ("merchant_offer", "商家优惠", "配镜8折券", "张", 30, 1, "year", None, "阳光眼镜店"),
]

DEMO_OPERATORS = [
    ("管理员", "admin", "1234"),
    ("王阿姨", "volunteer", "1111"),
    ("李师傅", "volunteer", "2222"),
    ("刘库管", "stock", "3333"),
    ("陈书记", "reviewer", "4444"),
]
