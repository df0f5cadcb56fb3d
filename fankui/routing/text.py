"""Pure text logic for routing: normalisation, term matching and the guide's rules.

Nothing here touches the database: `services` builds a `Lexicon` from the directory and hands it in,
so every rule can be tested with plain strings. The rules encode the labelling conventions in
/work/shared/eval/README.md (the guide's finest-grained contact, FAQ-only items, when to abstain).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import opencc
from pypinyin import Style, pinyin

from fankui.directory.selectors import find_term, normalize, standalone_pattern

# Traditional → simplified with OpenCC's t2s table (reports typed on Hong Kong/Taiwan phones or with a
# 繁體 input method: 悅幫 登錄後一直轉圈). Converting costs microseconds; the converter is immutable.
_T2S = opencc.OpenCC("t2s")

_SPACES = re.compile(r"\s+")


def fold_traditional(text: str) -> str:
    """Map traditional characters to simplified ones (一應之家 → 一应之家)."""
    return _T2S.convert(text)


def normalize_text(text: str) -> str:
    """NFKC, lower case, simplified characters, single spaces: the one form every rule sees."""
    return _SPACES.sub(" ", fold_traditional(normalize(text)))


# Brackets, quotes, colons and decoration wrap or label a word ("还是【访客】", "报“token失效”", "身份：访客");
# they never separate clauses, so the rules see the words they wrap as if typed plainly. Clause punctuation
# (，。！？) stays: several rules look for words within one clause.
_WRAPPERS = re.compile(r"\s*[\[\]()<>{}【】〖〗「」『』《》〈〉“”‘’\"'`*#~:|]+\s*")


def _unwrap(match: re.Match[str]) -> str:
    before = match.string[match.start() - 1] if match.start() else ""
    after = match.string[match.end()] if match.end() < len(match.string) else ""
    # Two Latin words or numbers must stay apart ("app(css)"), everything else closes up.
    keep_apart = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
    return " " if keep_apart else ""


def rule_text(text: str) -> str:
    """The form the rules and the router see: `normalize_text` with brackets and quotes folded away."""
    return _WRAPPERS.sub(_unwrap, normalize_text(text)).strip()


def has_any(text: str, terms: Iterable[str]) -> list[str]:
    """The terms that occur in `text` (Latin terms only as whole words, as `find_term` does)."""
    return [term for term in terms if find_term(text, term) >= 0]


# --------------------------------------------------------------------------------------------
# The lexicon: what the router knows about the directory, as plain data.


@dataclass(frozen=True)
class TopicTerms:
    """A responsibility of a system (金蝶EAS/账号、组织、权限) and the words that point at it."""

    topic: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class SystemTerms:
    """A system's names: `aliases` identify it on their own; `hints` only point towards it."""

    name: str
    aliases: tuple[str, ...]
    hints: tuple[str, ...] = ()
    topics: tuple[TopicTerms, ...] = ()
    # Aliases that are also everyday words (停车, 门禁, 钱包): only these may be vetoed as "not an IT
    # problem". Product names (云屋, 悦帮, 金蝶) never are.
    everyday: tuple[str, ...] = ()

    def vocabulary(self) -> set[str]:
        """Hints and topic keywords: the words of the system's daily business."""
        return {*self.hints, *(word for topic in self.topics for word in topic.keywords)}


