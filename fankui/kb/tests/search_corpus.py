"""Synthetic tickets with known words, for search quality (tests) and speed (benchmarks/bench_search.py).

Each ticket is one or two problem fragments between an opener, a place and a closer. Every fragment
carries the search word it is about (its label), written the way reporters write it: full-width
ＶＰＮ, traditional 發票/閃退/權限, OA in any case. Distractors put a word's characters next to each
other without the word (和服务中心 is not 和服, 在线下单 is not 线下, goal is not oa), so a hit on them
is a false positive. The ground truth is the labels, not substring matching.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

FRAGMENTS: dict[str, tuple[str, ...]] = {
    "门禁": ("太川门禁刷卡开不了门", "门禁卡授权不上", "小区门禁一直在响"),
    "离线": ("门口机显示离线", "设备又离线了", "BMS点位离线"),
    "权限": ("EAS提示没有权限", "KM要开通权限", "權限不足進不去"),
    "闪退": ("一应生活APP闪退", "打开就閃退", "点报事就闪退了"),
    "发票": ("發票验真失败", "发票抬头开错了", "电子发票下载不了"),
    "vpn": ("VPN连不上", "ＶＰＮ登录超时", "vpn客户端报错"),
    "访客": ("绑定了房产还是显示访客", "访客二维码失效", "业主变成访客身份"),
    "道闸": ("道闸不抬杆", "格美特道闸识别不了车牌"),
    "工单": ("上工单提交不了", "工单派不出去", "整改工单打不开"),
    "退款": ("联盟购申请退款没到账", "退款流程卡在财务"),
    "钱包": ("业主钱包充值不到账", "钱包余额显示不对"),
    "客服": ("CSS客服坐席签入不了", "客服电话打不通"),
    "过账": ("金蝶EAS凭证过账失败", "过账提示期间已关闭"),
    "满意度": ("满意度问卷打不开", "满意度链接复制后有空格"),
    "和服": ("活动要用的和服租赁订单查不到",),
    "线下": ("线下活动报名页面打不开", "线下缴费记录没同步"),
    "oa": ("OA流程卡在审批", "oa待办不显示", "Oa登录很慢"),
}
DISTRACTORS = ("已经和服务中心联系过", "在线下单失败", "工作goal设置不了", "系统很慢", "页面一直转圈")
OPENERS = ("", "你好，", "麻烦看下，", "急！", "请问一下，", "同事反映", "今天早上开始")
PLACES = ("", "翠湖花园", "金色家园3栋", "滨江一期", "总部大楼", "阳光小区1202")
CLOSERS = ("", "，谢谢", "，业主一直投诉", "，急用", "，已经重启过了", "。")

WORDS = tuple(FRAGMENTS)


@dataclass(frozen=True)
class SyntheticTicket:
    title: str
    description: str
    labels: frozenset[str]


def synthetic_tickets(count: int, *, seed: int = 7) -> Iterator[SyntheticTicket]:
    rng = random.Random(seed)
    for _ in range(count):
        words = rng.sample(WORDS, rng.choice((1, 1, 2)))
        parts = [rng.choice(FRAGMENTS[word]) for word in words]
        if rng.random() < 0.3:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(DISTRACTORS))
        description = rng.choice(OPENERS) + rng.choice(PLACES) + "，".join(parts) + rng.choice(CLOSERS)
        yield SyntheticTicket(description[:40], description, frozenset(words))


SINGLE_QUERIES = (
    "门禁", "离线", "权限", "權限", "闪退", "閃退", "发票", "發票", "vpn", "ＶＰＮ", "VPN", "访客",
    "道闸", "工单", "退款", "钱包", "客服", "过账", "满意度", "和服", "线下", "oa", "ＯＡ",
)
PAIR_QUERIES = (
    "门禁 离线", "权限 vpn", "闪退 工单", "发票 过账", "访客 满意度", "道闸 钱包", "退款 客服",
    "oa 权限", "和服 退款", "线下 发票", "门禁　道闸",
)
QUERIES = SINGLE_QUERIES + PAIR_QUERIES
