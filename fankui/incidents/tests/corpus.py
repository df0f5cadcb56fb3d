"""Realistic report texts for grouping-quality tests and the similarity benchmark.

CLUSTERS are outages as reporters word them (different openers, aliases, details); NEAR_MISSES
are the same system with a different problem, which must never join the cluster. `background`
recombines the guide's vocabulary into the everyday noise of a 10k-ticket window.
"""
from __future__ import annotations

import random

# (system name, [reports of one problem]) — how three regions describe the same failure.
CLUSTERS: dict[str, tuple[str, list[str]]] = {
    "app_login": (
        "一应生活APP",
        [
            "一应生活APP登录不了，一直提示网络异常，业主都在投诉",
            "一应生活app打不开了，登录的时候提示网络异常请稍后重试",
            "生活APP登录提示网络异常，换了手机和WiFi也不行",
            "急！一应生活登录不上，显示网络异常，好多业主打电话来问",
            "一应生活APP 登录报网络异常，重装也登录不了",
        ],
    ),
    "eas_posting": (
        "金蝶EAS",
        [
            "金蝶EAS凭证过账失败，提示期间已关闭",
            "EAS过账报错，说会计期间已经关闭了，月底急用",
            "金蝶过账失败 提示当前期间已关闭 无法过账",
            "三期财务反映EAS凭证过不了账，提示期间已关闭",
        ],
    ),
    "parking_gate": (
        "格美特停车系统",
        [
            "格美特停车系统车牌识别不了，道闸不抬杆",
            "停车场道闸不抬杆，格美特识别不了车牌，车排长队了",
            "格美特道闸识别不到车牌不起杆，业主车出不去",
            "二期停车场格美特车牌识别失败，道闸不抬杆",
        ],
    ),
    "door_offline": (
        "太川门禁",
        [
            "太川门禁门口机显示离线，刷卡开不了门",
            "太川门禁离线了，业主刷卡进不来",
            "门禁门口机全部离线，刷卡开不了门，太川的",
        ],
    ),
}

# Same system, different problem: must not be grouped with the cluster of that system.
NEAR_MISSES: dict[str, list[str]] = {
    "app_login": [
        "一应生活APP里满意度问卷链接打不开，显示白屏",
        "一应生活APP缴费成功了但账单还显示未缴费",
        "一应生活APP怎么绑定房产，业主不会操作",
        "一应生活APP报事提交不了，点提交没反应",
        "一应生活APP消息推送收不到",
    ],
    "eas_posting": [
        "金蝶EAS账号被锁定了，登录不了",
        "金蝶EAS新员工需要开通权限",
        "EAS报销单提交后卡在审批流",
    ],
    "parking_gate": [
        "格美特的月卡车出场被收费了，麻烦处理",
        "格美特停车系统临停车缴费后二维码失效",
    ],
    "door_offline": [
        "太川门禁卡怎么申请授权",
        "太川门禁新业主人脸录入不了",
    ],
}

_SYSTEMS = [
    "金蝶EAS", "一应生活APP", "格美特停车系统", "太川门禁", "业主钱包", "OA", "CMP", "KM", "SRM", "CSS",
    "BMS", "一应之家", "腾讯企业邮箱", "销售易", "一应青藤学院",
]
_OBJECTS = [
    "报销单", "凭证", "审批流", "账号", "密码", "权限", "附件", "报表", "工单", "合同", "用印申请", "发票", "月卡",
    "道闸", "门口机", "二维码", "充值", "余额", "问卷", "课程", "邮箱", "待办", "流程", "供应商", "点位", "坐席",
]
_SYMPTOMS = [
    "提交不了", "打不开", "一直转圈", "显示不对", "报错", "加载很慢", "数据不同步", "找不到", "审批不了", "导出失败",
    "无法保存", "显示空白", "重复扣款", "收不到验证码", "闪退", "卡住了", "提示无权限", "页面404",
]
_OPENERS = ["", "你好，", "麻烦看下，", "急！", "请问", "领导反映", "项目上说", "早上开始"]
_CLOSERS = ["", "，谢谢", "，急用", "，麻烦尽快处理", "。", "，业主在催", "，影响收费"]
_PLACES = ["一期", "二期", "三期", "南区", "北区", "A栋", "会所", "物业中心", "管理处"]


def background(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """`n` (system, text) everyday reports, deterministic for a seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        system = rng.choice(_SYSTEMS)
        text = (
            f"{rng.choice(_OPENERS)}{rng.choice(_PLACES)}{system}{rng.choice(_OBJECTS)}"
            f"{rng.choice(_SYMPTOMS)}{rng.choice(_CLOSERS)}"
        )
        out.append((system, text))
    return out