@dataclass(frozen=True)
class Lexicon:
    systems: tuple[SystemTerms, ...]

    @cached_property
    def shared_words(self) -> frozenset[str]:
        """Business words that belong to more than one system (入职 is EAS-HR's and 金蝶EAS's): a hint
        resting only on these does not say which system."""
        seen: dict[str, set[str]] = {}
        for system in self.systems:
            for word in system.vocabulary():
                seen.setdefault(word, set()).add(system.name)
        return frozenset(word for word, owners in seen.items() if len(owners) > 1)

    @cached_property
    def own_words(self) -> dict[str, tuple[str, ...]]:
        """Per system, the words a report uses when it means that system, not ones the router guesses it from:
        its aliases (yyzn), a name it shares with one other system (收费云, SHARED_NAMES) and its business words
        no other system has (请假单)."""
        return {system.name: tuple({*system.aliases, *SHARED_NAMES.get(system.name, ()),
                                    *(word for word in system.vocabulary() if word not in self.shared_words)})
                for system in self.systems}

    def words(self) -> set[str]:
        """Every name, alias and keyword: the segmenter's custom dictionary."""
        found: set[str] = set()
        for system in self.systems:
            found.update(system.aliases)
            found.update(system.hints)
            for topic in system.topics:
                found.update(topic.keywords)
        return {word for word in found if len(word) > 1}


@dataclass(frozen=True)
class Mention:
    system: str
    term: str
    start: int
    end: int
    # The name meant when `term` is a loose spelling of it (金碟 → 金蝶), else "".
    meant: str = ""


def find_mentions(text: str, systems: Sequence[SystemTerms]) -> list[Mention]:
    """Every system named in `text`, longest alias first, without overlaps, in text order.

    Longest-first is why 一应生活公众号 is the public account and not the app, and EAS-HR not EAS.
    """
    hits: list[Mention] = []
    for system in systems:
        for term in system.aliases:
            for at in _occurrences(text, term):
                hits.append(Mention(system.name, term, at, at + len(term)))
    hits.extend(_loose_mentions(text, systems))
    # Longest first; at equal length an exact name before a loose spelling.
    hits.sort(key=lambda m: (-(m.end - m.start), bool(m.meant), m.start))
    taken: list[Mention] = []
    for hit in hits:
        if all(hit.end <= other.start or hit.start >= other.end for other in taken):
            taken.append(hit)
    return sorted(taken, key=lambda m: m.start)


def _loose_mentions(text: str, systems: Sequence[SystemTerms]) -> Iterable[Mention]:
    """Names written loosely: one character typed as a homophone by the input method (金碟 for 金蝶,
    住数据平台 for 主数据平台) or a possessive 的 inside a compound name (一应生活的公众号).

    Only Chinese names that are not everyday words: 一站 is not a typo of 驿站, 挺车 is not 停车.
    A loose spelling only wins over an overlapping exact name that is shorter (一应生活的公众号 over 一应生活)."""
    present = set(text)
    for system in systems:
        for alias in system.aliases:
            # At most one character of a loose spelling differs from the name: skip names that cannot fit.
            if len(alias) < 2 or len(set(alias) - present) > 1:
                continue
            if not all("\u4e00" <= ch <= "\u9fff" for ch in alias) or alias in system.everyday:
                continue
            for i, wanted in enumerate(alias):
                before, after = alias[:i], alias[i + 1 :]
                for at in _occurrences(text, before) if before else (s - 1 for s in _occurrences(text, after)):
                    typed, end = text[at + len(before) : at + len(before) + 1], at + len(alias)
                    if at < 0 or not typed or typed == wanted or not text.startswith(after, end - len(after)):
                        continue
                    if "\u4e00" <= typed <= "\u9fff" and _reading(typed) == _reading(wanted):
                        yield Mention(system.name, text[at:end], at, end, meant=alias)
            for i in range(2, len(alias) - 1) if len(alias) >= 4 else ():
                spelled = f"{alias[:i]}的{alias[i:]}"
                for at in _occurrences(text, spelled):
                    yield Mention(system.name, spelled, at, at + len(spelled), meant=alias)


_ABBREVIATIONS = frozenset(
    "gmt utc pdf sms dns vpn api cdn sql xml ssl ftp ssh usb gps pos cpu ocr jpg png gif bmp ppt xls doc txt zip rar exe "
    "dll jar php jsp asp sdk ios otp pin".split()
)


