"""Mail parsing: what Foxmail, Outlook, QQ Mail and WeCom mail send must arrive readable. No database."""
from __future__ import annotations

import base64

import pytest

from fankui.tickets.mail.parse import (
    ParsedMail,
    decode_bytes,
    decode_header_value,
    html_to_text,
    parse_mail,
    ref_from_message_id,
    strip_signature,
    ticket_refs,
    trim_quoted,
)
from fankui.tickets.tests import mail_samples as samples

GBK_ONLY = "王镕喆"  # 镕 and 喆 are in GBK but not GB2312: what a strict gb2312 decoder chokes on


def plain(extra_headers: str, subject: str = "EAS 无法登录", body: str = "正文") -> bytes:
    """A minimal UTF-8 mail with the given extra header lines."""
    head = f"From: 张三 <zhangsan@cc-pg.cn>\r\nTo: 1@einyun.com\r\nSubject: {subject}\r\nMessage-ID: <a1@cc-pg.cn>\r\n{extra_headers}"
    return (head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n").encode("utf-8")


# --- charsets and headers -----------------------------------------------------------------------


def test_a_gb2312_label_on_gbk_text_is_decoded_as_gb18030() -> None:
    assert decode_bytes(f"账号{GBK_ONLY}".encode("gbk"), "gb2312") == f"账号{GBK_ONLY}"
    assert decode_bytes("你好".encode("gb18030"), "GBK") == "你好"


def test_big5_text_is_decoded() -> None:
    assert decode_bytes("資料庫無法連線".encode("big5"), "big5") == "資料庫無法連線"


@pytest.mark.parametrize("label", [None, "us-ascii", "x-unknown-charset"])
def test_a_missing_or_wrong_label_falls_back_to_utf8_then_gb18030(label: str | None) -> None:
    assert decode_bytes("停车系统".encode(), label) == "停车系统"
    assert decode_bytes("停车系统".encode("gbk"), label) == "停车系统"


def test_an_rfc2047_subject_split_over_folded_words_is_joined() -> None:
    raw = f"{samples.word('EAS登录')}\r\n {samples.word(f'报错{GBK_ONLY}')}"
    assert decode_header_value(raw) == f"EAS登录报错{GBK_ONLY}"


def test_a_raw_8bit_subject_is_read() -> None:
    mail = parse_mail(plain("", subject="门禁 太川 故障"))
    assert mail.subject == "门禁 太川 故障"


def test_a_foxmail_mail_arrives_readable() -> None:
    raw = samples.foxmail_gbk(
        address="ZhangSan@CC-PG.cn",
        name="张喆",
        subject=f"EAS登录报错 {GBK_ONLY}",
        body=f"您好：\nEAS 登录后提示无权限，{GBK_ONLY}的账号。\n\n谢谢",
        message_id="<202611251030123@cc-pg.cn>",
        attachments=[("截图 王喆.png", samples.png_bytes())],
    )
    mail = parse_mail(raw)
    assert (mail.sender, mail.sender_name) == ("zhangsan@cc-pg.cn", "张喆")
    assert mail.subject == f"EAS登录报错 {GBK_ONLY}"
    assert mail.text == f"您好：\nEAS 登录后提示无权限，{GBK_ONLY}的账号。\n\n谢谢"
    assert [a.filename for a in mail.attachments] == ["截图 王喆.png"]
    assert mail.attachments[0].data == samples.png_bytes()
    assert mail.message_id == "<202611251030123@cc-pg.cn>" and mail.automated == ""


def test_a_big5_mail_arrives_readable() -> None:
    mail = parse_mail(samples.big5_plain(address="chan@example.hk", name="陳大文", subject="資料庫無法連線", body="資料庫無法連線\n請協助處理", message_id="<b5@hk>"))
    assert (mail.sender_name, mail.subject, mail.text) == ("陳大文", "資料庫無法連線", "資料庫無法連線\n請協助處理")


def test_an_rfc2231_attachment_name_is_decoded() -> None:
    raw = samples.utf8_plain(address="a@cc-pg.cn", subject="日志", body="见附件", message_id="<c@x>", attachments=[("错误日志 2026.log", "报错".encode())])
    assert [a.filename for a in parse_mail(raw).attachments] == ["错误日志 2026.log"]


def test_an_rfc2231_gbk_attachment_name_is_decoded() -> None:
    raw = plain(
        "",
        body="",
    ).replace(
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\r\n",
        b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n filename*=gbk''%BD%D8%CD%BC.png\r\n\r\n"
        + base64.b64encode(samples.png_bytes())
        + b"\r\n",
    )
    assert [a.filename for a in parse_mail(raw).attachments] == ["截图.png"]


def test_an_unnamed_inline_screenshot_is_kept_under_a_generated_name() -> None:
    boundary = "rel"
    raw = (
        "From: a@cc-pg.cn\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<div>见图<img src=\"cid:img1\"></div>\r\n"
        f"--{boundary}\r\nContent-Type: image/png\r\nContent-ID: <img1>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{base64.b64encode(samples.png_bytes()).decode()}\r\n--{boundary}--\r\n"
    ).encode()
    mail = parse_mail(raw)
    assert mail.text == "见图"
    assert [(a.filename, a.content_type) for a in mail.attachments] == [("附件1.png", "image/png")]


# --- HTML ---------------------------------------------------------------------------------------------


def test_an_outlook_html_only_mail_becomes_text() -> None:
    raw = samples.outlook_html_only(
        address="lisi@cc-pg.cn",
        name="李四",
        subject="停车系统抬杆失败",
        html_body=(
            "<p class=MsoNormal><span lang=EN-US>格美特</span>停车系统&#8220;抬杆失败&#8221;<o:p></o:p></p>"
            "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
            "<p class=MsoNormal>车牌&nbsp;粤B12345<br>时间 10:30<o:p></o:p></p>"
        ),
        message_id="<ol@x>",
    )
    mail = parse_mail(raw)
    assert mail.text == "格美特停车系统“抬杆失败”\n\n车牌 粤B12345\n时间 10:30"
    assert "tracking" not in mail.text and "font" not in mail.text


def test_html_keeps_breaks_and_drops_script_and_style() -> None:
    html = "<style>p{color:red}</style><div>第一行</div><div>第二<b>行</b></div>第三行<br/>第四行<script>x=1</script><p>a &amp; b</p>"
    assert html_to_text(html) == "第一行\n第二行\n第三行\n第四行\na & b"


def test_html_blockquotes_come_out_quoted() -> None:
    html = "<div>好的，已经可以了</div><blockquote><div>请再试一次</div></blockquote>"
    assert html_to_text(html) == "好的，已经可以了\n> 请再试一次"
    assert trim_quoted(html_to_text(html)) == "好的，已经可以了"


# --- quoted replies and signatures -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "已经恢复了，谢谢\n\n-----原始邮件-----\n发件人: 反馈 <fankui@cc-pg.cn>\n发送时间: 2026年11月25日 10:00\n问题已处理",
        "已经恢复了，谢谢\n\n------------------ 原始邮件 ------------------\n发件人: \"反馈\"<fankui@cc-pg.cn>;\n发送时间: 2026年11月25日(星期三) 上午10:00",
        "已经恢复了，谢谢\n\n在 2026年11月25日 10:00，反馈 <fankui@cc-pg.cn> 写道：\n> 问题已处理",
        "已经恢复了，谢谢\n\n在 2026年11月25日 星期三 10:00，\"反馈\" <fankui@cc-pg.cn>\n写道：\n问题已处理",
        "已经恢复了，谢谢\n\nOn Wed, Nov 25, 2026 at 10:00 AM 反馈 <fankui@cc-pg.cn> wrote:\n> 问题已处理",
        "已经恢复了，谢谢\n\n________________________________\nFrom: 反馈 <fankui@cc-pg.cn>\nSent: Wednesday, November 25, 2026 10:00\nTo: 张三\n问题已处理",
        "已经恢复了，谢谢\n\n发件人：反馈\n时间：2026年11月25日 10:00\n收件人：张三\n问题已处理",
        "已经恢复了，谢谢\n\n发自我的iPhone\n\n------------------ 原始邮件 ------------------\n问题已处理",
        "已经恢复了，谢谢\n-- \n张三 | 华南区 | 138-0000-0000",
        "> 问题已处理，请确认\n已经恢复了，谢谢",
    ],
)
def test_quoted_history_and_signatures_are_trimmed(text: str) -> None:
    assert trim_quoted(text) == "已经恢复了，谢谢"


