"""How one report is read (fankui.incidents.symptoms): pure, no database."""
from __future__ import annotations

import pytest

from fankui.incidents.symptoms import at_odds, describe, different_functions, same_problem, same_subject, signature
from fankui.routing.text import Segmenter


@pytest.mark.parametrize(("text", "kind"), [
    ("会员积分兑换一次，积分被扣了两次", "重复翻倍"),
    ("导出的月度汇总金额比实际多了一倍，是翻倍的", "重复翻倍"),
    ("电费账单打开显示的还是上个月的读数", "数据陈旧"),
    ("年报页面的数据一直没更新，停在9:30", "数据陈旧"),
    ("满减活动不生效，结算还是原价", "未生效"),
    ("新录的车牌被识别成外来车辆", "未生效"),
    ("付了款，订单还是显示待支付", "状态未变"),
    ("库存报表的数字全部为0", "结果为空"),
    ("查询客户列表，提示暂无数据", "结果为空"),
    ("今天的会员流水一条都没有", "结果为空"),
    ("小程序里我的订单显示的是别人的收货地址", "数据错乱"),
    ("缴费记录串户了，两户的账混在一起", "数据错乱"),
    ("收款人姓名跟合同上的不一致", "数据错乱"),
    ("点进去显示的是其他业主的房子", "数据错乱"),
])
def test_a_wrong_result_is_a_failure_even_without_failure_words(text: str, kind: str) -> None:
    read = signature(text)
    assert kind in read.symptoms
    assert read.groupable


def test_two_people_describing_the_same_wrong_result_differently_share_its_kind() -> None:
    first, second = signature("账单明细里同一笔出现两次"), signature("每笔都重复扣了，余额少了")
    assert "重复翻倍" in first.symptoms & second.symptoms
    assert same_problem(first, second) >= 0.35


def test_a_failed_sync_and_data_left_as_it_was_are_one_symptom() -> None:
    sync, stale = signature("人员同步报错，日志里全是失败"), signature("调整完组织架构，下游系统没更新，还是旧部门")
    assert "数据陈旧" in sync.symptoms & stale.symptoms
    assert same_problem(sync, stale) >= 0.35


@pytest.mark.parametrize(("text", "groupable"), [
    ("采购申请单提交以后流程走不动了", True),  # 申请单 is a document, not a request
    ("付款时提示商户配置错误，付不了", True),  # 配置错误 is what the screen says
    ("新增的客户同步不了", True),  # 新增的 describes the data
    ("能不能在首页加一个快捷入口", False),  # a wish for a feature; its 不能 is no failure
    ("邮箱空间满了，能扩容吗", False),
    ("工单超时的统计口径是什么", False),  # asks what a figure means
    ("这是什么情况，页面一直报错", True),  # asks what broke
])
def test_what_a_report_asks_for_decides_whether_it_can_be_part_of_an_outage(text: str, groupable: bool) -> None:
    assert signature(text).groupable is groupable


def test_only_upper_case_constant_names_are_read_as_error_codes() -> None:
    # Read case-blind, every English word starting with "e" ("error", "export") would be a shared code.
    assert signature("导出报 export error，请联系管理员").codes == frozenset()
    assert signature("连接报 ECONNREFUSED").codes == {"econnrefused"}
    assert signature("後台報 java.lang.IllegalStateException").codes == {"illegalstateexception"}


@pytest.mark.parametrize(("text", "alone"), [
    ("导出失败，就我这个项目数据多", True),
    ("登录报错，别人都正常", True),
    ("登录报错，我们全项目都不行", False),
])
def test_a_reporter_saying_it_happens_only_to_them_is_noted(text: str, alone: bool) -> None:
    assert signature(text).alone is alone


@pytest.mark.parametrize(("text", "kind"), [
    ("页面一片白，什么都没有", "打不开"),
    ("今天新建的档案在系统里查不到", "收不到"),  # data that should be there and is not
    ("收件箱从中午起就没有新邮件", "收不到"),
])
def test_missing_and_blank_pages_are_symptoms(text: str, kind: str) -> None:
    assert kind in signature(text).symptoms


def test_people_working_around_the_system_by_hand_report_a_failure() -> None:
    assert signature("岗亭这边先手工登记车牌放行了").groupable