def with_pinyin(systems: Sequence[SystemTerms]) -> tuple[SystemTerms, ...]:
    """Each system with its Chinese names spelled in pinyin as names too, and the initials of its business words as
    hints: staff type zsk for 知识库, yyzn for 一应智能 and yunwu for 云屋 when their phone's input method is not at hand.

    Initials only of three letters or more (two letters are too many other things). Whole spellings only of
    names (a hint's weight is its length, and a spelling is three times as long as its word), of five letters or
    more, the Chinese part of a mixed name spelled as one word or apart ("zhineng app" for 智能app).
    None that two systems' different words share or that is already another system's name, and none that is a
    computing abbreviation (gmt in an error message is no 格美特)."""
    spelled: dict[str, set[str]] = {}
    for system in systems:
        for words, whole in ((system.aliases, True), (system.hints, False)):
            for word in words:
                for letters in _spellings(word, whole=whole):
                    spelled.setdefault(letters, set()).add(word)
    names = {alias for system in systems for alias in system.aliases if alias.isascii()}
    unique = {letters for letters, words in spelled.items() if len(words) == 1 and letters not in names | _ABBREVIATIONS}

    def added(words: tuple[str, ...], *, whole: bool) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*words, *(letters for w in words for letters in _spellings(w, whole=whole) if letters in unique)]))

    return tuple(replace(system, aliases=added(system.aliases, whole=True), hints=added(system.hints, whole=False)) for system in systems)


def _spellings(word: str, *, whole: bool) -> list[str]:
    """How a word is typed in pinyin: its initials (知识库: zsk) and, if `whole`, its syllables (云屋: yunwu)."""
    match = re.fullmatch(r"([\u4e00-\u9fff]{2,})([a-z0-9]*)", word)
    if not match:
        return []
    chinese, rest = match.groups()
    syllables = [_reading(ch) for ch in chinese]
    if not all(syllable.isascii() for syllable in syllables):  # a character pypinyin cannot read comes back as itself
        return []
    found = []
    if not rest and len(chinese) >= 3:
        found.append("".join(syllable[0] for syllable in syllables))
    if whole and len(spelled := "".join(syllables)) >= 5:
        found += [f"{spelled}{rest}", f"{spelled} {rest}"] if rest else [spelled]
    return found


@lru_cache(maxsize=8192)
def _reading(char: str) -> str:
    """A character's usual toneless pinyin: the syllable an input method was given. Rare readings
    (有 as wei) would make unrelated words "homophones"."""
    return pinyin(char, style=Style.NORMAL)[0][0]


def _occurrences(text: str, term: str) -> Iterable[int]:
    start = text.find(term) if term else -1
    if start >= 0 and term.isascii():
        for match in standalone_pattern(term).finditer(text, start):
            yield match.start()
        return
    while start >= 0:
        yield start
        start = text.find(term, start + 1)


def hint_scores(text: str, systems: Sequence[SystemTerms]) -> dict[str, tuple[int, list[str]]]:
    """Per system, the summed length of its hint words found in the text, and the words."""
    scores: dict[str, tuple[int, list[str]]] = {}
    for system in systems:
        found = has_any(text, system.hints)
        # A hint inside a longer hint of the same system counts once (凭证 in 记账凭证).
        found = [word for word in found if not any(word != other and word in other for other in found)]
        if found:
            scores[system.name] = (sum(len(word) for word in found), found)
    return scores


# --------------------------------------------------------------------------------------------
# The guide's FAQ and topic rules.

# Apps that host other systems' pages: "一应生活app里的门禁开门" is about 门禁, not the app.
CONTAINER_SYSTEMS = frozenset({"一应生活APP", "一应智能APP", "一应生活微信公众号"})
OWNERS_APP = "一应生活APP"  # what a bare "app" most likely means (staff call theirs 智能app/管家app)
APP_SYSTEMS = frozenset({OWNERS_APP, "一应智能APP"})

