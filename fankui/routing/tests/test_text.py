"""The pure text rules: no database, plain strings."""
from __future__ import annotations

from fankui.routing.text import (
    Lexicon,
    Mention,
    SystemTerms,
    TopicTerms,
    abstention_rule,
    faq_rule,
    find_mentions,
    is_generic,
    model_text,
    normalize_text,
    pick_mention,
    rule_text,
    service_complaint,
    with_pinyin,
)

LEXICON = Lexicon(
    (
        SystemTerms("金蝶EAS", ("金蝶eas", "eas", "金蝶")),
        SystemTerms("EAS-HR", ("eas-hr", "eas hr")),
        SystemTerms("一应生活APP", ("一应生活app", "一应生活")),
        SystemTerms("一应生活微信公众号", ("一应生活微信公众号", "一应生活公众号")),
        SystemTerms("太川门禁", ("太川门禁", "门禁"), hints=("刷卡", "开门"), everyday=("门禁",)),
        SystemTerms("一应驿站", ("一应驿站", "驿站")),
        SystemTerms("进销存", ("进销存",)),
        SystemTerms("主数据平台", ("主数据平台", "主数据")),
        SystemTerms("CSS", ("css",)),
    )
)


def mentions(text: str) -> list[Mention]:
    return find_mentions(normalize_text(text), LEXICON.systems)


def test_it_folds_full_width_case_and_traditional_characters() -> None:
    assert normalize_text("ＥＡＳ 憑證過帳") == "eas 凭证过帐"
    assert normalize_text("一應之家　登錄不上") == "一应之家 登录不上"


def test_longest_alias_wins_and_does_not_overlap() -> None:
    assert [m.system for m in mentions("EAS-HR 调岗审批发不起来")] == ["EAS-HR"]
    assert [m.system for m in mentions("一应生活公众号菜单没了")] == ["一应生活微信公众号"]


def test_latin_alias_must_stand_alone() -> None:
    assert mentions("cssx 样式") == []
    assert [m.system for m in mentions("在CSS里派单")] == ["CSS"]


def test_a_host_app_yields_to_the_system_it_hosts() -> None:
    text = normalize_text("一应生活app里的门禁开不了")
    chosen, _ = pick_mention(text, mentions(text))
    assert chosen.system == "太川门禁"


def test_whose_system_is_only_a_modifier() -> None:
    text = normalize_text("驿站用的进销存改不了价格")
    chosen, why = pick_mention(text, mentions(text))
    assert chosen.system == "进销存"
    assert "修饰" in why


def test_uv_goes_to_its_topic_even_when_the_app_is_named() -> None:
    text = normalize_text("一应生活的UV怎么突然少了")
    rule = faq_rule(text, mentions(text))
    assert rule is not None and rule.faq == "uv_stats" and rule.topic == "UV数统计"


def test_survey_rules_pick_the_topic_person() -> None:
    valid = faq_rule(normalize_text("满意度问卷无效的是怎么判定的"), [])
    permission = faq_rule(normalize_text("后台要开通设置满意度链接的权限"), [])
    link = faq_rule(normalize_text("满意度链接前面有空格打不开"), [])
    assert valid is not None and valid.topic == "满意度调查有效数据"
    assert permission is not None and permission.topic == "满意度链接设置权限"
    assert link is not None and link.faq == "survey_link" and link.topic is None


def test_visitor_checklist_and_binding_a_public_account_differ() -> None:
    assert faq_rule(normalize_text("绑了房还是显示访客"), []) is not None
    text = normalize_text("一应生活公众号绑定房屋提示信息不符")
    assert faq_rule(text, mentions(text)) is None


def test_crash_keeps_the_named_app_but_not_another_system() -> None:
    text = normalize_text("一应生活一打开就闪退")
    rule = faq_rule(text, mentions(text))
    assert rule is not None and rule.faq == "app_version_crash" and rule.keep_system
    text = normalize_text("金蝶客户端闪退")
    assert faq_rule(text, mentions(text)) is None


