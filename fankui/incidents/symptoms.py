"""What a report says is wrong, and whether two reports on one system describe the same problem.

Pure: no database, no settings. Real reports of one outage are short and worded differently ("登录一直
转圈，网络异常" / "app登不上，显示网络异常" / "登录页面卡住"), so raw text overlap misses them. A report
is read as a `Signature`:

- the *function* it is about (登录, 支付/缴费, 打印, 短信验证码, 搜索, 发邮件, 道闸, 会议, 凭证…),
- the *symptom* (网络/超时, 服务器错误, 打不开/白屏, 闪退, 很慢/卡, 离线…), synonyms folded
  (登不上 = 进不去 = 登录不了),
- error codes and exception names (502, 10003, code:5001, BOSException, ERR_CONNECTION_RESET), and the
  messages the system showed as the reporter quotes them (提示“手机号已存在”),
- its content words (segmented), and whether it is a request for a change (申请/开通/权限/设置…)
  rather than a failure.

Two reports on the same system are the same problem when they share an error code or a message, or a function and a
symptom, or one of them and enough words; two that each say the whole system is down (挂了, 系统繁忙, 502) are
one problem whatever function they name. A request is never part of an outage; neither is a report
that names no failure. Different systems are never compared (the caller groups per system).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from fankui.routing.text import fold_traditional, has_any, normalize_text

# Functions of a system that fail together in an outage. Each maps to the words people use for it (regular
# expressions: a lookahead keeps 下单 out of 楼下单元门).
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "登录": ("登录", "登陆", "登入", "登不上", "登不进", "进不去", "login", "sign in", "许可", "license", "授权数"),
    "支付缴费": ("支付", "缴费", "交费", "付款", "扣款", "收款", "物业费", "pay"),
    "订单": ("订单", "下单(?!元)", "order"),
    "打印": ("打印", "小票", "收据", "模板", "print"),
    "短信验证码": ("验证码", "短信", "sms"),
    "搜索查询": ("搜索", "检索", "search"),
    "报表": ("报表", "余额表", "明细账", "总账", "日报", "周报", "月报", "report"),
    "发邮件": ("发信", "发件", "发邮件", "发不出", "外发", "smtp"),  # not 退信: mail coming in bounces too
    "收邮件": ("收信", "收件", "收不到邮件", "imap", "pop3"),
    "道闸": ("道闸", "抬杆", "抬桿", "杆子", "闸机", "开闸", "起杆", "栏杆", "杆不抬", "开不了杆", "抬不了杆", "车牌识别", "岗亭"),
    "门禁": ("门禁", "刷卡", "刷脸", "梯控", "开门", "门卡", "开不了门", "开不开门", "门开不了"),
    "会议": ("会议", "入会", "开会", "meeting"),
    "凭证": ("凭证", "记账"),
    "上传": ("上传", "upload", "照片", "图片"),
    "提交保存": ("提交", "保存", "submit", "save"),
    "工单": ("工单", "派单", "报修", "报事"),
    "同步": ("同步", "sync"),
    "钱包充值": ("钱包", "充值", "余额"),
    "导出": ("导出", "导不出", "export"),
    "考勤": ("考勤", "打卡", "缺卡", "旷工"),
    "出账": ("出账", "计费"),
    "预览": ("预览", "preview"),
    "对账": ("对账", "对账单"),
    "积分": ("积分", "points"),
    "报名": ("报名", "名额"),
    "提现": ("提现", "提款", "withdraw"),
    "抽奖": ("抽奖", "抽中", "中奖", "兑奖", "奖品", "领奖"),
    "告警": ("告警", "报警", "警报", "alarm", "蜂鸣"),
    "退款": ("退款", "退费", "退钱", "退回(?!首页|主页|登录)", "refund"),
    "审批": ("审批", "审核", "approve"),
    "录制": ("录制", "录屏", "录像", "录影", "录音", "回放", "record"),
}
# How it fails.
SYMPTOMS: dict[str, tuple[str, ...]] = {
    "网络超时": ("网络异常", "网络错误", "网络不好", "连接失败", "连不上", "无法连接", "连接超时", "超时", "timeout", "timed out",
             "connection", "连接服务器失败", "断开", "中断", "转圈", "reset", "请重试"),
    "服务器错误": ("服务器内部错误", "服务器错误", "服务器异常", "bad gateway", "internal server error", "服务不可用",
              "service unavailable", "gateway"),
    "打不开": ("打不开", "无法打开", "打开失败", "访问不了", "无法访问", "进不去", "白屏", "空白", "一片白", "全白", "是空的", "黑屏",
              "什么都没有", "啥都没有", "什么都不显示", "blank", "挂了", "崩了", "宕机"),
    "闪退": ("闪退", "崩溃", "crash", "自动退出", "打开就退", "秒退", "就退出", "弹回出来", "弹返出来"),
    "很慢": ("很慢", "特别慢", "好慢", "太慢", "巨慢", "超慢", "慢死", "慢得", "巨卡", "卡得要死", "卡的要死", "卡顿", "卡住", "卡死", "很卡",
             "好卡", "加载不出", "一直加载", "加载很久", "等了半天", "转半天", "等半分钟", "等好久", "等很久", "等半天", "等了好久", "等了很久",
             "loading"),
    "离线": ("离线", "掉线", "offline", "不在线"),
    "失败": ("失败", "报错", "错误", "异常", "不成功", "error", "fail", "exception"),
    "收不到": ("收不到", "没收到", "未收到", "未找到", "查无", "查询不到", "未查询到", "没查到", "不到账", "没到账", "未到账", "钱没到", "没过来", "没有过来", "过不来",
             "没进来", "进不来", "没推过来",
             "推不过来", "没下发", "不下发", "不发短信", "不发消息", "不发通知", "没发出", "未发送", "发送失败", "无推送", "没推送",
             "没有推送", "不推送", "不提醒", "没提醒", "没有提醒", "看不到", "选不到", "查不到", "搜不到", "没有新", "没新的", "没人回", "没人理", "没人联系", "没人回复",
             "没单", "没有单"),
    "无响应": ("没反应", "没有反应", "无响应", "没响应", "没有响应", "没动静", "点不动", "点了没用"),
    # A conflict the system reports where there is none ("手机号已存在" for a new number, "票据号已被使用").
    "已存在": ("已存在", "已经存在", "已被使用", "已被占用"),
    # The app refuses the version installed, and the store offers no newer one ("提示版本过低", "升级完又叫升级").
    "版本过低": ("版本过低", "版本太低", "(?:叫|让|提示|弹|请)我?(?:先)?(?:升级|更新)", "(?:升级|更新)完了?(?:又|还)"),
    "没声音": ("没声音", "没有声音", "没声了", "无声", "听不到", "听不见", "没画面", "没有画面", "没图像"),
}
# Access refused as the system says it ("提示无权限访问", "弹出您没有该目录的访问权限") or to everyone ("所有人都没权限了"):
# a failure even though it names a permission. One person's missing access ("新同事没有上传权限") stays a request.
_NO_ACCESS = re.compile(r"(?:提示|弹出|显示|报|弹窗)[^，。,.]{0,8}(?:您|你)?(?:没有?|无)[^，。,.]{0,6}权限|无权限?访问|权限不足|forbidden"
                        r"|(?:都|全部?|突然|(?:一点|点了?)就)(?:没有?|无)[^，。,.]{0,4}权限|权限(?:被|都|全)?(?:清|删|收回|回收|没了|丢了|失效)"
                        # "您没有权限查看": the system's voice, not the reporter's.
                        r"|您(?:没有?|无)[^，。,.]{0,4}权限")
# Wrong results: the system answers, but with the wrong data (charged twice, last month's bill, a discount
# that is not applied). Nobody types a failure word ("扣了两次", "显示的还是上个月的"), yet several people
# reporting one within minutes is an outage. General shapes of such answers, not any one system's.
_COUNT = r"[两二2三3]"
_CLAUSE = r"[^，。,.；;!?！？\n]"
_EMPTY = "结果为空"
WRONG_RESULTS: dict[str, re.Pattern[str]] = {
    "重复翻倍": re.compile(
        rf"重复|翻倍|翻了一倍|{_COUNT}倍|双倍|多扣|多收|多算|扣了?{_COUNT}(?:次|笔|遍)|{_COUNT}(?:笔|条|次|遍)(?:一样|一模一样|相同)"
        rf"|(?:出现|出了|扣了|扣|生成了|收了|有){_COUNT}(?:笔|条|次|遍)|又(?:扣|收|缴)了?(?:一次|一笔|一遍|钱|款)"
    ),
    "数据陈旧": re.compile(
        rf"(?:显示|还是|仍是|仍然是|依然是|出来的是|都是|停在|停留在){_CLAUSE}{{0,8}}(?:上个?月|上期|上周|昨天|去年|旧|原来)"
        rf"|(?:还是|仍是|出来的是|显示的是){_CLAUSE}{{0,6}}[0-9一二三四五六七八九十]+月"
        r"|未更新|没更新|不更新|没有更新|没刷新|不刷新|没变|没有变|一直不变|停在(?:\d+[:：点号日月]|早上|上午|中午|昨天|昨晚)|延迟|滞后|旧的?数据"
    ),
    # Still in the state it was before what should have changed it ("付款成功了，账单还是显示未缴").
    "状态未变": re.compile(rf"(?:还是|仍然?|依然|依旧)(?:显示|是|为)?{_CLAUSE}{{0,2}}[未待](?:缴|交|付|支付|到账|同步|生效|发货|收货|处理|审核|取)"),
    # Empty where there should be data: "搜什么都是 0 条结果", "看板的数据全是0", "统计报表全部为零", "暂无数据".
    _EMPTY: re.compile(r"(?:全是|都是|全部是|全部为|全为|均为|都为|显示|还是|变成了?|也是|是)\s*(?:0|零)(?![0-9])(?!\.\d*[1-9])"
                       r"|(?<![0-9.])0\s*条|[一1](?:封|条|件|笔|单)(?:都|也)?没(?:有)?(?:到|收到|进来)|全空|全部空|都空|都是空|暂无(?!法)|没有?账单|没有数据|无数据|没数据|没有任何数据|未找到相关|[一1](?:条|个|笔|单|次)[\u4e00-\u9fff]{0,3}(?:都|也)(?:没有|没)"),
    # Someone else's data, or data that does not fit together ("账单是别人家的", "串号了", "户名跟手机号不一致").
    # Not 对不上: two reports that do not reconcile ("日报表和EAS对不上") are someone's month-end work.
    "数据错乱": re.compile(r"(?:是|成了?|变成|显示|看到|查到|出来)(?:的是)?(?:别人|他人|其他(?:人|房号|房间|户|业主|住户))(?:家)?的|串号|串户|串单|串了|错乱|张冠李戴|不一致|(?:全|都|全部)(?:都)?(?:变成|变为|成了|变了?(?=[\u4e00-\u9fff]))"
                       r"|(?:和|跟|同|与)[^，。,.；;!?！？\n]{0,10}(?:不一样|不同|不一致)|错位"
                       r"|(?:全|都|全部)(?:都)?(?:是|为)\s*-?\d+(?:\.\d+)?(?![\d.])(?![栋幢楼号层座室单])|错(?:的)?房号|房号(?:都)?不对"),
    # Less than there should be ("只出了1-5栋", "应出1860户，实际只有912户", "少了一半", "出账不齐").
    "数据缺失": re.compile(r"不全|不齐|少了?一半|只有一半|只剩一半|少了\d+|实际只有|只出了|只出来"),
    "未生效": re.compile(r"不生效|没生效|未生效|没有生效|无效|失效|原价|全价|没减|未扣减|没扣减|不抵扣|没抵扣|没有?(?:自动)?(?:抵扣|扣减|冲抵)|没扣到|不认|识别成|识别为|当成|被当|算成"
                       rf"|(?:显示|都|全部){_CLAUSE}{{0,4}}过期"),
}
# Symptoms too general to tie two reports together without something more specific.
GENERIC_SYMPTOMS = frozenset({"失败"})
# Symptoms every system shows, and the reporter's own network or VPN too: alone they do not say whose failure.
COMMON_SYMPTOMS = frozenset({"网络超时", "打不开", "很慢"})
# People falling back to doing by hand what the system does ("先手动抬杆放行", "只能人工登记") say it fails.
_FAILURE = re.compile(
    r"(?:先|只能|只好|临时|暂时|全靠|都是|要|靠)(?:手动|手工|人工|人手)|手动(?:抬杆|开门|放行)|失败|错误|出错|报错|异常|故障|不了|不上|不进|不去|不开|不出|不来|不起来|不动|不能|不行|无法|没法|用不了|打不开|超时|闪退|白屏|黑屏|空白|"
    r"收不到|没收到|未收到|没到账|未到账|没反应|无响应|卡住|卡死|很卡|好卡|挂了|崩|瘫痪|坏了|停了|断了|慢|离线|掉线|失效|乱码|不正常|"
    r"不抬杆|不显示|没显示|没有显示|未显示|转圈|不走|走不动|不到|没结果|无结果|为空|空的|不见了|消失|没了|不好使|用不成|弹窗报|不成功|没有反应|没响应|没有响应|加载中|一直加载|不对|不正确|不一致|重复扣|扣了两次|多扣|瘫了|挂掉|没出来|卡在|"
    # Effects: wrong, lost, not run, changed by someone, waited for ("算错", "丢了", "日结没跑", "被重置", "等了十分钟").
    r"不住|不通|不弹|(?:按钮|按键|层|都)不亮|不认(?!识|为)|维护中|已存在|没出|没报警|不报警|没告警|算错|搞错|弄错|(?:全|都|全部)(?:都)?错|乱了|丢了|丢失|不存在|(?:没|未)(?:跑|执行|运行|生成)|没用|余额不足|"
    r"被(?:重置|清空?|删除?|改|修改|覆盖)|被多?(?:收|扣)(?:了|费|钱)|突然(?:变|没|不)|等了(?:\d+|[一二三四五六七八九十几半]+)个?(?:分钟|小时)|"
    # An owner's complaint about what happened to them ("物业怎么管的", "被收了8块钱？？").
    r"怎么搞的|怎么管的|搞什么|什么鬼|[?？]{2,}|"
    r"已满|满了|报满|额满|约满|超出|上限|(?:没有?|未)(?:增加|加上|记上|入账|累计)|出问题|有问题|毛病|失灵|不灵|罢工|歇菜|不工作|不管用|断网|没网|"
    r"当成|识别成|算成|没变|没有变|不变|没更新|没有更新|不更新|没刷新|没过来|没有过来|过不来|没声|没有声音|无声|听不见|没画面|error|fail|exception|timeout|timed out|crash|refused|reset|unavailable|(?<![a-z0-9.])[45]\d\d(?![a-z0-9.])"
)
# The reporter setting what they see against what should be ("文档明明都在", "上午还正常", "昨天还是87.3%"):
# a wrong result, even worded without a failure word.
_CONTRAST = re.compile(r"明明|(?:上午|早上|昨天|之前|刚才|刚刚|上周|上个月|平时|以前|前几天)(?:都|还|一直)(?:是)?(?:正常|好好的|好的|可以|能用|没问题)"
                       r"|(?:上午|早上|昨天|之前|上周|上个月)还是\d|不是我们?(?:改|弄|设|调)的|(?:原本|本来)(?:是|有|都|已经|认证|绑定|正常|好好|可以)"
                       # Shown as done while it is not ("显示已送达，可是前台说没有", "显示支付成功，结果又催缴",
                       # "状态却是成功"), or the real value differs ("实际温度正常").
                       r"|(?:显示|提示|状态)(?:是|为)?[^，。,.]{0,4}?(?:已|成功)[^。]{0,12}(?:可是|但是|但|却|结果)"
                       r"|(?:显示|提示)[^，。,.]{0,6}(?:成功|已[\u4e00-\u9fff]{1,2})[^。]{0,12}?(?:没(?!问题)|不(?!错)|未|还是|仍)|却(?:是|显示|为)?(?:成功|已|正常)"
                       r"|实际(?:上)?[^，。,.]{0,6}(?:正常|是|有)")
# Stuck in a state that should pass ("批次一直「处理中」", "还在同步中"): a hang, though no failure word is typed.
# Asking what is going on ("让我交临停费 什么情况") says something is wrong.
_STUCK = re.compile(r"(?:一直|还在|仍在|仍然|始终|老是)(?:是|在|显示|处于)?[「『“\"'‘]?[\u4e00-\u9fff]{1,4}中|什么情况|怎么回事"
                    r"|(?:一直|始终|老是|总是)(?:开着|关着|亮着|黑着|灭着|响着?|在响|在?报警)")
# A request for a change (an account, a permission, a setting) is individual work, even when it mentions an
# error; a question ("怎么登录不了？") about a failure is still a failure.
# 申请单/付款申请/用章申请 (a document), 申请了/申请退款三天了/我申请的 (done before), 新增的 (a modifier), 配置错误 (an error
# message) and 明明设置好了 (a setting said to be made) ask for nothing.
_REQUEST = re.compile(r"(?<!用章|用印|付款|出差|请假|报销|采购|加班|调休|费用|开票|离职|入职)申请(?![单表的]|提交|流程|也|都|页面|了|[\u4e00-\u9fff]{0,4}[0-9一二三四五六七八九十两几半]+(?:天|小时|周|个?月))|开通|新开|(?<![没未不])(?<!没有)(?:新增(?!的)|增加|添加)|(?<![没未被])(?<!没人)(?<!没有)(?:设置(?!错误|有误|错了|页|界面|了|好|过)|配置(?!错误|有误|异常|出错|错了|页|界面|了|好|过)|修改|更改|变更|重置)|权限|怎么设|如何设|怎么改|如何改|哪里改|在哪改|在哪里改|怎么导|如何导"
                      # How to do something ("怎么加家属", "在哪里取消"), not 怎么加载不出 / 怎么退出了 / 怎么用不了.
                      r"|(?:怎么|如何)(?:在[^，。,.!?！？；;\n]{1,6})?(?:加(?!载)|操作|弄(?!的)|办理|取消|退(?!出)|用(?!不)|使用|注销|删除|录入?|绑定|解绑|登记)"
                      r"|在哪(?:里|儿)?(?:取消|加|办理|操作|退|设|注销|删除|下载|导出|打印|申请|修改|改)|找不到(?:入口|在哪)|入口在哪"
                      r"|(?<!打)开[^，。,.!?！？；;\n]{0,6}(?:账号|帐号|賬號)")
# Asking the helpdesk to do something for oneself ("权限能不能给我开一下，看不到报表") is a request whatever
# symptom it describes.
_ASKS = re.compile(r"(?:帮我|给我|帮忙|麻烦|(?<!申)请)[^，。,.!?！？；;\n]{0,6}(?:开通|开一下|开下|开个|加上|加个|加一下|加下|设置|重置|改一下|改下|修改|删除|申请|解锁|解一下|解开)"
                   r"|(?:能不能|可不可以|能否|可否)[^，。,.!?！？；;\n]{0,4}(?:给|帮)[我他她]"
                   r"|找[^，。,.!?！？；;\n]{0,5}(?:开通|开吗|开\?|申请)")
# A guess at the cause ("是不是权限被改了") asks for nothing: it is left out when looking for a request or a
# question. Asking whether one must do something ("是不是要申请权限") is no guess.
_GUESS = re.compile(r"(?:(?:是不是|是否)(?!要|需要|得|应该|必须)|难道|会不会(?!要|需要|得)|可能是)[^，。,.!?！？；;\n]*[?？]*")
# A question about what a term means or how a figure is counted: its failure words are the term (工单超时,
# 异常订单), not something that broke. "这是什么情况" asks what broke, and stays a failure.
_DEFINITION = re.compile(r"口径|怎么算|如何算|怎么计算|如何计算|计算规则|统计规则|什么意思|(?<![这那])是什么(?!情况|原因|问题|鬼|毛病|错)")
# "能不能加一个…" asks for a feature: its 不能 is no failure, and asking for something added is a request.
# "就我这个项目数据多" / "别人都正常": the reporter says the failure is theirs alone.
_ALONE = re.compile(r"就我(?:一个|自己|这个|这边|们这个)?(?!们)|只有我|(?:别人|其他人)的?都?(?:正常|可以|没问题|能)")
# One household's, one item's or one person's own case: an address down to the unit ("6栋902"), "我这份合同",
# "有个件业主说没收到", "有张团购单", "一个业主的身份证号", "我应该有10天". Such a report may still be part of an
# outage, but timing alone never ties it to one. (Not "我的": menus are named so; not "有个问题".)
_ONE_CASE = re.compile(r"\d+\s*(?:栋|幢|号楼|座|单元)\s*\d+|(?<![0-9])\d{3,4}\s*(?:室|房)(?!间)|我这(?:份|张|笔|单|条)"
                       r"|有(?:一|1)?(?:个|件|笔|单|户|张|位|辆)(?:件|快递|包裹|订单|单子|工单|报修单|业主|住户|客户|账单|凭证|合同|同事|员工|车|月卡车)|有(?:一|1)(?:件|笔|单|户|辆)(?![0-9一二三四五六七八九十])"
                       r"|有(?:一|1)?(?:张|笔)[\u4e00-\u9fff]{0,3}(?:单|票|凭证|合同)"
                       r"|我(?:应该|本来|本应)(?:有|是)|我的[^，。,.]{0,8}(?:不对|错了|有误)"
                       r"|\d+\s*号(?:水泵|泵|电梯|梯|风机|闸|门|岗|机|设备|传感器)|一(?:个|张|笔|条|单)(?:商品|订单|合同|凭证|账单|图片)|一(?:个|位|户)(?:业主|住户|客户|员工|同事)的")
_ASKING = re.compile(r"能不能|可不可以|能否|可否")
# Any question: how to, where, whom to ask, how long, whether one may ("能换吗", "在哪里发起", "找谁", 點操作).
# "怎么回事" and "怎么搞的" ask what broke.
_QUESTION = re.compile(_ASKING.pattern + r"|请问|请教|咨询|(?<![没不])想(?!到|不|起|象|法)|(?:可以|能|会)[^，。,.!?！？；;\n]{0,12}吗|吗\s*[?？]|呢\s*[?？]|谁能|谁可以|哪位|有没有办法|有办法"
                       r"|在哪|哪里|哪个|哪些|多久|多长时间|什么时候|找谁|谁(?:批|负责|管|来|处理|收|接)|要不要|需要|安排|[?？]"
                       r"|(?:是不是|是否)(?:要|需要|得|应该|必须)|会不会(?:要|需要|得)"
                       r"|(?:怎么|如何|怎样)(?!回事|搞的|管的|会)")
# Telling that all is well again, or thanking for it.
_ALL_CLEAR = re.compile(r"(?<!有)没(?:有)?问题|没事了|恢复了|恢复正常|正常了|好了|可以了|解决了|谢谢|感谢|多谢")
_WISH = re.compile(r"(?:能不能|可不可以|能否|可否|希望|建议)[^，。,.!?！？；;\n]{0,6}(?:加|增|做|开发|支持)|扩容")
# Error codes and messages: HTTP statuses, numeric codes, exception and constant names.
# Codes glued to Chinese count ("页面404了"): only letters, digits and dots around one make it part of a word,
# and a unit after it makes it an amount or a count ("3000元", "500户").
# Read from the text before it is lower-cased: a constant name is upper case (ECONNRESET), and read
# case-blind every English word starting with "e" ("error", "export") would look like a code.
_CODES = re.compile(r"(?<![A-Za-z0-9.])(?:[45]0\d|\d{4,6})(?![A-Za-z0-9.]|\s*(?:元|块|蚊|万|户|人|位|个|份|次|件|张|台|辆|单|笔|平|米|楼|栋|号楼))|[A-Za-z]+(?:Exception|EXCEPTION|exception)|ERR_[A-Z_]+|(?<![A-Za-z])E[A-Z]{3,}\b")
_NOT_CODES = re.compile(r"^(?:19|20)\d\d$")  # a year
# The whole system down, whatever screen the reporter was on ("登录进去就是白屏", "点派单报系统繁忙", "挂了吗",
# "500"): reports of different functions that each say so are one outage.
_SYSTEM_DOWN = re.compile(r"挂了|崩了|宕机|瘫痪|系统繁忙|服务繁忙|服务器繁忙|开小差|进去(?:以?后)?(?:就)?(?:是)?(?:一片)?(?:白屏|空白)"
                          r"|(?:啥|什么)[\u4e00-\u9fff]{0,2}都(?:没有|打不开|用不了|进不去|做不了|做不到|点不了|点不动)|维护中|全都?(?:打不开|用不了)|都(?:打不开|用不了)"
                          r"|bad gateway|internal server error|service unavailable|gateway time-?out")
_EQUIPMENT = re.compile(r"打印机|复印机|扫描仪|投影|网线|路由器|卡纸|墨盒|硒鼓|碳粉"
                        # The building's own devices, which no system here runs.
                        r"|快递柜|可视对讲|对讲机|电话机|座机|充电桩|路灯|饮水机|摄像头|电梯|门铃|打卡机|遥控器|hdmi|监控画面|监控录像"
                        r"|空调(?!机组)|电脑(?:开不了机|开不开|蓝屏|黑屏|死机|好慢|很慢|太慢|好卡|很卡)|蓝屏|开不了机")
_LIFT_ACCESS = re.compile(r"刷卡|刷脸|梯控|门禁|权限")
# What the system said, as the reporter quotes it ("提示“手机号已存在”", "报存在未完成的调动单"): two reports on one
# system quoting one message are one problem, as with an error code. Generic words do not count: "保存失败" says
# no more than 失败 does. (报 is not 报修/报表/报销…)
_SAID = re.compile(r"(?:提示|报错|报(?![修表事名销价警])|弹出|弹窗|显示|(?:就|又|还|总|老|一直)说)[：:]?\s*(?:[“「『\"']([^”」』\"']{2,30})[”」』\"']|([^，。,.!?！？；;\s“「『\"']{2,20}))")
_GENERIC_SAID = re.compile(r"失败|错误|异常|请重试|请稍后再?试?|网络|系统|繁忙|超时|报错|error|fail|\s")
_REFUSAL = re.compile(r"失败|错误|不存在|不能|无法|不可|不允许|不足|为空|无效|失效|过期|denied|invalid|expired|not found")
# A limit one person or account reached ("提示空间不足收不了新邮件，能给扩容吗"): the system telling them so is no refusal.
_LIMIT = re.compile(r"(?:空间|容量|内存|存储|配额|额度|余额)(?:已满|满了|不足|不够)|超(?:出|过)(?:上限|限额|限制|配额)")
MESSAGE_LENGTH = 4  # characters left once the generic words are out
SAID_SCORE = 0.7
_DOWN_CODES = frozenset({"500", "502", "503", "504"})
# Words that say nothing about the problem, besides the segmenter's own stop words.
FILLERS = frozenset(
    "麻烦 请问 你好 您好 谢谢 帮忙 帮我 看一下 看下 一下 急急急 着急 尽快 处理 一直 现在 今天 早上 上午 下午 刚才 刚刚 业主 "
    "反映 反馈 我们 这边 那边 项目 小区 同事 老师 辛苦 怎么办 怎么回事 是不是 好像 感觉 还是 都 也 提示 显示 出现 一样 大家 "
    "所有人 好几个 半小时 分钟 小时 已经 试了 试过 重启 清缓存 换了 不行 没用 手机 电脑 app 系统 平台".split()
)


@dataclass(frozen=True)
class Signature:
    functions: frozenset[str]
    symptoms: frozenset[str]
    codes: frozenset[str]
    words: frozenset[str]
    failure: bool  # it names a failure, or tells what happened and asks nothing
    request: bool  # a request for a change (account, permission, setting), not a failure
    alone: bool = False  # the reporter says it happens only to them ("就我这个项目", "别人都正常")
    asks: bool = False  # asks the helpdesk to do something for the reporter ("帮我开通", "能不能给我开一下")
    definition: bool = False  # asks what a term means or how a figure is counted ("超时统计口径是什么")
    one_case: bool = False  # about one household's, item's or person's own case ("6栋902", "我这份合同", "3号水泵")
    system_down: bool = False  # says the whole system is down ("挂了", "系统繁忙", "进去就是白屏", 502)
    equipment: bool = False  # about office or building equipment ("打印机卡纸", "快递柜"): with no system named, the site's own problem
    named: bool = False  # it names the system it is read as or uses its own words
    messages: frozenset[str] = frozenset()  # what the system said, as quoted ("手机号已存在")
    text: str = ""  # as read (normalized, system names out): where another report's message is looked for

    @cached_property
    def groupable(self) -> bool:
        """Only a failure can be part of an outage; a change request never is, unless it quotes an error code
        or a symptom no request causes ("一直转圈，是不是权限没设置好" is an outage report with a guess). Nor is
        a failure its reporter says is theirs alone, or a question about what a term means."""
        # A question about how a figure is counted names its term, not a failure, unless it also says how
        # something fails ("签到点了没反应，考勤怎么算").
        if not self.failure or (self.definition and not self.specific_symptoms) or self.alone or self.asks:
            return False
        # A wrong figure someone asks how to correct ("显示的是去年的，哪里改") is their data, not an outage.
        return not self.request or bool(self.codes) or self.refused or bool(self.telling_symptoms - WRONG_RESULTS.keys())

    @cached_property
    def refused(self) -> bool:
        """Whether the system said no in words of its own ("提示 签名图片上传失败", "保存就说 班次不存在"): a failure
        even when the report also names a form (用章申请) or a setting (班次明明设置好了). Not a message that only
        shows data ("显示的是去年的") or a limit one person reached ("提示容量已满，能扩容吗")."""
        return any(_REFUSAL.search(m) and not _LIMIT.search(m) for m in self.messages)

    @cached_property
    def telling_symptoms(self) -> frozenset[str]:
        return self.symptoms - GENERIC_SYMPTOMS

    @cached_property
    def specific_symptoms(self) -> frozenset[str]:
        """How it fails, in a way that points to one function of some system (没声音, 闪退, 收不到, a wrong result)."""
        return self.telling_symptoms - COMMON_SYMPTOMS

    @cached_property
    def says_what_fails(self) -> bool:
        """Whether it tells which failure, not only that something fails: a function, an error code, a specific
        symptom (核销码失效) or what the system said ("报资源不足"). A bare "打不开" could be any system's outage."""
        return bool(self.functions or self.codes or self.specific_symptoms or self.messages)

    @cached_property
    def features(self) -> tuple[str, ...]:
        """What it names, tagged by kind. Two signatures that share none of these score 0 in same_problem."""
        return (*(f"f:{x}" for x in self.functions), *(f"s:{x}" for x in self.symptoms),
                *(f"c:{x}" for x in self.codes), *(f"w:{x}" for x in self.words))