_UV = ("uv", "uv数", "访问量", "日活", "月活", "访客量")
_SURVEY = ("满意度", "问卷", "测评")
_SURVEY_VALID = ("有效", "无效", "样本", "回收", "份数", "几份", "重复作答", "答了")
_SURVEY_PERMISSION = ("权限", "开通")
_SURVEY_SETTING = ("设置", "菜单", "入口", "上传问卷", "配置")
_SURVEY_MISSING = ("找不到", "没有", "看不到", "不显示", "没看到")
_SURVEY_LINK = ("链接", "哪个", "哪一个", "空格", "过期", "ppt", "网址", "问卷星", "wjx", "地址", "用哪")
_BINDING = re.compile(r"(显示|还是|变成|成了|是|为|身份)(访客|游客)|(访客|游客)(身份|状态)|仅限业主|只有业主")
# Binding a property only points at the checklist when the survey is what fails; "公众号绑定房屋失败"
# is a fault of the public account.
_BINDING_WEAK = re.compile(r"绑(定|了|好)[^，。,.!?！？]{0,6}(房|产)|房产[^，。,.!?！？]{0,4}绑")
_GROUP_BUY = ("联盟购", "社商订单退款")
_CRASH = ("闪退", "崩溃", "自动退出", "一打开就退")
_VERSION = ("最新版", "新版本", "旧版本", "老版本", "哪下载", "去哪下", "下载地址", "应用商店", "应用市场", "appstore", "app store")
_APP_WORDS = ("app", "手机", "安卓", "苹果", "iphone", "华为", "小米", "oppo", "vivo", "荣耀")
_FEEDBACK_ACT = (
    "反馈", "反应问题", "反映问题", "提建议", "建议", "报故障", "提交问题", "报问题", "报bug", "提bug", "bug",
    "故障", "问题提交", "提问题", "联系客服", "找客服", "客服电话",
)
_FEEDBACK_ASK = (
    "哪里", "哪儿", "在哪", "从哪", "怎么", "如何", "入口", "渠道", "找谁", "联系谁", "先找", "多久", "回复",
    "截图", "还是", "统一", "哪个部门", "谁处理", "流程是", "能不能", "可以吗", "吗",
)
_FEEDBACK_PLACE = ("右上角", "我的-反馈", "我的反馈", "问题反馈", "意见反馈")


@dataclass(frozen=True)
class FaqRule:
    """A rule of the guide's 常见问题 that decided the report."""

    faq: str
    topic: str | None  # a standalone responsibility (UV数统计 → 李佳文), or None for FAQ-only items
    keep_system: bool  # app crashes keep the named app as the system
    words: tuple[str, ...]
    rule: str


def faq_rule(text: str, mentions: Sequence[Mention]) -> FaqRule | None:
    """The 常见问题 the report is about, by the guide's conventions, or None."""
    named = {m.system for m in mentions}
    if words := has_any(text, _UV):
        # UV statistics go to 李佳文 even when the text names 一应生活.
        return FaqRule("uv_stats", "UV数统计", False, tuple(words), "UV数统计由物业运营部负责")
    survey = has_any(text, _SURVEY)
    if survey and (valid := has_any(text, _SURVEY_VALID)):
        return FaqRule("survey_link", "满意度调查有效数据", False, (*survey, *valid), "满意度调查有效数据问题")
    if survey and ("链接" in text or "问卷" in text or "后台" in text):
        permission = has_any(text, _SURVEY_PERMISSION)
        setting = has_any(text, _SURVEY_SETTING)
        missing = has_any(text, _SURVEY_MISSING)
        if permission or (setting and missing):
            return FaqRule("survey_link", "满意度链接设置权限", False, (*survey, *permission, *setting, *missing), "设置满意度链接的权限")
    match = _BINDING.search(text) or (_BINDING_WEAK.search(text) if survey else None)
    if match:
        return FaqRule("binding_visitor", None, False, (match.group(0),), "绑定房产后仍显示访客（自查清单）")
    if survey and (link := has_any(text, _SURVEY_LINK)):
        return FaqRule("survey_link", None, False, (*survey, *link), "满意度问卷链接（以指引表格为准）")
    if words := has_any(text, _GROUP_BUY):
        return FaqRule("group_buy_refund", None, False, tuple(words), "联盟购订单与退款")
    crash = has_any(text, _CRASH)
    version = has_any(text, _VERSION)
    other_systems = named - APP_SYSTEMS
    if (crash or version) and not other_systems:
        app_context = has_any(text, _APP_WORDS) or named & APP_SYSTEMS
        if version or app_context:
            return FaqRule("app_version_crash", None, True, (*crash, *version), "app最新版本及闪退")
    act = has_any(text, _FEEDBACK_ACT)
    place = has_any(text, _FEEDBACK_PLACE)
    if act and (place or has_any(text, _FEEDBACK_ASK)):
        # The page hosting the feedback button (CSS/BMS右上角, 一应生活-我的-反馈) does not make it a system problem.
        hosts = {"CSS", "BMS", *APP_SYSTEMS}
        if not named or (place and named <= hosts):
            return FaqRule("feedback_channel", None, False, (*act, *place), "故障反馈渠道")
    return None


