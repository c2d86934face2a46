import pandas as pd
import pytest

from lib.codes import looks_like_code, mask_code, mask_codes, redact_codes

CODE = "#FQeE8Jr2pI+Vw6yBhxgS7cK2BrE6cJuaD/xHqnjKcHPAlOYR/6d7B0KZlTD0UF5k="


def test_mask_shows_first_and_last_four_only():
    assert mask_code(CODE) == "#FQe••••F5k="
    assert CODE not in mask_code(CODE)


@pytest.mark.parametrize("code", ["#a", "#abc", "#abcdefgh", "#abcdefghijklmno", CODE, "x" * 10_000])
def test_mask_never_contains_the_whole_code(code):
    masked = mask_code(code)
    assert code not in masked
    assert masked == mask_codes(pd.Series([code], dtype="string"))[0]


def test_mask_keeps_missing_missing():
    assert mask_code(None) is None
    out = mask_codes(pd.Series([None, "", CODE], dtype="string"))
    assert pd.isna(out[0]) and out[1] == "" and out[2] == mask_code(CODE)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (CODE, True),
        ("#abcdefghijklmnop", True),
        ("abcdefghijklmnopqrst", False),
        ("#abc 123", False),
        ("#short", False),
        ("#abcdefghijklmnopq!", False),
    ],
)
def test_looks_like_code(text, ok):
    assert looks_like_code(pd.Series([text]))[0] == ok


def test_redact_codes_inside_free_text():
    text = f"Applied {CODE} on Monday; old one {CODE[:-2]}"
    redacted = redact_codes(text)
    assert CODE not in redacted and CODE[:-2] not in redacted
    assert redacted.startswith("Applied #FQe••••")