def test_a_bottom_posted_answer_survives_trimming() -> None:
    text = "On Wed, Nov 25, 2026 at 10:00 AM 反馈 <fankui@cc-pg.cn> wrote:\n> 问题已处理，请确认\n\n还是不行，截图见附件"
    assert trim_quoted(text) == "还是不行，截图见附件"


def test_an_ordinary_from_line_is_not_a_quote_marker() -> None:
    text = "From: 华南区 项目部\n门禁打不开"
    assert trim_quoted(text) == text


# --- signatures without a "-- " line -------------------------------------------------------------

ASKED = "EAS 付款单提交后一直显示审批中，已经两天了"


@pytest.mark.parametrize(
    "signature",
    [
        "王磊\n华东区 客服主管\n手机：139 0000 1234\n邮箱：wanglei@cc-pg.cn",  # Outlook's signature, no "-- "
        "李梅 | 财务共享中心 | 0755-2666 8888",  # a one-line Foxmail signature
        "Tel: +86 20 3812 0000\nMob: 186-0000-5678\nwww.cc-pg.cn",
        "陈晓 物业服务中心\n座机 020-38120000 转 8012",
        "本邮件及其附件含有保密信息，仅限于发送给上面地址中列出的个人或群组，禁止任何其他人使用或传播。",
    ],
)
def test_a_signature_without_a_dash_line_is_left_off(signature: str) -> None:
    assert strip_signature(f"{ASKED}\n\n{signature}", "王磊") == ASKED