# --------------------------------------------------------------------------------------------
# Abstention rules: a wrong confident answer is worse than leaving the ticket with the consultant.

_BILLING = ("收费云", "收费系统", "收费平台")
_BILLING_OWN = ("自用", "长城")
_BILLING_NEW = ("新版", "新收费", "新的收费")
_OFFICIAL_ACCOUNT = ("公众号", "服务号")
# Names two systems share: a report that uses one names either system, not one the router guessed.
SHARED_NAMES = {"长城自用收费云": _BILLING, "新版收费云": _BILLING, "一应生活微信公众号": _OFFICIAL_ACCOUNT, "业主卡微信公众号": _OFFICIAL_ACCOUNT}
_BOTH = re.compile(r"(和|跟|与|及|、|还有|以及)")


# Two systems named and the text cannot say which one is at fault: their data disagree, one feeds the
# other, or the writer says they do not know which side it is.
_MISMATCH = (
    "对不上", "不一致", "不一样", "不相符", "不匹配", "有差异", "差异", "对不齐", "核对不上", "不同步", "没同步",
    "同步", "传不过去", "推不过去", "传过去", "推送到",
)
_UNCLEAR_SIDE = re.compile(
    r"(不知道|不清楚|不确定|搞不清|分不清|说不清|判断不了|不好说)[^，。,.!?！？]{0,6}(哪边|哪个|哪一边|谁的|哪方|哪家)"
    r"|(哪边|哪一边|哪个系统|哪方)(的)?(问题|出的错|出错|有问题|的锅)"
    r"|(互相|相互)(推|甩)"
)
# "到底是钱包的问题还是APP的问题", "不知道是邮箱的问题还是EAS没发": the writer asks which side it is.
_EITHER = re.compile(r"是[^，。,.!?！？]{1,12}?(问题|原因|毛病|锅|没发|没推|没传|不对|出错|坏了)?还是[^，。,.!?！？]{1,12}")
# What a report says about one side of a comparison: "BMS是对的", "CSS少同步了".
_SIDE_PREFIX = r"^(的|那边|这边|里|上|系统)?(的)?(数据|数字|数量|数)?(是|为)?"
_SIDE_RIGHT = re.compile(_SIDE_PREFIX + r"(对的|正确|准确|准的|没问题|没错|是准的)")
_SIDE_WRONG = re.compile(_SIDE_PREFIX + r"(错的|错了|不对|不准|有误|少了|多了|少同步|漏同步|没同步|同步少了|漏了|少算|多算|算错)")
# "各系统的账号", "新人要开的系统账号都找谁": accounts across systems name none of them.
_MANY_SYSTEMS = re.compile(
    r"(各个?|每个|所有|全部|哪些|几个|多个|一堆|这些)(业务)?系统"
    r"|系统[^，。,.!?！？]{0,4}(都|全部|分别)[^，。,.!?！？]{0,6}(谁|哪|怎么)"
)


