"""The tiny Markdown renderer: the guide's subset, everything else escaped."""
from __future__ import annotations

from fankui.kb.markdown import render_markdown


def test_paragraphs_keep_line_breaks() -> None:
    assert render_markdown("第一行\n第二行\n\n第二段") == "<p>第一行<br>第二行</p>\n<p>第二段</p>"


def test_numbered_list_in_either_style() -> None:
    assert render_markdown("1. 检查社区\n2. 等待10分钟") == "<ol><li>检查社区</li><li>等待10分钟</li></ol>"
    assert render_markdown("3、检查身份") == '<ol start="3"><li>检查身份</li></ol>'


def test_bullets_and_bold() -> None:
    assert render_markdown("- **问题**：闪退\n- 版本") == "<ul><li><strong>问题</strong>：闪退</li><li>版本</li></ul>"


def test_everything_else_is_escaped() -> None:
    html = render_markdown('<a href="javascript:x">点</a> [链接](javascript:alert(1)) **<b>x</b>**')
    assert html == "<p>&lt;a href=&quot;javascript:x&quot;&gt;点&lt;/a&gt; [链接](javascript:alert(1)) <strong>&lt;b&gt;x&lt;/b&gt;</strong></p>"


def test_contacts_link_to_the_directory_longest_name_first() -> None:
    html = render_markdown("请联系余东金15507526322", contacts=["余东金", "余东"])
    assert html == '<p>请联系<a class="contact" href="/contacts/?q=%E4%BD%99%E4%B8%9C%E9%87%91">余东金</a>15507526322</p>'
