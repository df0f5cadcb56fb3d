#!/usr/bin/env python3
"""Fill the English catalogue (fankui/locale/en/LC_MESSAGES/django.po).

Run after `fankui makemessages -l en ...`:

    python scripts/fill_translations.py            # fill empty and fuzzy entries
    python scripts/fill_translations.py --check    # list entries still untranslated/fuzzy, exit 1 if any
    python scripts/fill_translations.py --force    # also overwrite translated entries that differ from the table

Only entries whose msgid is in TRANSLATIONS are touched.  A fuzzy entry whose msgid is in the
table gets the table's text and loses its `fuzzy` flag and `#|` previous-msgid lines; a fuzzy
entry that is not in the table is left alone (and reported by --check).

Plural entries map the msgid to a tuple (singular, plural) for `msgstr[0]` / `msgstr[1]`
(English: nplurals=2; plural=(n != 1)).

Entries with a `msgctxt` (pgettext, `{% translate ... context ... %}`) are looked up in
CONTEXT_TRANSLATIONS by (context, msgid) instead, so one Chinese word can have two English
meanings (已解决: the "Mark resolved" button, and the "Resolved" status).

Terms (from the guide): 系统实施顾问 implementation consultant, 大区 region, 个性 individual,
共性 common (affects many), 对接人 contact, 工单 ticket, 升级 escalate, 处理人 assignee.
Search-term examples in placeholders keep their Chinese words with an English gloss, because
the directory and knowledge base are matched against Chinese data.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "fankui" / "locale" / "en" / "LC_MESSAGES" / "django.po"

TRANSLATIONS: dict[str, str | tuple[str, str]] = {
    # --- base / navigation / login
    "反馈": "Feedback",
    "提交问题": "Report a problem",
    "我的问题": "My tickets",
    "队列": "Queue",
    "通知": "Notifications",
    "未读通知": "Unread notifications",
    "共性问题": "Common problems",
    "看板": "Dashboard",
    "联系谁": "Who do I contact",
    "通讯录": "Directory",
    "管理": "Admin",
    "语言": "Language",
    "退出": "Log out",
    "登录": "Log in",
    "用户名或密码不正确，请重试。": "Wrong username or password, please try again.",
    "用户名": "Username",
    "密码": "Password",
    # --- dashboard
    "开始日期": "Start date",
    "结束日期": "End date",
    "大区": "Region",
    "全部大区": "All regions",
    "系统": "System",
    "全部系统": "All systems",
    "筛选": "Filter",
    "%(start)s 至 %(end)s（北京时间），生成于 %(at)s。": "%(start)s to %(end)s (Beijing time), generated %(at)s.",
    "全部导出 Excel": "Export all to Excel",
    "表格": "Table",
    "暂无数据": "No data yet",
    "看板仅对管理员、实施顾问和系统对接人开放。": "The dashboard is only for admins, implementation consultants and system contacts.",
    # --- directory
    "电话": "Phone",
    "邮箱": "Email",
    "微信": "WeChat",
    "复制": "Copy",
    "各大区系统实施顾问": "Regional implementation consultants",
    "姓名": "Name",
    "对接人": "Contact",
    "事项": "Topic",
    "未指定（请联系部门）": "Not named (ask the department)",
    "其他事项联系人": "Other topic contacts",
    "系统或问题": "System or problem",
    "如：eas 权限、企业邮箱、停车、门禁": "e.g. eas 权限 (permissions), 企业邮箱 (email), 停车 (parking), 门禁 (door access)",
    "我的大区": "My region",
    "（总部/不在大区）": "(head office / no region)",
    "查找": "Search",
    "处理路径": "Escalation path",
    "第一步：%(region)s系统实施顾问": "Step 1: implementation consultant for %(region)s",
    "先由顾问排查是“个性”（网络、操作）还是“共性”问题。": "The consultant first checks whether it is an individual problem (network, operation) or a common one.",
    "顾问无法解决时：系统对接人": "If the consultant cannot solve it: the system's contact",
    "该系统没有指定对接人，请联系%(dept)s，或由系统实施顾问转交。": "No named contact for this system: ask %(dept)s, or let your consultant hand it on.",
    "没有找到对应的系统或事项。请先联系所在大区的系统实施顾问。": "No matching system or topic. Ask your region's implementation consultant first.",
    "查看完整通讯录（按大区、按部门）": "See the whole directory (by region and department)",
    # --- incidents (共性问题)
    "共性问题状态": "Common problem status",
    "发现时间": "Detected",
    "预计恢复": "Expected recovery",
    "处理结果": "Resolution",
    "归并原因": "Grouping reason",
    "已合并到": "Merged into",
    "%(n)s 人关注": ("%(n)s person following", "%(n)s people following"),
    "+ %(n)s 关注": ("+ %(n)s following", "+ %(n)s following"),
    "关注此问题": "Follow this problem",
    "工单": "Tickets",
    "编号": "Ref.",
    "提交时间": "Submitted",
    "标题": "Title",
    "相似度": "Similarity",
    "进展": "Updates",
    "内部": "Internal",
    "处理": "Actions",
    "对外说明（报告人和业主可见）": "Public summary (visible to reporters and residents)",
    "预计恢复时间": "Expected recovery time",
    "确认是共性问题": "Confirm as a common problem",
    "发布进展（通知所有报告人和关注人）": "Post an update (notifies all reporters and followers)",
    "发布进展": "Post update",
    "处理结果（所有报告人都会收到，其工单一并解决）": "Resolution (sent to every reporter; their tickets are resolved too)",
    "解决": "Resolve",
    "把另一个共性问题合并到本问题": "Merge another common problem into this one",
    "合并": "Merge",
    "拆分出不同问题的工单": "Split off tickets that are a different problem",
    "拆分": "Split",
    "驳回原因（个性问题）": "Reason for dismissing (individual problems)",
    "驳回": "Dismiss",
    "正在处理和近期已解决的共性问题，按系统分组。时间为北京时间。": "Common problems being worked on or recently resolved, grouped by system. Times are Beijing time.",
    "问题": "Problem",
    "状态": "Status",
    "预计恢复/解决时间": "Expected recovery / resolved",
    "报告": "Reports",
    "目前没有共性问题。": "No common problems right now.",
    "共性问题状态页仅对员工开放。": "The common problem status page is for staff only.",
    "共性问题不存在，或您无权查看。": "This common problem does not exist, or you may not view it.",
    "只有该系统的对接人、相关大区的实施顾问或管理员可以处理该共性问题。": "Only the system's contact, the implementation consultants of the affected regions, or an admin can handle this common problem.",
    "已确认为共性问题，新的报告人提交时会看到它。": "Confirmed as a common problem; new reporters will see it when they submit.",
    "已驳回，这些工单按个性问题分别处理。": "Dismissed; these tickets will be handled separately as individual problems.",
    "已合并。": "Merged.",
    "已拆分为新的共性问题，请确认或驳回。": "Split into a new common problem; please confirm or dismiss it.",
    "进展已发布，已通知所有报告人和关注人。": "Update posted; all reporters and followers have been notified.",
    "已解决，其工单已一并解决并通知报告人。": "Resolved; its tickets were resolved too and the reporters notified.",
    "已关注，解决后会通知您。": "You're following this; we'll notify you when it is resolved.",
    # --- knowledge base
    "知识库": "Knowledge base",
    "草稿（未发布，报告人看不到）": "Draft (not published; reporters can't see it)",
    "已过期": "Expired",
    "（有效期至 %(day)s）": " (valid until %(day)s)",
    "：内容可能已不适用，不再推荐给报告人。": ": the content may no longer apply and is no longer suggested to reporters.",
    "适用范围": "Applies to",
    "名称": "Name",
    "链接": "Link",
    "有效期": "Valid",
    "自查清单": "Checklist",
    "相关系统": "Related systems",
    "搜索常见问题": "Search common questions",
    "例如：显示访客、闪退、满意度链接": "e.g. 显示访客 (visitor display), 闪退 (app crash), 满意度链接 (survey link)",
    "搜索": "Search",
    "在工单和文章中全文搜索": "Full-text search in tickets and articles",
    "“%(query)s”的相关文章": "Articles about “%(query)s”",
    "没有找到相关文章。": "No related articles found.",
    "全部文章": "All articles",
    "草稿": "Draft",
    "暂无文章。": "No articles yet.",
    "全文搜索": "Full-text search",
    "关键词（多个词用空格分开，须全部出现）": "Keywords (separate with spaces; all must appear)",
    "例如：门禁 离线": "e.g. 门禁 离线 (door access offline)",
    "全部": "All",
    "知识库文章": "Knowledge base articles",
    "（匹配很多：在最新的 1000 条中按相关度排序，可加词或筛选缩小范围）": "(many matches: the latest 1,000 are ranked by relevance; add words or filters to narrow it down)",
    "没有找到匹配的工单。": "No matching tickets found.",
    "返回知识库": "Back to the knowledge base",
    # --- notifications
    "全部标为已读": "Mark all as read",
    "未读": "Unread",
    "暂时没有通知。": "No notifications yet.",
    "没有找到该通知。": "Notification not found.",
    "已将 %(n)d 条通知标为已读。": ("Marked %(n)d notification as read.", "Marked %(n)d notifications as read."),
    # --- ticket forms
    "（不确定/不选）": "(not sure / none)",
    "问题描述": "Describe the problem",
    "发生了什么？在哪个系统、哪个页面？提示了什么？": "What happened? In which system, on which page? What message did you see?",
    "请描述遇到的问题。": "Please describe the problem.",
    "标题（可选）": "Title (optional)",
    "紧急程度": "Urgency",
    "项目/小区": "Project / estate",
    "系统（可选）": "System (optional)",
    "截图或文件": "Screenshots or files",
    "账号": "Account",
    "回复": "Reply",
    "回复内容不能为空。": "The reply cannot be empty.",
    "内部备注（报告人不可见）": "Internal note (hidden from the reporter)",
    "处理结果（报告人会收到）": "Resolution (sent to the reporter)",
    "解决时请写明处理结果，报告人会收到这条回复。": "Please describe the resolution; the reporter receives it as a reply.",
    "需要报告人补充什么": "What should the reporter add?",
    "请写明需要报告人补充什么信息。": "Please say what information the reporter should add.",
    "升级给": "Escalate to",
    "请选择要升级给的对接人。": "Please choose the contact to escalate to.",
    "说明（可选）": "Note (optional)",
    "（请选择）": "(choose one)",
    "还有什么问题": "What is still wrong?",
    "请说明哪里还没有解决。": "Please say what is still not solved.",
    "处理中和待补充": "In progress and awaiting info",
    "层级": "Tier",
    # --- ticket pages
    "分页": "Pagination",
    "上一页": "Previous",
    "第 %(n)s / %(total)s 页": "Page %(n)s of %(total)s",
    "下一页": "Next",
    "待确定": "Not yet known",
    "大区/项目": "Region / project",
    "一线队列": "Front-line queue",
    "处理人": "Assignee",
    "待分配": "Unassigned",
    "（代 %(who)s）": " (on behalf of %(who)s)",
    "（%(kind)s，%(channel)s）": " (%(kind)s, %(channel)s)",
    "系统实施顾问": "Implementation consultant",
    "报告人": "Reporter",
    "首次响应期限": "First response due",
    "已响应": "Responded",
    "解决期限": "Resolution due",
    "已暂停计时": "Clock paused",
    "%(n)s 项账号/密码已加密保存，仅当前处理人可以查看；问题关闭后自动销毁。": (
        "%(n)s account/password entry is stored encrypted. Only the current assignee can view it; it is destroyed automatically when the ticket is closed.",
        "%(n)s account/password entries are stored encrypted. Only the current assignee can view them; they are destroyed automatically when the ticket is closed.",
    ),
    "账号密码": "Account and password",
    "没有可查看的账号密码（可能已销毁）。": "No account or password to show (it may have been destroyed).",
    "只显示这一次，离开或刷新本页后不再显示；本次查看已记入内部记录。": "Shown only this once: it is gone when you leave or reload this page. This viewing has been logged internally.",
    "处理记录": "Activity",
    "内部，报告人不可见": "Internal, hidden from the reporter",
    "升级给 %(who)s": "Escalated to %(who)s",
    "，由 %(deputy)s 代理": ", covered by %(deputy)s",
    "（个性问题）": " (individual problem)",
    "建议：%(system)s → %(contact)s": "Suggested: %(system)s → %(contact)s",
    "查看了账号密码": "Viewed the account and password",
    "问题解决了吗？": "Is your problem solved?",
    "确认已解决": "Yes, it's solved",
    "没有解决，重新打开": "Not solved, reopen it",
    "重新打开": "Reopen",
    "回复或内部备注": "Reply or internal note",
    "补充或回复": "Add details or reply",
    "发送": "Send",
    "查看账号密码": "View account and password",
    "个性问题已解决": "Resolve as individual problem",
    "网络、操作等个性问题：写明处理办法并解决。": "Individual problems such as network or operation: describe the fix and resolve.",
    "已解决": "Mark resolved",
    "请补充信息": "Ask for more info",
    "升级给系统对接人": "Escalate to the system contact",
    "已按通讯录预选建议的对接人，可以改选。": "The suggested contact from the directory is preselected; you can change it.",
    "升级": "Escalate",
    "提交新问题": "Report a new problem",
    "更新于": "Updated",
    "您还没有提交过问题。": "You haven't reported any problems yet.",
    "可以直接粘贴截图（Ctrl+V / 长按粘贴）。请不要在描述里写密码，用下方的加密栏。": "You can paste screenshots directly (Ctrl+V, or long-press and paste). Don't write passwords in the description; use the encrypted fields below.",
    "复现问题需要的账号和密码（加密保存，仅处理人可见）": "Account and password needed to reproduce the problem (stored encrypted, visible only to the assignee)",
    "问题关闭后自动销毁。": "Destroyed automatically when the ticket is closed.",
    "提交": "Submit",
    "共 %(n)s 个问题，紧急的在前，其余按提交时间从早到晚。": (
        "%(n)s ticket. Urgent ones first, the rest oldest first.",
        "%(n)s tickets. Urgent ones first, the rest oldest first.",
    ),
    "队列里没有问题。": "The queue is empty.",
    "只有处理人可以执行此操作。": "Only the assignee can do this.",
    "已标记为个性问题并解决，报告人会收到回复。": "Marked as an individual problem and resolved; the reporter will get your reply.",
    "已解决，报告人会收到回复。": "Resolved; the reporter will get your reply.",
    "已请报告人补充信息，期间暂停计时。": "Asked the reporter for more information; the clock is paused meanwhile.",
    "已升级给 %(who)s。": "Escalated to %(who)s.",
    "问题已提交，编号 %(ref)s。处理人会尽快回复。": "Your problem has been submitted as %(ref)s. We will reply as soon as we can.",
    "只有报告人可以确认或重新打开。": "Only the reporter can confirm or reopen.",
    "感谢确认，问题已关闭。": "Thanks for confirming; the ticket is closed.",
    "已重新打开，处理人会继续跟进。": "Reopened; the assignee will follow up.",
    "没有找到该问题。": "Ticket not found.",
    "已添加内部备注。": "Internal note added.",
    "回复已发送。": "Reply sent.",
    # --- choice labels (models)
    "系统对接人": "System contact",
    "管理员": "Administrator",
    "员工": "Staff",
    "业主": "Resident",
    "处理中": "In progress",
    "待补充信息": "Awaiting information",
    "已关闭": "Closed",
    "已自助解决": "Self-solved",
    "一线（系统实施顾问）": "Tier 1 (implementation consultant)",
    "二线（系统对接人）": "Tier 2 (system contact)",
    "紧急": "Urgent",
    "非紧急": "Not urgent",
    "网页": "Web",
    "接口": "API",
    "邮件": "Email",
    "App": "App",
    "路由": "Routed",
    "内部备注": "Internal note",
    "状态变更": "Status changed",
    "指派": "Assigned",
    "附件": "Attachment",
    "超时": "Overdue",
    "待确认": "To be confirmed",
    "已驳回": "Dismissed",
    "新工单进入队列": "New ticket in the queue",
    "工单升级给我": "Ticket escalated to me",
    "工单有新回复": "New reply on a ticket",
    "需要补充信息": "More information needed",
    "工单已解决": "Ticket resolved",
    "工单被重新打开": "Ticket reopened",
    "工单超时": "Ticket overdue",
    "共性问题通知": "Common problem notice",
    "文章即将过期": "Article expiring soon",
    "App 推送": "App push",
    "企业微信群机器人": "WeCom group bot",
    "待发送": "Pending",
    "已发送": "Sent",
    "失败（不再重试）": "Failed (no more retries)",
    # --- dashboard tables
    "是": "Yes",
    "否": "No",
    "每日报告量": "Reports per day",
    "日期": "Date",
    "报告数": "Reports",
    "按系统": "By system",
    "未识别系统": "System not identified",
    "按大区": "By region",
    "无大区（一线队列）": "No region (front-line queue)",
    "按渠道": "By channel",
    "渠道": "Channel",
    "首次响应中位（小时）": "Median first response (hours)",
    "首次响应P90（小时）": "P90 first response (hours)",
    "响应超时": "Response overdue",
    "解决中位（小时）": "Median resolution (hours)",
    "解决P90（小时）": "P90 resolution (hours)",
    "解决超时": "Resolution overdue",
    "响应与解决时长（对照 SLA）": "Response and resolution times (against the SLA)",
    "超时以 SLA 工作时间计；时长为自然小时": "Overdue is counted in SLA business hours; durations are clock hours",
    "每日超时": "Overdue per day",
    "未结工单（按层级和处理人）": "Open tickets (by tier and assignee)",
    "未结数": "Open",
    "未指派": "Unassigned",
    "自助解决（按文章）": "Self-solved (by article)",
    "文章": "Article",
    "次数": "Times",
    "知识库尚未记录自助解决": "The knowledge base does not record self-service yet",
    "周（周一）": "Week (Monday)",
    "有系统建议": "With a system suggestion",
    "系统正确率（%）": "System correct (%)",
    "已升级且有对接人建议": "Escalated with a contact suggestion",
    "对接人正确率（%）": "Contact correct (%)",
    "路由准确率（按周）": "Routing accuracy (by week)",
    "共性问题及影响面": "Common problems and their reach",
    "关注数": "Followers",
    "影响人数": "People affected",
    # --- incidents (selectors)
    "恢复时间待定": "recovery time not yet known",
    "今天 %(time)s": "today %(time)s",
    "已知问题：%(title)s 正在处理，预计 %(eta)s 恢复。可关注该问题，解决后会通知您。": "Known problem: %(title)s is being worked on, expected to recover %(eta)s. Follow it and we'll notify you when it is resolved.",
    "已知问题：%(title)s 正在处理，预计恢复时间待定。可关注该问题，解决后会通知您。": "Known problem: %(title)s is being worked on; the recovery time is not yet known. Follow it and we'll notify you when it is resolved.",
    # --- knowledge base (views, search errors)
    "只有系统实施顾问、系统对接人和管理员可以搜索工单。": "Only implementation consultants, system contacts and admins can search tickets.",
    "未知的工单状态“%(state)s”。": "Unknown ticket status “%(state)s”.",
    "请至少输入两个字（或一个英文单词）再搜索。": "Please type at least two characters (or one English word) to search.",
    "没有这篇文章": "No such article",
    "这篇文章已下线或已过期。": "This article has been withdrawn or has expired.",
    "太好了！问题已自助解决，无需提交。感谢反馈。": "Great, you solved it yourself; there's nothing to submit. Thanks for telling us.",
    "没有这张工单": "No such ticket",
    # --- attachments
    "找不到该附件，或您无权查看。": "Attachment not found, or you may not view it.",
    "附件文件不存在。": "The attachment's file is missing.",
}

# (msgctxt, msgid) -> English, for entries with a context.
CONTEXT_TRANSLATIONS: dict[tuple[str, str], str | tuple[str, str]] = {
    ("status", "已解决"): "Resolved",
    ("event", "提交"): "Submitted",
    ("event", "升级"): "Escalated",
    ("event", "查看账号密码"): "Viewed account and password",
    ("event", "发现"): "Detected",
    ("event", "确认"): "Confirmed",
    ("event", "进展"): "Update",
    ("event", "合并"): "Merged",
    ("event", "拆分"): "Split",
    ("event", "驳回"): "Dismissed",
    ("event", "解决"): "Resolved",
    ("document kind", "工单"): "Ticket",
    # punctuation around values: full-width in Chinese, ASCII with spacing in English
    ("after a label", "："): ": ",
    ("list separator", "、"): ", ",
    ("parenthesis", "（%(system)s）"): " (%(system)s)",
    ("parenthesis", "（%(department)s）"): " (%(department)s)",
    ("parenthesis", "（%(organisation)s）"): " (%(organisation)s)",
}

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
STRING = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def unquote(s: str) -> str:
    return s[1:-1].encode("raw_unicode_escape").decode("unicode_escape") if "\\" in s else s[1:-1]


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


class Entry:
    def __init__(self, lines: list[str]):
        self.comments: list[str] = []
        self.fields: dict[str, str] = {}
        self.order: list[str] = []
        key = None
        for line in lines:
            if line.startswith("#"):
                self.comments.append(line)
                continue
            m = STRING.match(line)
            if m:
                key = m.group(1)
                self.order.append(key)
                self.fields[key] = unquote(m.group(2))
            elif line.startswith('"') and key:
                self.fields[key] += unquote(line.strip())
            else:
                raise ValueError(f"cannot parse line: {line!r}")

    @property
    def fuzzy(self) -> bool:
        return any(c.startswith("#,") and "fuzzy" in c for c in self.comments)

    def msgstrs(self) -> list[str]:
        return [k for k in self.order if k.startswith("msgstr")]

    def translated(self) -> bool:
        return all(self.fields[k] for k in self.msgstrs())

    def unfuzz(self) -> None:
        out = []
        for c in self.comments:
            if c.startswith("#|"):
                continue
            if c.startswith("#,"):
                flags = [f.strip() for f in c[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
                if not flags:
                    continue
                c = "#, " + ", ".join(flags)
            out.append(c)
        self.comments = out

    def render(self) -> str:
        lines = list(self.comments)
        for k in self.order:
            value = self.fields[k]
            if "\n" in value[:-1]:  # keep multi-line strings readable
                parts = value.splitlines(keepends=True)
                lines.append(f'{k} ""')
                lines.extend(quote(p) for p in parts)
            else:
                lines.append(f"{k} {quote(value)}")
        return "\n".join(lines)


def load(path: Path) -> list[Entry]:
    blocks = re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip("\n"))
    return [Entry(b.splitlines()) for b in blocks if b.strip()]


def check_placeholders(msgid: str, msgstr: str) -> None:
    if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
        raise SystemExit(f"placeholder mismatch: {msgid!r} -> {msgstr!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--po", type=Path, default=PO)
    ap.add_argument("--check", action="store_true", help="only report untranslated/fuzzy entries")
    ap.add_argument("--force", action="store_true", help="overwrite translations that differ from the table")
    args = ap.parse_args()

    entries = load(args.po)
    header, body = entries[0], entries[1:]
    filled = 0
    missing = []
    for e in body:
        msgid = e.fields["msgid"]
        ctxt = e.fields.get("msgctxt")
        want = CONTEXT_TRANSLATIONS.get((ctxt, msgid)) if ctxt is not None else TRANSLATIONS.get(msgid)
        needs = e.fuzzy or not e.translated()
        if want is not None and not args.check and (needs or args.force):
            if "msgid_plural" in e.fields:
                if not isinstance(want, tuple):
                    raise SystemExit(f"plural entry needs (singular, plural): {msgid!r}")
                values = list(want)
            else:
                if isinstance(want, tuple):
                    raise SystemExit(f"entry is not plural: {msgid!r}")
                values = [want]
            keys = e.msgstrs()
            if len(keys) != len(values):
                raise SystemExit(f"wrong number of forms for {msgid!r}")
            old = [e.fields[k] for k in keys]
            for k, v in zip(keys, values):
                check_placeholders(msgid, v)
                e.fields[k] = v
            if needs or old != values:
                filled += 1
            e.unfuzz()
        if e.fuzzy or not e.translated():
            missing.append(f"{msgid} (context {ctxt!r})" if ctxt is not None else msgid)

    if not args.check:
        h = header.fields["msgstr"]
        h = re.sub(r"^Language: .*$", "Language: en", h, flags=re.M)
        h = re.sub(r"^Language-Team: .*$", "Language-Team: English", h, flags=re.M)
        header.fields["msgstr"] = h
        header.unfuzz()
        args.po.write_text("\n\n".join(e.render() for e in entries) + "\n", encoding="utf-8")
        print(f"filled {filled} entries in {args.po}")
    for msgid in missing:
        print(f"untranslated or fuzzy: {msgid!r}", file=sys.stderr)
    return 1 if (args.check and missing) else 0


if __name__ == "__main__":
    sys.exit(main())