@dataclass(frozen=True)
class Abstention:
    reason: str
    words: tuple[str, ...]
    systems: tuple[str, ...] = ()  # the systems it could be (收费云 is one of two), when the text narrows them


def abstention_rule(text: str, mentions: Sequence[Mention]) -> Abstention | None:
    """Why a careful human could not pick one system, or None."""
    named = list(mentions)
    systems = {m.system for m in named}
    billing = has_any(text, _BILLING)
    if billing and not systems & {"长城自用收费云", "新版收费云"}:
        if not has_any(text, _BILLING_OWN) and not has_any(text, _BILLING_NEW):
            # A bare 收费云/收费系统 is one of two systems. Even beside another system ("主数据的车位同步不到
            # 收费系统") the fault may be on either side, so the billing system stays undecidable.
            return Abstention("提到收费云/收费系统，但没说是长城自用收费云还是新版收费云", tuple(billing), ("长城自用收费云", "新版收费云"))
    account = has_any(text, _OFFICIAL_ACCOUNT)
    if account and not systems & {"一应生活微信公众号", "业主卡微信公众号"}:
        if not systems or systems <= CONTAINER_SYSTEMS:
            return Abstention("提到公众号，但没说是一应生活公众号还是业主卡公众号", tuple(account), ("一应生活微信公众号", "业主卡微信公众号"))
    if len(systems) >= 2 and _both_failing(text, named):
        names = "、".join(sorted(systems))
        return Abstention(f"同时提到{names}出错，无法判断是哪个系统的问题", tuple(m.term for m in named))
    if len(systems) >= 2 and (either := _EITHER.search(text)) and any(either.start() <= m.start < either.end() for m in named):
        return Abstention(f"文中自己也在问是哪个系统的问题（“{either.group(0)}”）", (either.group(0),))
    subjects = _subjects(text, named)
    if len(subjects) >= 2 and faulty_side(text, named) is None:
        words = has_any(text, _MISMATCH)
        if unclear := _UNCLEAR_SIDE.search(text):
            words.append(unclear.group(0))
        if words:
            names = "、".join(sorted(subjects))
            return Abstention(f"提到{names}之间的数据问题（{'、'.join(words)}），说不清是哪一边的问题", tuple(words))
    if not systems - CONTAINER_SYSTEMS and (many := _MANY_SYSTEMS.search(text)):
        return Abstention("问的是多个系统的事，没有说是哪一个", (many.group(0),))
    return None


def faulty_side(text: str, mentions: Sequence[Mention]) -> Mention | None:
    """In a comparison of two systems' figures, the one the text says is wrong (or the only one it does not
    say is right): "CSS显示12张 BMS显示15张，BMS是对的，CSS少同步了" → CSS."""
    right = {m.system for m in mentions if _SIDE_RIGHT.match(text[m.end : m.end + 12])}
    wrong = [m for m in mentions if _SIDE_WRONG.match(text[m.end : m.end + 12])]
    if len({m.system for m in wrong} - right) == 1:
        return next(m for m in wrong if m.system not in right)
    rest = [m for m in mentions if m.system not in right and m.system not in CONTAINER_SYSTEMS]
    if right and len({m.system for m in rest}) == 1:
        return rest[0]
    return None


def _subjects(text: str, mentions: Sequence[Mention]) -> set[str]:
    """The systems a report is about: host apps and "X用的" modifiers are not subjects."""
    specific = [m for m in mentions if m.system not in CONTAINER_SYSTEMS]
    subjects = {m.system for m in specific}
    for first, second in zip(specific, specific[1:]):
        if first.system != second.system and _MODIFIER.match(text[first.end : second.start].strip()):
            subjects.discard(first.system)
    return subjects