def test_a_word_for_the_objects_involved_is_not_a_function_that_fails() -> None:
    # 查不到 says data is missing, not that search is broken; a bounce comes back on mail sent in as well.
    assert "搜索查询" not in signature("今天新建的档案在系统里查不到").functions
    assert "发邮件" not in signature("供应商的邮件被退信了").functions


@pytest.mark.parametrize("text", [
    "能不能帮我开一下合同模块的权限，菜单看不到",  # asks for something for the reporter
    "系统里我家的面积显示的还是旧的，在哪里改",  # a wrong figure of their own to correct
    "导出一直失败，只有我这样，别人都正常",  # theirs alone, by their own account
])
def test_reports_about_the_reporters_own_case_are_not_part_of_an_outage(text: str) -> None:
    assert not signature(text).groupable


@pytest.mark.parametrize("text", ["之前还好好的，今天还是之前那样打不开", "请了半天假，打卡记录都是12月的"])
def test_everyday_mentions_of_time_are_not_stale_data(text: str) -> None:
    assert "数据陈旧" not in signature(text).symptoms


def test_a_reporter_contrasting_what_they_see_with_what_should_be_reports_a_failure() -> None:
    assert signature("门店日报今天只剩一半门店，昨天都正常").groupable
    assert signature("这张单子明明审过了").groupable


def test_a_figure_that_is_not_zero_is_no_empty_result() -> None:
    assert "结果为空" not in signature("手续费显示0.5元，比上次多").symptoms


@pytest.mark.parametrize(("first", "second"), [
    ("月报导出报错", "报表导不出来，一直没反应"),
    ("考勤数据没同步过来", "打卡记录是空的"),
    ("计费跑不出来", "出账出不了"),
    ("扫码开门失败", "刷二维码开不了门"),  # a verb and its object split by 不了
])
def test_everyday_functions_worded_two_ways_are_one_function(first: str, second: str) -> None:
    assert signature(first).functions & signature(second).functions


@pytest.mark.parametrize(("text", "one_case"), [
    ("6栋902的预存款金额不对", True),
    ("我这份合同附件传不上去", True),
    ("EAS-HR 我的薪酬 打不开", False),  # a menu's name
    ("全部房间的账单都生成失败", False),
])
def test_a_report_about_one_households_or_documents_own_case_says_so(text: str, one_case: bool) -> None:
    assert signature(text).one_case is one_case


@pytest.mark.parametrize(("text", "groupable"), [
    ("打开合同附件提示无权限访问", True),
    ("今天早上开始大家都没有权限了，报表全看不了", True),
    ("审批单点开弹出您没有此流程的查看权限", True),
    ("我没有合同模块的查看权限，麻烦开通一下", False),
    ("实习生没有审批权限，找谁开通？", False),
])
def test_access_the_system_refuses_is_a_failure_and_ones_own_missing_access_a_request(text: str, groupable: bool) -> None:
    assert signature(text).groupable is groupable


def test_something_that_did_not_happen_asks_for_nothing() -> None:
    # 增加 names what the reporter expected, not a change they want.
    read = signature("充值以后余额没有增加")
    assert read.groupable and not read.request


def test_a_place_or_quota_shown_full_is_a_failure() -> None:
    assert signature("报名时提示已报满，其实没几个人报").groupable


def test_reports_that_each_say_the_whole_system_is_down_are_one_problem_whatever_screen() -> None:
    paying, logging_in = signature("缴费页面提示系统繁忙，请稍后再试"), signature("登录进去以后一片空白，啥都没有")
    assert paying.system_down and logging_in.system_down
    assert same_problem(paying, logging_in) >= 0.35 and not at_odds(paying, logging_in)
    assert not signature("3栋1单元502的业主绑定不上房产").system_down  # a flat, not a gateway
    # Failures of two functions that say nothing of the whole system stay apart.
    assert same_problem(signature("缴费失败"), signature("登录失败")) == 0.0


@pytest.mark.parametrize(("text", "symptom"), [
    ("收费页面唔見咗，今朝仲有", None),  # Cantonese: 不见了
    ("報表查唔到今日嘅數據", "收不到"),  # 查不到
    ("點提交冇反應", None),  # 没反应
    ("商品價格全部係0.01", "数据错乱"),  # 係 is 是 here, not 系
])
def test_written_cantonese_is_read_as_the_mandarin_it_says(text: str, symptom: str | None) -> None:
    read = signature(text)
    assert read.groupable
    assert symptom is None or symptom in read.symptoms


