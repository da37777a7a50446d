from counter_app.ui.common.text import fill


def test_fill_substitutes_every_placeholder_in_one_pass():
    assert fill("Give %1 a new card? The old card %2 stops.", "张%2三", "C0001") == \
        "Give 张%2三 a new card? The old card C0001 stops."
    assert fill("%2 before %1", "a", "b") == "b before a"
    assert fill("%1 and %3", 7) == "7 and %3"  # no argument: left alone
    assert fill("%1%", "100") == "100%"