# Complaints about people, places and the property service. Next to an everyday alias ("门禁岗的保安态度差",
# "停车位不够") they make the report one for the property team, unless the text also speaks of a fault.
_SERVICE_COMPLAINT = (
    "保安", "保洁", "门卫", "门岗", "管家", "物业费", "物业服务", "车位", "噪音", "噪声", "太吵", "很吵", "吵死", "扰民",
    "卫生", "垃圾", "绿化", "漏水", "渗水", "态度", "爱答不理", "不理人", "服务差", "服务太差", "太差", "投诉物业",
    "乱停", "占道", "被占", "占用", "遛狗", "异味", "太脏", "好脏", "排队", "太远", "不够用", "没地方",
)
_IT_FAULT = (
    "报错", "打不开", "登不上", "白屏", "500", "异常", "崩溃", "卡死", "失败", "超时", "exception", "error",
    "坏了", "坏掉", "故障", "失灵", "没反应", "不灵", "开不了", "开不开", "刷不开", "刷不了", "识别", "认不出", "离线",
    "掉线", "抬杆", "起杆", "系统", "app", "软件", "设置", "授权", "权限", "二维码", "扣费", "扣了", "充值", "绑定",
    "闪退", "数据", "后台", "显示", "屏", "不亮", "断网", "升级", "密码", "账号", "登录", "小程序", "公众号",
)


def speaks_of_fault(text: str) -> bool:
    """Whether the text speaks of something broken or of a system's workings ("门禁又坏了")."""
    return bool(has_any(text, _IT_FAULT))


def service_complaint(text: str, system: SystemTerms) -> tuple[str, ...]:
    """Service-complaint words in a report whose only system word is an everyday alias of `system`,
    when nothing in it speaks of a fault or of the system's own business (then it is not IT's)."""
    complaint = has_any(text, _SERVICE_COMPLAINT)
    if not complaint or speaks_of_fault(text) or has_any(text, system.vocabulary()):
        return ()
    return tuple(complaint)


def _both_failing(text: str, mentions: Sequence[Mention]) -> bool:
    """"A和B都报错": two systems joined by a conjunction and followed by 都/均."""
    for first, second in zip(mentions, mentions[1:]):
        if first.system == second.system:
            continue
        between = text[first.end : second.start]
        after = text[second.end : second.end + 12]
        if len(between) <= 4 and _BOTH.search(between) and re.search(r"[都均全]", after):
            return True
    return False


# "驿站用的进销存": the first system only says whose 进销存 it is. ("X里的Y" is not used: in
# "自用收费云里的停车月卡费用" the 停车 is a fee item, not the parking system.)
_MODIFIER = re.compile(r"^(用的|里用的|那边用的|这边用的|在用的)$")


def pick_mention(text: str, mentions: Sequence[Mention]) -> tuple[Mention, str]:
    """The system a report is about when it names several, with the reason."""
    distinct = {m.system for m in mentions}
    if len(distinct) == 1:
        return mentions[0], "唯一提到的系统"
    if (side := faulty_side(text, mentions)) is not None:
        return side, "文中说明了是这一边的数据有误"
    # A host app is only the way in ("一应生活app里的门禁") when a more specific system is named.
    specific = [m for m in mentions if m.system not in CONTAINER_SYSTEMS] or list(mentions)
    for first, second in zip(specific, specific[1:]):
        if first.system != second.system and _MODIFIER.match(text[first.end : second.start].strip()):
            return second, f"“{first.term}”只是修饰“{second.term}”"
    return specific[0], "最先提到的系统"


def pick_topic(text: str, topics: Sequence[TopicTerms]) -> tuple[TopicTerms, list[str]] | None:
    """The responsibility whose keywords weigh most in the text (summed length), or None."""
    best: tuple[int, TopicTerms, list[str]] | None = None
    for topic in topics:
        found = has_any(text, topic.keywords)
        found = [word for word in found if not any(word != other and word in other for other in found)]
        score = sum(len(word) for word in found)
        if score and (best is None or score > best[0]):
            best = (score, topic, found)
    return (best[1], best[2]) if best else None