@pytest.mark.parametrize(("text", "symptom"), [
    ("扫一个件要等半分钟", "很慢"),
    ("系统巨慢，一上午录不了几单", "很慢"),
    ("工资条上实发是0", "结果为空"),
    ("对方发了三封，我这边一封没到", "结果为空"),
    ("保洁计划一个任务都没有", "结果为空"),
    ("项目下拉框全空", "结果为空"),
    ("物业费又扣了一次，之前那笔白交了？", "重复翻倍"),
    ("商品价格全变成一分钱了", "数据错乱"),
    ("月租车全变临时车了", "数据错乱"),
    ("系统里的取件码和短信里的不一样", "数据错乱"),
    ("所有机房温度都是-40℃", "数据错乱"),
    ("月租车被当临停收费", "未生效"),
    ("提示“当前用户没有该功能的权限”", "无权访问"),
    ("新增项目点保存没反应，转两下就回首页", "无响应"),
    ("开屏广告一过就退出", "闪退"),
    ("出口显示未找到入场记录", "收不到"),
    ("公众号报修了，到现在没人联系我", "收不到"),
    ("积分还是原来那个数", "数据陈旧"),
    ("下单两天了还是待发货", "状态未变"),
])
def test_effects_people_describe_instead_of_a_failure_word_are_symptoms(text: str, symptom: str) -> None:
    read = signature(text)
    assert symptom in read.symptoms and read.groupable


@pytest.mark.parametrize("text", [
    "滞纳金全算错了", "跟进记录丢了", "扫码提示点位不存在", "昨晚的日结任务没跑", "遥控不了新风机，要人手去开", "价格被改成这样，不是我们改的",
    "充值成功了但是钱包里没显示",
    "门都开着锁不住，后台显示常开，没人设置过",  # 没人设置过 asks for no setting
    "钱包有三千多，交物业费提示余额不足",
    "原本认证了的，今天显示访客",
    "成班業主話app開唔到，咩都做唔到",
    # An owner's complaint about what happened to them.
    "楼下单元门一直开着，谁都能进，物业怎么管的？",
    "我交了一年的月租，今天出去被收了8块钱？？",
    "出口说我没有入场记录，让我等了十分钟才放出去",
    # Shown as done while it is not.
    "读数全部唔啱",  # 不对
    "客服电话打不通",
    "平台一直在报警，实际温度正常",
    "显示已送达自提点，可是前台说没有",
    "银行没有流水，付款单状态却是成功",
    "显示开门成功，门根本没开",
    "驿站取完件了，系统里还是待取件",
    "订单列表停在早上十点，之后的单都没出",
    "预存款今天没有自动抵扣，账单还是欠费",
    "点进去说暂无待缴账单，可是天天发短信催我交",
    "新合同保存提示合同编号已存在",
    "老会员等级被重置了",  # something done to them, not a request
    "加班申请提交报错，找不到下一步处理人",  # 加班申请 names a form, it asks for nothing
    # Questions about a failure are still failures.
    "签到那里点了没反应，今天考勤怎么算？",
    "怎么加载不出来了", "怎么退出了，一打开就闪退", "怎么用不了了",
])
def test_effects_losses_and_complaints_worded_without_a_failure_word_are_failures(text: str) -> None:
    assert signature(text).groupable


@pytest.mark.parametrize("text", [
    "怎么加业主家属？找不到入口",
    "活动报名了去不了，在哪里取消",
    "買的東西壞了要退款，點樣弄",
    "我的账号看不到新楼栋，帮我加个权限",
    "门禁卡丢了一张，怎么在后台注销？",
    "app上怎么交物业费？找不到入口",
])
def test_asking_how_to_do_something_is_not_an_outage_report(text: str) -> None:
    assert not signature(text).groupable


def test_success_shown_with_no_problem_is_no_failure() -> None:
    assert not signature("提示成功了，没问题，谢谢").failure


def test_a_uniform_figure_is_wrong_data_but_a_flat_number_is_not() -> None:
    assert "数据错乱" in signature("售价全部是0.01").symptoms
    assert "数据错乱" not in signature("这几户都是2号楼的").symptoms