def _patterns(lexicon: dict[str, tuple[str, ...]]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One search per kind instead of one substring test per word: the worker's pass reads thousands of reports.
    Each word is a regular expression (so far only 下单 needs more than its letters)."""
    return tuple((kind, re.compile("|".join(words))) for kind, words in lexicon.items())


_FUNCTION_PATTERNS, _SYMPTOM_PATTERNS = _patterns(FUNCTIONS), _patterns(SYMPTOMS)


def _kinds(text: str, patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> frozenset[str]:
    return frozenset(kind for kind, pattern in patterns if pattern.search(text))


# Written Cantonese, as 华南 staff type it ("付款單菜單唔見咗", "查唔到", "冇反應", "全部係0.01"), read as the
# Mandarin every pattern here is written in. Applied before traditional characters are folded: OpenCC turns
# 係 into 系. Multi-character words come first (唔該 thanks, 唔得 will not work). A fixed lexicon like FUNCTIONS,
# the same in every process.
_CANTONESE = {"唔該": "谢谢", "唔得": "不行", "唔使": "不用", "而家": "现在", "琴日": "昨天", "尋日": "昨天", "今日": "今天",
              "點解": "为什么", "边个": "谁", "邊個": "谁", "乜嘢": "什么", "唔": "不", "冇": "没", "咗": "了", "嘅": "的",
              "喺": "在", "啲": "些", "睇": "看", "俾": "给", "畀": "给", "佢": "他", "咁": "这样", "嘢": "东西", "係咪": "是不是",
              "開唔到": "打不开", "开唔到": "打不开", "唔啱": "不对", "啱": "对", "咩": "什么", "點樣": "怎么", "点样": "怎么", "邊度": "哪里",
              "边度": "哪里", "搵": "找", "仲": "还", "嗰": "那", "朝早": "早上", "係": "是", "點": "怎么"}
# Words read so only in some places: 係 not in 關係 (a relation), 點 only before a verb (點操作, not 一點半).
_CANTONESE_IN_CONTEXT = {"係": r"(?<![關关聯联])係", "點": r"點(?=操作|弄|搞|做|改|設|设|辦|办|用|開|开|加|取消)"}
_CANTONESE_WORDS = re.compile("|".join(_CANTONESE_IN_CONTEXT.get(word, word) for word in sorted(_CANTONESE, key=len, reverse=True)))


def _mandarin(text: str) -> str:
    return _CANTONESE_WORDS.sub(lambda m: _CANTONESE[m.group()], text)


def _is_equipment(norm: str) -> bool:
    """Office or building equipment, which no system here runs. A lift that will not take a card or a face to a
    floor (梯控) is access control, which a system runs, not the lift."""
    if _LIFT_ACCESS.search(norm):
        norm = norm.replace("电梯", " ")
    return bool(_EQUIPMENT.search(norm))


def signature(text: str, *, strip: Iterable[str] = (), own: Iterable[str] = (), tokens: Callable[[str], list[str]] | None = None) -> Signature:
    """Read one report. `strip` are the system's names and aliases (normalized), `own` the words only that system
    has (a report using one was not guessed at from everyday words, 会议室); `tokens` segments text."""
    written = text
    text = _mandarin(text)
    norm = normalize_text(text)
    named = False
    for term in strip:
        if term and term in norm:
            norm, named = norm.replace(term, " "), True
    named = named or bool(own and has_any(normalize_text(written), own))
    codes = frozenset(c.lower() for c in _CODES.findall(fold_traditional(unicodedata.normalize("NFKC", text))) if not _NOT_CODES.match(c))
    cut = tokens(norm) if tokens else re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]{2}", norm)
    words = frozenset(w for w in cut if w not in FILLERS and len(w) > 1)
    symptoms = _kinds(norm, _SYMPTOM_PATTERNS) | frozenset(kind for kind, pattern in WRONG_RESULTS.items() if pattern.search(norm))
    functions = _kinds(norm, _FUNCTION_PATTERNS)
    if _NO_ACCESS.search(norm):
        symptoms |= {"无权访问"}
    if "同步" in functions:
        # A sync that fails is data left as it was: "同步报错" and "下游系统没更新" are one symptom seen from two ends.
        symptoms |= {"数据陈旧"}
    one_case = bool(_ONE_CASE.search(norm))
    said = (quoted or plain for quoted, plain in _SAID.findall(norm))
    messages = frozenset(m for m in said if len(_GENERIC_SAID.sub("", m)) >= MESSAGE_LENGTH)
    # 502 in "3栋1单元502" is a flat, not a gateway.
    system_down = bool(_SYSTEM_DOWN.search(norm)) or (not codes.isdisjoint(_DOWN_CODES) and not one_case)
    guessless = _GUESS.sub(" ", norm)
    request = bool(_REQUEST.search(guessless)) or bool(_WISH.search(norm))
    asks = bool(_ASKS.search(norm))
    definition = bool(_DEFINITION.search(norm)) and not codes
    equipment = _is_equipment(norm)
    # Most reports of an outage tell only what people see ("公告发到别的小区去了", "学时还是0", "白纸只有抬头"),
    # in words no lexicon foresees; what sets an individual matter apart is that it asks for something. So a
    # report that asks nothing (no question, request or definition) and does not say all is well is read as a
    # failure, unless it is about office or building equipment, which is the site's own problem.
    failure = (bool(_FAILURE.search(_ASKING.sub(" ", norm))) or bool(_STUCK.search(norm)) or bool(codes) or bool(symptoms)
               or bool(_CONTRAST.search(norm)) or system_down
               or not (request or asks or definition or equipment or _QUESTION.search(guessless) or _ALL_CLEAR.search(norm)))
    return Signature(
        functions=functions,
        symptoms=symptoms,
        codes=codes,
        words=words,
        failure=failure,
        request=request,
        alone=bool(_ALONE.search(norm)),
        one_case=one_case,
        asks=asks,
        definition=definition,
        system_down=system_down,
        equipment=equipment,
        named=named,
        messages=messages,
        text=norm,
    )


LINK_SCORE = 0.35  # chosen on the dev clusters of fankui/incidents/tests/corpus.py (23/25 pairs linked, 1/51 near misses)


def same_problem(a: Signature, b: Signature) -> float:
    """How surely two reports on one system describe one problem, 0–1; ≥ LINK_SCORE links them."""
    # Written for speed (the worker's pass scores a report against hundreds): set tests, no new sets.
    if not (a.groupable and b.groupable):
        return 0.0
    if a.codes and not a.codes.isdisjoint(b.codes):
        return 1.0
    shared_function = not a.functions.isdisjoint(b.functions)
    down = _both_down(a, b)
    # Two reports about different functions ("缴费失败" / "上传图片失败") are different problems, however
    # alike the rest of their wording, unless each says the whole system is down.
    if a.functions and b.functions and not shared_function and not down:
        return 0.0
    shared_symptom = down or not a.telling_symptoms.isdisjoint(b.telling_symptoms)
    common = len(a.words & b.words)
    words = common / max(1, len(a.words) + len(b.words) - common)
    score = min(1.0, 0.35 * shared_function + 0.35 * shared_symptom + 0.6 * min(1.0, 2 * words))
    return max(score, SAID_SCORE) if (a.messages or b.messages) and _same_message(a, b) else score


def _same_message(a: Signature, b: Signature) -> bool:
    """Whether one quotes a message the other's text holds ("报“存在未完成的调动单”" / "提示“该员工存在未完成的调动单”")."""
    return any(m in b.text for m in a.messages) or any(m in a.text for m in b.messages)


def at_odds(a: Signature, b: Signature) -> bool:
    """Whether two reports cannot be one problem whatever else says so: a request or a non-failure among
    them, or each about a different function (unless each says the whole system is down)."""
    return not (a.groupable and b.groupable) or (different_functions(a, b) and not _both_down(a, b))


def _both_down(a: Signature, b: Signature) -> bool:
    """Whether each says the whole system is down: then the functions they name are only the screens they were on."""
    return a.system_down and b.system_down


# A step of every function, not a function of its own: "合同提交不了" is what an upload that fails leads to.
_STEPS = frozenset({"提交保存"})


def different_functions(a: Signature, b: Signature) -> bool:
    """Whether each names a function the other does not: one problem, unless a whole system fails at once."""
    mine, theirs = a.functions - _STEPS, b.functions - _STEPS
    return bool(mine and theirs and mine.isdisjoint(theirs))


def same_function_or_symptom(a: Signature, b: Signature) -> bool:
    """Whether two reports share a function (beyond a step every function has), a specific symptom, an error
    code or a message: more than a symptom every system shows ("点不了" beside "打不开")."""
    return (not (a.functions - _STEPS).isdisjoint(b.functions) or not a.specific_symptoms.isdisjoint(b.specific_symptoms)
            or not a.codes.isdisjoint(b.codes) or (bool(a.messages or b.messages) and _same_message(a, b)))


def empty_across_functions(a: Signature, b: Signature) -> bool:
    """Whether an empty result ("暂无" beside "一个都没打") is all two reports share, subject words included, while
    one names a function the other does not: any list or count can show nothing, so it does not say which."""
    if a.specific_symptoms & b.specific_symptoms != {_EMPTY} or same_subject(a, b):
        return False
    if not (a.functions - _STEPS).isdisjoint(b.functions) or not a.codes.isdisjoint(b.codes) or _same_message(a, b):
        return False
    return bool((a.functions ^ b.functions) - _STEPS)


def same_subject(a: Signature, b: Signature) -> bool:
    """Whether two reports share a word besides their failure words ("巡检" in both, not only "打不开")."""
    return any(not _FAILURE.search(word) for word in a.words & b.words)


def describe(signatures: Iterable[Signature]) -> str:
    """What several reports have in common, in words for the proposal ("登录 网络超时")."""
    sigs = list(signatures)
    if not sigs:
        return ""
    functions = set.intersection(*(set(s.functions) for s in sigs)) if all(s.functions for s in sigs) else set()
    symptoms = set.intersection(*(set(s.symptoms) for s in sigs)) - GENERIC_SYMPTOMS
    codes = set.intersection(*(set(s.codes) for s in sigs))
    # A message one of them quotes that all the others' texts hold ("提示“手机号已存在”").
    said = sorted({m for s in sigs for m in s.messages if all(m in other.text for other in sigs if other is not s)}, key=len)
    parts = sorted(functions) + sorted(symptoms) + [f"错误码 {c}" for c in sorted(codes)] + [f"提示“{m}”" for m in said[-1:]]
    if any(different_functions(a, b) for i, a in enumerate(sigs) for b in sigs[i + 1:]):
        # Grouped by their timing, not their wording: say that they are about different functions.
        named = sorted({f for s in sigs for f in s.functions})
        return "、".join([f"多项功能同时故障（{'、'.join(named)}）", *parts])
    return "、".join(parts) or "相似的故障"