_QUESTION = ("请问", "怎么", "哪个", "哪一个", "哪种", "选哪", "用哪", "还是", "是否", "能不能", "可以吗", "该走", "走哪", "应该", "拿不准", "咨询")
_FAILURE = ("报错", "打不开", "登不上", "白屏", "500", "异常", "崩溃", "卡死", "失败", "超时", "exception", "error")


def looks_like_question(text: str) -> bool:
    """A business question ("走哪个模板？") rather than a fault report ("打开报错")."""
    return bool(has_any(text, _QUESTION)) and not has_any(text, _FAILURE)


_DIGITS = re.compile(r"\d+")


_FILLER = re.compile(r"麻烦|谢谢|您好|你好|老师好|请问|请|帮忙|帮我|一下|尽快|急急|着急|辛苦|[^\w\s]+|_")


def model_text(text: str) -> str:
    """What the model sees: normalised text without punctuation and politeness, numbers collapsed,
    so "麻烦…谢谢" or an order number never becomes evidence for a system."""
    return _SPACES.sub(" ", _FILLER.sub(" ", _DIGITS.sub("0", normalize_text(text)))).strip()


ACCOUNT_WORDS = ("密码", "账号", "帐号", "登录", "登陆", "登不上", "登不进", "进不去", "重置", "锁定", "验证码")


# --------------------------------------------------------------------------------------------
# Segmentation (for KB suggestions and explanations; the router's model uses character n-grams).

_STOP = frozenset(
    "的 了 是 我 你 他 她 们 我们 你们 在 有 和 就 都 也 还 吗 呢 啊 吧 哈 呀 么 这 那 个 一个 这个 那个 "
    "不 没 没有 说 要 会 能 可以 怎么 什么 一下 一直 已经 请 麻烦 谢谢 您好 你好 帮忙 看看 问题 系统 "
    "现在 今天 昨天 时候 然后 但是 可是 因为 所以 如果 还是 或者 就是 里 上 下 中 后 前 把 被 给 让 "
    "到 从 对 与 及 或 等 又 再 很 太 更 最 才 只 该 应该 需要 如何 为什么 多久".split()
)


class Segmenter:
    """rjieba with the directory's words as its custom dictionary.

    rjieba's `add_word` is not safe while another thread cuts, so a new Segmenter is built and swapped in
    whenever the dictionary changes, never mutated in place.
    """

    def __init__(self, words: Iterable[str]) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()
        for word in sorted(set(words)):
            if len(word) > 1:
                self._jieba.add_word(word, 20000, None)

    def tokens(self, text: str) -> list[str]:
        """Search-mode tokens of normalised text, without punctuation and stop words."""
        found: list[str] = []
        for token in self._jieba.cut_for_search(text):
            token = token.strip()
            if not token or token in _STOP or not any(ch.isalnum() for ch in token):
                continue
            if len(token) == 1 and not token.isascii():
                continue
            found.append(token)
        return found


# Words every system's reports share. A model decision resting only on these ("app", "不上") is a guess
# about which system, not evidence for one.
_GENERIC = (
    "app", "系统", "后台", "平台", "登录", "登不上", "连不上", "打不开", "报错", "失败", "手机", "电脑", "小程序",
    "公众号", "页面", "显示", "提示", "一直", "没有", "不了", "不上", "进不去", "怎么", "数据", "导出", "导入",
    "账号", "密码", "提交", "保存", "问题", "业主", "项目", "我们", "今天", "昨天", "没反应", "转圈", "加载",
    "不出来", "异常", "无法", "能不能", "可以", "网络", "信息", "记录", "查不到", "看不到", "收不到", "用不了",
    "密码忘了", "密码忘记", "忘了密码", "重置密码", "验证码", "锁定", "登陆",
    "网络异常", "网络错误", "网络不好", "请重试", "稍后重试", "连接失败", "超时", "很卡", "很慢", "卡顿", "闪退",
)


def is_generic(ngram: str) -> bool:
    ngram = ngram.strip()
    return len(ngram) < 2 or any(ngram in word for word in _GENERIC)