def test_a_unit_door_downstairs_is_no_order() -> None:
    assert "订单" not in signature("楼下单元门一直开着").functions
    assert "订单" in signature("小程序下单一直失败").functions


@pytest.mark.parametrize(("text", "one_case"), [
    ("有个件业主说没收到，系统显示已取", True),
    ("有一笔物业费扣了但没销账", True),
    ("年假天数不对，我应该有10天显示5天", True),
    ("我的年假天数不对，只显示5天", True),
    ("3号水泵的压力传感器坏了，已经报修", True),
    ("一个商品的图片传错了，换不了图", True),
    ("優選小程序有張團購單，業主話冇收到貨", True),
    ("BMS里一个业主的身份证号录错了，改不了", True),
    ("有个问题：今天所有人都登录不了", False),
])
def test_one_item_a_numbered_device_or_one_persons_own_figure_is_their_own_case(text: str, one_case: bool) -> None:
    assert signature(text).one_case is one_case


@pytest.mark.parametrize("text", ["打开就是“系统维护中”，没通知啊", "菜单全是灰的，什么都点不了"])
def test_maintenance_shown_to_everyone_or_nothing_clickable_is_the_whole_system_down(text: str) -> None:
    assert signature(text).system_down


@pytest.mark.parametrize(("text", "groupable"), [
    # Telling what one sees, with no failure word, is a report of something wrong.
    ("小区的停电通知推给了隔壁城市的业主", True),
    ("月报里各项目的客流数字一模一样", True),
    ("扫出来的价签是另一个商品的名字", True),
    ("上传的图片打开是一张灰图，是不是系统出问题了", True),  # a guess at the cause asks nothing
    ("明天新员工培训要用的课件下载不了", True),  # training is what it is for, not what it asks
    # Asking something (how, where, when, whom, whether one may) is not.
    ("请问巡检计划可以按周排吗", False),
    ("考勤表在哪里导出", False),
    ("这个月的对账单什么时候出", False),
    ("新同事的账号要找谁开", False),
    ("是不是要先认证才能看账单？", False),
    ("报修单能转给别的师傅吗？", False),
    ("月卡續費點操作", False),  # Cantonese: how does one do it
    ("新项目需要开一个巡检模块", False),
    ("员工手册在哪里下载？找不到", False),
    ("报销申请了两周还是审批中", True),  # applied before: it asks for nothing now
    ("我申请的放行条审核通过了，门口扫了说无效", True),  # what one applied for, not an application
    ("邮箱密码输错几次锁住了，麻烦帮忙解一下", False),
    # Saying all is well again, or about office equipment.
    ("已经恢复了，谢谢", False),
    ("前台那台投影仪今天不亮", False),
])
def test_a_report_that_asks_nothing_tells_of_something_wrong(text: str, groupable: bool) -> None:
    assert signature(text).groupable is groupable


@pytest.mark.parametrize("text", ["会议室的电视遥控器找不到了", "3栋电梯停在8楼不动了", "会议室空调不制冷", "HDMI线接上没信号", "電腦好慢，開個excel要一分鐘"])
def test_the_sites_own_devices_are_equipment(text: str) -> None:
    assert signature(text).equipment


def test_a_lift_stopped_on_a_floor_is_not_data_left_as_it_was() -> None:
    assert "数据陈旧" not in signature("3栋电梯停在8楼不动了").symptoms
    assert "数据陈旧" in signature("报表停在8:00就没再更新").symptoms


def test_withdrawals_that_never_arrive_are_one_function_however_worded() -> None:
    first, second = signature("商戶話提現三日都未到賬"), signature("好几个商家来问提现的钱没到")
    assert "提现" in first.functions & second.functions
    assert "收不到" in first.symptoms & second.symptoms


def test_submitting_is_a_step_of_every_function_not_a_function_of_its_own() -> None:
    upload, submit = signature("cmp合同附件上传不了，提示413"), signature("cmp传盖章扫描件一直失败，合同提交不了")
    assert not different_functions(upload, submit)
    assert different_functions(signature("合同附件上传不了"), signature("台账导出报错"))