def test_a_signature_and_a_disclaimer_under_it_both_go() -> None:
    text = f"{ASKED}\n\n谢谢\n\n赵琳\n一应科技 实施工程师\n手机 13512345678\n\nThis e-mail may contain confidential information."
    assert strip_signature(text) == f"{ASKED}\n\n谢谢"


@pytest.mark.parametrize(
    "ending",
    [
        "请尽快回电 13800001111，谢谢",  # a sentence, not a sign-off
        "业主：陈女士\n电话：13700002222\n房号：3栋1201",  # the owner's details are the report
        "车牌 粤B12345\n时间 10:30",
    ],
)
def test_report_details_at_the_end_stay(ending: str) -> None:
    text = f"{ASKED}\n\n{ending}"
    assert strip_signature(text, "王磊") == text


def test_the_only_paragraph_is_never_taken_for_a_signature() -> None:
    assert strip_signature("孙丽 | 客服部 | 13911112222") == "孙丽 | 客服部 | 13911112222"


def test_a_mailed_report_keeps_neither_quote_nor_signature() -> None:
    raw = samples.foxmail_gbk(
        address="sunli@cc-pg.cn", name="孙丽", subject="门禁刷卡没反应",
        body=f"{ASKED}\n\n孙丽\n华南一号项目 客服专员\n电话 020-38121234\n\n-----原始邮件-----\n发件人: 项目群\n主题: 通知",
        message_id="<sl-1@cc-pg.cn>",
    )
    assert parse_mail(raw).reply_text == ASKED