def test_feedback_channel_even_when_the_hosting_page_is_named() -> None:
    text = normalize_text("CSS右上角的问题反馈在哪里看回复")
    rule = faq_rule(text, mentions(text))
    assert rule is not None and rule.faq == "feedback_channel"


def test_it_abstains_on_billing_without_which_one() -> None:
    assert abstention_rule(normalize_text("收费云出不了账单"), []) is not None
    assert abstention_rule(normalize_text("自用的收费云出不了账单"), []) is None


def test_a_bare_billing_system_beside_another_system_is_still_undecidable() -> None:
    # README: 收费云/收费系统 without 自用 or 新版 is ambiguous, wherever it stands in the text.
    text = normalize_text("主数据里新加的楼栋，收费系统那边同步不到")
    assert abstention_rule(text, mentions(text)) is not None


def test_it_abstains_on_an_unnamed_public_account() -> None:
    assert abstention_rule(normalize_text("公众号交不了费"), []) is not None


def test_it_abstains_when_two_systems_both_fail() -> None:
    text = normalize_text("CSS和主数据都打不开")
    assert abstention_rule(text, mentions(text)) is not None
    text = normalize_text("收费云跟主数据都报502")
    assert abstention_rule(text, mentions(text)) is not None


def test_model_text_drops_politeness_and_numbers() -> None:
    assert model_text("麻烦帮忙看下，单号12345，谢谢！") == "看下 单号0"


def test_generic_ngrams() -> None:
    assert is_generic("app") and is_generic("不上") and not is_generic("询价")


# --- brackets and quotes are folded away before the rules ---------------------------------------


def test_rule_text_strips_brackets_and_quotes_but_keeps_clauses() -> None:
    assert rule_text("身份一直是「游客」，怎么办") == "身份一直是游客,怎么办"  # NFKC folds ，
    assert rule_text("提示：《访客》") == "提示访客"
    assert rule_text("app(css)") == "app css"  # Latin words stay apart
    assert rule_text("報“系統錯誤”") == "报系统错误"


def test_visitor_checklist_sees_through_brackets_and_labels() -> None:
    for raw in ("房子绑好了可首页还是〖访客〗", "认证完成了，身份：游客", "显示的是“访客”状态"):
        text = rule_text(raw)
        rule = faq_rule(text, find_mentions(text, LEXICON.systems))
        assert rule is not None and rule.faq == "binding_visitor", raw


# --- two systems, fault unclear --------------------------------------------------------------


def test_it_abstains_when_two_systems_disagree_or_one_feeds_the_other() -> None:
    for raw in (
        "进销存和主数据的商品编码不一致",
        "CSS的工单数量跟主数据里的项目对不上",
        "主数据推送到CSS的房号少了一栋",
        "EAS里的数据和CSS里有差异，不知道以哪个为准",
        "CSS那边说是主数据的问题，主数据说是CSS的，搞不清是哪边的问题",
    ):
        text = rule_text(raw)
        assert abstention_rule(text, mentions(text)) is not None, raw


def test_one_system_disagreeing_with_itself_is_not_ambiguous() -> None:
    for raw in ("金蝶EAS的凭证和总账余额对不上", "主数据平台楼栋数量跟实际不一致", "驿站用的进销存库存对不上"):
        text = rule_text(raw)
        assert abstention_rule(text, mentions(text)) is None, raw


def test_it_abstains_on_accounts_across_many_systems() -> None:
    for raw in ("新来的同事，各个系统的权限怎么开", "实习生要用哪些系统？账号找谁要", "系统账号都去哪开"):
        assert abstention_rule(rule_text(raw), []) is not None, raw
    text = rule_text("CSS账号各系统都一样吗")
    assert abstention_rule(text, mentions(text)) is None  # a named system decides


# --- service complaints next to an everyday alias ---------------------------------------------------