def test_two_reports_quoting_one_message_of_the_system_are_one_problem() -> None:
    quoted = signature("离职单审批完了，离职结算提示“该员工存在未完成的调动单”，可他没调动过")
    plain = signature("今天所有离职都生效不了，报“存在未完成的调动单”，社保减员也做不了")
    other = signature("今天所有离职都生效不了，社保减员也做不了")
    assert "存在未完成的调动单" in plain.messages
    assert same_problem(quoted, plain) >= 0.7
    assert same_problem(quoted, other) < 0.7


@pytest.mark.parametrize("text", ["提交提示“保存失败”", "一直显示网络异常，请重试", "报修派单一直没人接"])
def test_a_generic_message_or_a_word_after_报_is_no_message(text: str) -> None:
    assert signature(text).messages == frozenset()


def test_less_than_there_should_be_is_missing_data_but_a_missed_item_is_not() -> None:
    assert "数据缺失" in signature("批量出账应出1860户，实际只有912户").symptoms
    assert "数据缺失" in signature("出帳唔齊，應收少咗成幾十萬").symptoms
    assert not signature("怎么给某个会员手动补积分？他上周的单子漏了").groupable


def test_recordings_are_a_function_of_their_own() -> None:
    lost, stuck = signature("会后找不到录制文件，显示0个"), signature("录屏完一直提示生成中，一个多小时了")
    assert "录制" in lost.functions & stuck.functions
    assert different_functions(lost, signature("开会的时候共享屏幕是黑的"))


def test_a_conflict_the_system_reports_makes_creating_an_account_a_failure() -> None:
    read = signature("saas开账号保存失败，手机号已存在，我用自己没注册过的号码试也一样")
    assert read.request and read.groupable
    assert not signature("帮新来的管家开个账号").groupable


@pytest.mark.parametrize("text", ["新供应商注册后收不到激活邮件，能不能手动帮他激活一下", "办公用品的供应商下周换，新的报价单谁收一下"])
def test_asking_someone_to_act_for_a_person_or_who_takes_a_document_is_no_outage_report(text: str) -> None:
    assert not signature(text).groupable


def test_the_proposal_quotes_the_message_the_reports_share() -> None:
    reports = [signature("SAAS后台新建账号，提示“手机号已存在”"), signature("新员工开账号一直报手机号已存在"), signature("加用户还是提示手机号已存在，报错代码 USER_40902")]
    assert "提示“手机号已存在”" in describe(reports)
    assert "提示" not in describe([signature("会议录制文件找不到了，显示0个"), signature("录屏以后一直生成中")])


@pytest.mark.parametrize("text", [
    "签名要重新设置，点提交就提示 签名图片上传失败",
    "公众号申请开票，填了抬头还说抬头不能为空",
])
def test_a_refusal_the_system_words_is_a_failure_even_beside_a_form_or_a_setting(text: str) -> None:
    read = signature(text)
    assert read.request and read.refused
    assert read.groupable


@pytest.mark.parametrize("text", [
    "我的邮箱提示容量已满，能扩容吗",
    "邮箱容量满了，提示空间不足收不了新邮件，能给扩容吗",  # a limit reached, though worded as what fails
    "报表里面积不对，显示的是去年的，哪里改",
    "申请开通报表权限",
])
def test_a_message_that_refuses_nothing_leaves_a_request_a_request(text: str) -> None:
    assert not signature(text).groupable


@pytest.mark.parametrize("text", ["制度文件点开都是 您没有权限查看，之前都能看", "知识库权限全没了？文件一个都看不了"])
def test_access_taken_away_is_a_symptom_not_a_request_for_access(text: str) -> None:
    read = signature(text)
    assert "无权访问" in read.symptoms and read.groupable


@pytest.mark.parametrize("text", ["巡检拍照一直提示没有相机权限，别人的都可以", "打卡打不上，其他人的都正常"])
def test_a_failure_others_do_not_have_is_the_reporters_alone(text: str) -> None:
    assert signature(text).alone


def test_asking_whether_something_will_be_needed_is_a_question_not_a_guess_at_a_cause() -> None:
    assert not signature("提示有新版本，更新了会不会要重新登录").groupable
    assert signature("登录一直转圈，会不会是服务器挂了").groupable


