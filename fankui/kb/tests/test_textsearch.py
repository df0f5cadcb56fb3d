"""Pure search text logic: folding, bigrams, query phrases, word boundaries, highlighting."""
from __future__ import annotations

from fankui.kb.textsearch import accepted_spans, bigram_text, fold, highlight, parse_query


def hits(query: str, text: str) -> bool:
    return accepted_spans(fold(text), parse_query(query)) is not None


def test_bigrams_fold_width_case_and_traditional_characters() -> None:
    assert bigram_text("ＶＰＮ連不上，發票") == "vpn 连不 不上 发票"


def test_a_lone_character_stays_a_unigram_and_latin_words_and_numbers_stay_whole() -> None:
    assert bigram_text("粤B15444 门 1202VPN") == "粤 b 15444 门 1202 vpn"


def test_query_words_become_phrases_all_required() -> None:
    assert parse_query("门禁卡  离线").fts5() == '"门禁 禁卡" "离线"'
    assert parse_query("ＥＡＳ\u3000凭证").fts5() == '"eas" "凭证"'


def test_a_lone_character_is_checked_in_the_text_not_the_index() -> None:
    query = parse_query("粤B15444")
    assert query.fts5() == '"b 15444"'
    assert hits("粤B15444", "车牌粤B15444出不去")
    assert not hits("粤B15444", "车牌沪B15444出不去")


def test_two_character_words_match_inside_longer_words() -> None:
    assert hits("门禁", "太川门禁卡刷不了")
    assert hits("工单", "上工单提交不了")  # jieba cuts 上工/单; a 2-character cut is let through


def test_a_hit_across_a_word_boundary_is_rejected() -> None:
    assert not hits("和服", "已经和服务中心联系过")
    assert hits("和服", "订的和服尺寸不对")
    assert not hits("线下", "在线下单失败")


def test_latin_words_stand_alone() -> None:
    assert not hits("oa", "goal")
    assert hits("oa", "OA流程卡住")
    assert hits("vpn", "阳光小区1202VPN连不上")
    assert not hits("120", "阳光小区1202VPN连不上")


def test_every_word_must_match() -> None:
    assert hits("门禁 离线", "门口机离线，门禁刷不开")
    assert not hits("门禁 闪退", "门口机离线，门禁刷不开")


def test_highlight_escapes_and_marks_in_the_original_text() -> None:
    assert highlight("<b>ＶＰＮ</b>连不上", parse_query("vpn")) == "&lt;b&gt;<mark>ＶＰＮ</mark>&lt;/b&gt;连不上"
    assert highlight("發票驗真失敗", parse_query("发票")) == "<mark>發票</mark>驗真失敗"


def test_snippet_is_a_window_around_the_first_hit() -> None:
    text = "无关" * 100 + "门禁离线" + "无关" * 100
    snippet = highlight(text, parse_query("门禁"), around=40)
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>门禁</mark>" in snippet


def test_the_words_around_a_hit_come_from_its_own_run_as_from_the_whole_text() -> None:
    import rjieba

    from fankui.kb.textsearch import _cuts_a_word

    def whole_text_cuts(folded: str, start: int, end: int) -> bool:
        cut = [e - s for _, s, e in rjieba.tokenize(folded) if e > start and s < end and not (start <= s and e <= end) and not (s <= start and end <= e)]
        return any(length >= 3 for length in cut) or len(cut) >= 2

    texts = ["你好，已经和服务中心联系过。订的和服尺寸不对", "在线下单失败，线下缴费记录没同步", "eas 凭证过账失败，上工单提交不了", "联盟购申请退款第1单没到账"]
    for text in texts:
        folded = fold(text)
        for word in ("和服", "线下", "凭证", "工单", "到账", "退款", "服务"):
            at = folded.find(word)
            while at >= 0:
                assert _cuts_a_word(folded, at, at + len(word)) == whole_text_cuts(folded, at, at + len(word)), (text, word)
                at = folded.find(word, at + 1)
    assert hits("和服", "你好，已经和服务中心联系过。订的和服尺寸不对")
    assert not hits("和服", "你好，已经和服务中心联系过。")