DOOR = LEXICON.systems[4]


def test_a_service_complaint_next_to_an_everyday_alias_is_not_it() -> None:
    for raw in ("门禁口的门卫态度很差", "门禁那里垃圾堆了三天没人清", "门禁外面装修噪音太吵了"):
        assert service_complaint(rule_text(raw), DOOR), raw


def test_a_fault_or_the_system_business_wins_over_complaint_words() -> None:
    for raw in ("门禁坏了，保安也不管", "保安说门禁系统离线了", "门禁刷卡进不去，物业费都交了"):
        assert service_complaint(rule_text(raw), DOOR) == (), raw


def test_shared_business_words_are_known() -> None:
    lexicon = Lexicon(
        (
            SystemTerms("EAS-HR", ("ehr",), hints=("入职", "工资条")),
            SystemTerms("金蝶EAS", ("eas",), hints=("凭证",), topics=(TopicTerms("账号", ("入职", "开账号")),)),
        )
    )
    assert "入职" in lexicon.shared_words
    assert "工资条" not in lexicon.shared_words and "凭证" not in lexicon.shared_words


def test_loose_spellings_of_names_are_mentions() -> None:
    typo = mentions("住数据平台组织调整后项目挂错了")
    assert [(m.system, m.term, m.meant) for m in typo] == [("主数据平台", "住数据平台", "主数据平台")]
    assert [m.system for m in mentions("一应生活的公众号打不开")] == ["一应生活微信公众号"]
    assert [m.meant for m in mentions("金蝶报销")] == [""]  # an exact name is not loose


def test_loose_spellings_leave_everyday_words_and_rare_readings_alone() -> None:
    lexicon = (SystemTerms("一应驿站", ("驿站",), everyday=("驿站",)), SystemTerms("微服务平台", ("微服务",)))
    assert find_mentions("一站式服务", lexicon) == []  # 一站 is not a typo of the everyday 驿站
    assert find_mentions("有服务商来报价", lexicon) == []  # 有 reads wei only in classical texts


def test_a_comparison_that_says_which_side_is_wrong_is_not_ambiguous() -> None:
    text = rule_text("CSS上显示32户，主数据显示30户，主数据的是准的")
    assert abstention_rule(text, mentions(text)) is None
    assert pick_mention(text, mentions(text))[0].system == "CSS"


def test_names_spelled_in_pinyin_are_names_and_initials_of_business_words_hints() -> None:
    systems = with_pinyin((
        SystemTerms("一应智能APP", ("一应智能app", "一应智能", "智能app")),
        SystemTerms("KM", ("km",), hints=("知识库",)),
        SystemTerms("格美特停车系统", ("格美特",)),  # gmt: a time zone in error messages
        SystemTerms("甲", ("一应商户",)),  # yysh, as 一应生活 below: neither gets it
        SystemTerms("乙", ("一应生活",)),
        SystemTerms("丙", ("悦帮",)),  # two letters are too many other things
    ))
    by_name = {s.name: s for s in systems}
    assert "yyzn" in by_name["一应智能APP"].aliases
    assert "zsk" in by_name["KM"].hints and "zsk" not in by_name["KM"].aliases
    assert "gmt" not in by_name["格美特停车系统"].aliases
    assert "yysh" not in by_name["甲"].aliases + by_name["乙"].aliases
    assert by_name["丙"].aliases == ("悦帮", "yuebang")  # spelled whole, but yb is too many other things
    assert {"zhinengapp", "zhineng app"} <= set(by_name["一应智能APP"].aliases)
    assert "zhishiku" not in by_name["KM"].hints  # a hint's spelling would outweigh the word
    assert [m.system for m in find_mentions("yyzn的工单打不开", systems)] == ["一应智能APP"]
    assert find_mentions("yyznx", systems) == []  # only a whole word
    assert [m.system for m in find_mentions("zhineng app 闪退了", systems)] == ["一应智能APP"]
