from fankui.core.terminal import display_width, ljust_display


def test_chinese_characters_take_two_columns_so_rows_line_up():
    assert display_width("彭戈") == 4
    assert display_width("dingjiagui") == 10
    assert len({display_width(ljust_display(name, 12)) for name in ["彭戈", "小U", "dingjiagui"]}) == 1