@pytest.mark.parametrize("text", [
    "登不上去了，急着交用章申请",
    "流程提交不了，试了用章申请和付款申请都是保存失败",
    "结算单费率是6%，截图：费率配置页还是0.6%",
])
def test_a_form_or_a_settings_page_named_in_a_failure_asks_for_nothing(text: str) -> None:
    read = signature(text)
    assert not read.request and not read.asks
    assert read.groupable


def test_call_recordings_that_will_not_play_share_the_recordings_function() -> None:
    a, b = signature("客服调通话录音，点播放没声音"), signature("录音文件全部放不出来，下载是0KB")
    assert "录制" in a.functions and "录制" in b.functions
    assert same_problem(a, b) >= 0.35


def test_a_quoted_message_says_which_failure_and_failure_words_are_no_subject() -> None:
    said = signature("订不了，一直报并发数已达上限")
    assert said.says_what_fails and not said.functions
    assert not signature("打不开了").says_what_fails
    cut = Segmenter([]).tokens
    assert not same_subject(signature("会议打不开", tokens=cut), signature("问卷打不开", tokens=cut))
    assert same_subject(signature("巡检提交了又变回未完成"), signature("巡检提交完列表里又是未巡检"))


@pytest.mark.parametrize("text", ["进电梯刷卡，按哪层都不亮，只能去一楼", "梯控全部失灵，刷脸进了电梯也按不了楼层", "电梯里刷卡就是不认，保安在轿厢里帮人按"])
def test_a_lift_that_refuses_a_card_is_access_control_not_the_buildings_lift(text: str) -> None:
    read = signature(text)
    assert not read.equipment and "门禁" in read.functions and read.groupable


@pytest.mark.parametrize("text", ["业主来拿回3000蚊按金，退不了", "500户的账单都没生成", "押金5000元退不出去"])
def test_an_amount_or_a_count_is_no_error_code(text: str) -> None:
    read = signature(text)
    assert not read.codes and not read.system_down


def test_shown_as_paid_and_then_dunned_is_a_failure_though_it_ends_in_a_question() -> None:
    assert signature("用钱包交了物业费，显示支付成功，结果又收到催缴短信，要交两次吗？").groupable


@pytest.mark.parametrize(("function", "texts"), [
    ("抽奖", ("抽奖每个人都抽中一等奖，奖品才30份", "我抽中了一等奖电饭煲，前台说兑不了")),
    ("告警", ("楼控告警点确认没反应，中控室一直在响", "中控室報警處理唔到，撳確認話 error 500")),
    ("退款", ("退款提示 REFUND_CHANNEL_ERR 渠道异常", "多收的停车费原路退回一直失败")),
])
def test_a_lottery_an_alarm_and_a_refund_are_functions_of_their_own(function: str, texts: tuple[str, str]) -> None:
    first, second = (signature(text) for text in texts)
    assert function in first.functions and function in second.functions


def test_a_refund_is_not_a_payment() -> None:
    assert different_functions(signature("业主退款一直失败"), signature("业主缴费一直失败"))


@pytest.mark.parametrize("text", [
    "前台挤满来兑奖的业主，都说中了一等奖，概率明明设置了1%",
    "排班录入保存就说 班次不存在，可班次明明设置好了",
])
def test_a_setting_said_to_be_made_asks_for_nothing(text: str) -> None:
    read = signature(text)
    assert not read.request and read.groupable


@pytest.mark.parametrize("text", [
    "一应智能打开就弹“当前版本过低，请升级至最新版本后使用”，市场里还是旧版本",
    "安卓机都进不去那个工作的软件了，一直让更新，更新完还是让更新",
])
def test_an_app_that_refuses_its_own_version_is_a_symptom_of_its_own(text: str) -> None:
    read = signature(text)
    assert "版本过低" in read.symptoms and read.groupable


def test_asking_how_to_update_an_app_is_no_failure() -> None:
    assert not signature("一应智能APP怎么升级到最新版？").groupable


def test_a_barrier_that_will_not_lift_is_the_barrier_function() -> None:
    assert "道闸" in signature("出口杆不抬，保安在电脑上点了半天说抬不了").functions


def test_no_permission_on_every_click_is_access_refused() -> None:
    assert "无权访问" in signature("物业云进去什么都点不了 一点就没有权限").symptoms