# --- automated mail -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "subject", "reason"),
    [
        ("Auto-Submitted: auto-replied\r\n", "EAS", "auto-submitted"),
        ("X-Autoreply: yes\r\n", "EAS", "auto-reply header"),
        ("X-Autorespond: yes\r\n", "EAS", "auto-reply header"),
        ("Precedence: bulk\r\n", "EAS", "precedence"),
        ("Precedence: auto_reply\r\n", "EAS", "precedence"),
        ("List-Id: <it.cc-pg.cn>\r\n", "EAS", "mailing list"),
        ("Return-Path: <>\r\n", "EAS", "bounce"),
        ("Return-Path: <>\r\nAuto-Submitted: auto-replied\r\n", "投递失败：[FK261125-ABCDE]", "bounce"),
        ("", "自动回复: EAS 无法登录", "auto-reply subject"),
        ("", "Auto Reply: EAS", "auto-reply subject"),
        ("", "Out of Office: EAS", "auto-reply subject"),
        ("", "外出：张三 11月25日-11月30日", "auto-reply subject"),
        ("X-Fankui-Ticket: FK261125-ABCDE\r\nAuto-Submitted: auto-generated\r\n", "[FK261125-ABCDE] 您的问题已解决", "loop"),
    ],
)
def test_automated_mail_is_recognised(headers: str, subject: str, reason: str) -> None:
    assert parse_mail(plain(headers, subject=subject)).automated.startswith(reason)


def test_a_bounce_is_recognised_by_its_empty_envelope_sender() -> None:
    assert parse_mail(plain(""), envelope_from="").automated.startswith("bounce")


def test_a_delivery_status_report_is_a_bounce_whatever_else_it_says() -> None:
    raw = (
        "From: 邮件系统 <postmaster-relay@cc-pg.cn>\r\nTo: fankui@cc-pg.cn\r\nSubject: =?UTF-8?B?5oqV6YCS5aSx6LSl?=\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nmailbox full\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\nAction: failed\r\n--b1--\r\n"
    ).encode()
    assert parse_mail(raw, envelope_from="postmaster-relay@cc-pg.cn").automated == "bounce: delivery status report"


@pytest.mark.parametrize(("headers", "subject"), [("Auto-Submitted: no\r\n", "EAS"), ("", "外出打卡定位失败"), ("Precedence: normal\r\n", "EAS")])
def test_a_persons_mail_is_not_automated(headers: str, subject: str) -> None:
    assert parse_mail(plain(headers, subject=subject), envelope_from="zhangsan@cc-pg.cn").automated == ""


# --- threading facts ----------------------------------------------------------------------------------


def test_the_ticket_ref_is_parsed_out_of_our_message_ids() -> None:
    assert ref_from_message_id("<fankui.42.FK261125-ABCDE@cc-pg.cn>") == "FK261125-ABCDE"
    assert ref_from_message_id("<fankui.42@cc-pg.cn>") is None
    assert ref_from_message_id("<202611251030@cc-pg.cn>") is None


def test_refs_are_found_in_subjects_with_any_brackets() -> None:
    assert ticket_refs("回复：[FK261125-ABCDE] 【fk261124-XYZ23】 FK261125-ABCDE") == ("FK261125-ABCDE", "FK261124-XYZ23")
    assert ticket_refs("订单 FK2611-ABCDE 与 FK261125-ABCD1") == ()  # wrong length; 1 is not in the alphabet
    assert ticket_refs("请问工单FK261125-ABCDE的进度") == ("FK261125-ABCDE",)  # no space beside Chinese text
    assert ticket_refs("XFK261125-ABCDE FK261125-ABCDE7") == ()


def test_thread_ids_put_in_reply_to_first_then_references_newest_first() -> None:
    raw = plain("In-Reply-To: <c@x>\r\nReferences: <a@x>\r\n <b@x> <c@x>\r\n")
    assert parse_mail(raw).thread_ids == ("<c@x>", "<b@x>", "<a@x>")


def test_the_idempotency_key_fits_the_column() -> None:
    short = ParsedMail(message_id="<a1@cc-pg.cn>", sender="a@b", sender_name="", subject="", text="")
    long = ParsedMail(message_id=f"<{'x' * 120}@cc-pg.cn>", sender="a@b", sender_name="", subject="", text="")
    assert short.idempotency_key == "mail:<a1@cc-pg.cn>"
    assert long.idempotency_key.startswith("mail:sha256:") and len(long.idempotency_key) <= 100


def test_priority_headers_mark_the_mail_urgent() -> None:
    assert parse_mail(plain("X-Priority: 1 (Highest)\r\n")).urgent
    assert parse_mail(plain("Importance: High\r\n")).urgent
    assert not parse_mail(plain("X-Priority: 3\r\n")).urgent
