"""Hostile cell text on every page of the real app (AppTest): shown as inert text, never as markup.

The sheet is the demo plus, for each hostile string, three rows: an expiring authorization
and a received-but-not-applied code whose free-text cells (creator, campaign, brand, owner,
notes, ad account) hold the string, and a row where every cell holds it (post link, status,
dates, code ... too). Every page must render without an error; the strings must reach the
page only through elements that show characters as they are (text, code, tables, option
lists), never through markdown, captions, titles, labels or HTML; and right-to-left text is
kept in its own bidi island wherever it shares a line with the product's words.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from app_helpers import (
    ACT,
    AUTHORIZATIONS,
    DATA,
    OVERVIEW,
    PAGES,
    TROUBLESHOOTER,
    assert_clean,
    no_settings,
    open_app,
    plotly_specs,
    sidebar_filter,
)
from streamlit.testing.v1.util import patch_config_options

from lib import demo
from lib.bidi import FSI, PDI, isolate, isolate_all
from lib.charts import CAMPAIGN_CHARS, LABEL_CHARS
from lib.clock import team_today
from lib.diagnose import diagnose
from lib.normalize import normalize
from ui import authorizations, troubleshooter

HOSTILE_CELLS: dict[str, str] = {
    "script": '<script>alert("xss")</script>',
    "img": '<img src="https://evil.example/x.png" onerror="alert(2)">',
    "markdown": "[Open the brief](https://evil.example/phish) **bold** ![pic](https://evil.example/p.png)",
    "formula": '=HYPERLINK("https://evil.example/f","Click me")',
    "long": "L" * 10_000,
    "rtl": "\u202eevil.exe مرحبا",  # an override that is never closed, then Arabic letters
    "zero_width": "zero\u200bwidth\u200c\u200d\ufeffjoin\u2060er",
}
"""What a hostile (or just careless) sheet can hold."""

MASKED_AS_READ: dict[str, str] = {
    "script": "scri••••ript",
    "img": "img ••••t(2)",
    "markdown": "[Ope••••png)",
    "formula": '=HYP••••me")',
    "long": "LLLL••••LLLL",
    "rtl": "e••••",  # the override and the Arabic letters are not code characters: cleaned away
    "zero_width": "z••••",
}
"""Each hostile string read as a code cell: cleaned as codes are, then masked (first and last four)."""

MARKERS = ("alert(", "onerror", "evil.example", "hyperlink", "l" * 30, "\u202e", "مرحبا", "\u200b", "\u2060")
"""Pieces of the hostile cells, lower case: none may appear in anything drawn as markdown."""

TEXT_CELLS = ("TikTok handle", "Campaign", "Brand", "Owner", "Notes", "Ad account")
"""Free-text cells set to the hostile string in rows that otherwise stay valid."""

_DEMO_TABLE = demo.demo_table
"""The real demo sheet, kept before a test replaces `lib.demo.demo_table`."""

MARKDOWN_TYPES = {"markdown", "caption", "title", "header", "subheader", "info", "success", "warning", "error", "toast"}
"""AppTest element types whose body Streamlit renders as markdown."""


def hostile_sheet(today=None) -> list[list[str]]:
    """The demo sheet with three hostile rows per string appended (see the module docstring)."""
    header, *rows = _DEMO_TABLE(today)
    at = {name: n for n, name in enumerate(header)}
    when = today or team_today()
    diagnosed = diagnose(normalize([header, *rows]).frame, when, 7)
    expiring = rows[int(diagnosed.loc[diagnosed["health"] == "expiring", "row"].iloc[0]) - 2]
    received = next(r for r in rows if r[at["Status"]].strip().lower() == "received")
    extra = []
    for value in HOSTILE_CELLS.values():
        for template in (expiring, received):
            row = list(template)
            for name in TEXT_CELLS:
                row[at[name]] = value
            extra.append(row)
        extra.append([value] * len(header))
    return [header, *rows, *extra]


def hostile_rows(today=None) -> pd.DataFrame:
    """The appended rows as the app reads them: sheet row, which string, and the normalised frame's cells."""
    sheet = hostile_sheet(today or team_today())
    frame = normalize(sheet).frame
    first = len(sheet) - 3 * len(HOSTILE_CELLS) + 1  # sheet row of the first appended row
    rows = frame.loc[frame["row"] >= first].copy()
    rows["name"] = [name for name in HOSTILE_CELLS for _ in range(3)]
    rows["kind"] = ["expiring", "received", "every_cell"] * len(HOSTILE_CELLS)
    return rows.set_index(["name", "kind"])


@pytest.fixture
def hostile_app(monkeypatch, tmp_path):
    """Open the real app on the hostile sheet (no secrets file, no source override)."""
    monkeypatch.setattr("lib.demo.demo_table", hostile_sheet)
    monkeypatch.delenv("SPARKWATCH_SOURCE", raising=False)
    with patch_config_options({"secrets.files": [no_settings(tmp_path)]}):
        yield open_app


# ---------------------------------------------------------------------------
# Reading what a page shows.


def nodes(block) -> Iterator:
    """Every element under a block, depth first."""
    for child in getattr(block, "children", {}).values():
        yield child
        yield from nodes(child)


def markdown_like(at) -> list[str]:
    """Everything Streamlit renders as markdown: bodies of markdown-ish elements, every label and help text."""
    found = []
    for node in (*nodes(at.main), *nodes(at.sidebar)):
        if getattr(node, "type", "") in MARKDOWN_TYPES:
            found.append(node.value)
        for attribute in ("label", "help"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                found.append(value)
    return found


def plain_texts(block) -> list[str]:
    """What a block shows as characters: text and code elements, table cells, option lists; isolates removed."""
    found = []
    for node in nodes(block):
        kind = getattr(node, "type", "")
        if kind in ("text", "code"):
            found.append(node.value)
        elif kind == "dataframe":
            cells = node.value.to_numpy().ravel().tolist()
            found += [str(x) for c in cells for x in (c if isinstance(c, list | tuple) else [c]) if isinstance(x, str)]
        elif kind in ("selectbox", "multiselect"):
            found += list(node.options)
    return [t.replace(FSI, "").replace(PDI, "") for t in found]


def assert_inert(at) -> None:
    """No error, no HTML element, and no piece of a hostile cell in anything drawn as markdown."""
    assert_clean(at)
    assert not at.get("html")
    leaked = [t[:80] for t in markdown_like(at) if any(m in t.casefold() for m in MARKERS)]
    assert not leaked, leaked


def assert_shown(texts: list[str], values) -> None:
    for value in values:
        assert any(value in t for t in texts), value[:80]


# ---------------------------------------------------------------------------
# Every page.


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_hostile_cells_as_inert_text(hostile_app, page):
    at = hostile_app(page)
    assert_inert(at)
    rows = hostile_rows()
    shown = plain_texts(at.main)
    if page == OVERVIEW:
        actions = at.dataframe[-1].value  # the action list: each chart's numbers table comes before it
        assert set(HOSTILE_CELLS.values()) <= set(actions["Campaign"].dropna())
        assert set(rows.xs("expiring", level="kind")["creator"]) <= set(actions["Creator"].dropna())
    elif page == AUTHORIZATIONS:
        table, fixes = (d.value for d in at.dataframe)
        for column in ("Campaign", "Brand", "Owner", "Notes", "Post"):
            assert set(HOSTILE_CELLS.values()) <= set(table[column].dropna()), column
        # The every-cell rows: each unreadable cell is listed with its value exactly as written.
        every = fixes.loc[fixes["Sheet row"].isin(rows.xs("every_cell", level="kind")["row"])]
        assert {"Status", "Authorized on", "Expires", "Campaign end"} <= set(every["Column"])
        assert set(HOSTILE_CELLS.values()) <= set(every["Value"])
    elif page == ACT:
        assert_shown(shown, rows.xs("expiring", level="kind")["creator"])  # the message list
        assert_shown(shown, HOSTILE_CELLS.values())  # ad accounts in the batch headings, campaigns in messages
    elif page == TROUBLESHOOTER:
        assert_shown(at.selectbox(key=troubleshooter.KEY_ROW).options, rows["creator"].dropna())
    elif page == DATA:  # here the sheet's text arrives as an upload: its file name and its rows
        name = f"{HOSTILE_CELLS['script']}{HOSTILE_CELLS['rtl']}.csv"
        out = io.StringIO()
        csv.writer(out).writerows(hostile_sheet(team_today()))
        (box,) = at.get("file_uploader")
        box.upload(name, out.getvalue().encode("utf-8"), "text/csv")
        at.run()
        assert_inert(at)
        assert_shown(plain_texts(at.main), [f"Using {name} ("])
        # The name's unclosed right-to-left override must not reorder the words after it.
        assert_shown([t.value for t in at.main.text], [f"Using {FSI}{name}{PDI} ("])


def test_filters_offer_hostile_values_as_plain_options_and_narrow_to_them(hostile_app):
    at = hostile_app(OVERVIEW)
    for name in ("campaign", "brand", "owner"):
        assert set(HOSTILE_CELLS.values()) <= set(sidebar_filter(at, name).options), name
    rows = hostile_rows()
    for name, value in HOSTILE_CELLS.items():
        sidebar_filter(at, "campaign").set_value([value]).run()
        assert_inert(at)
        assert sum(int(m.value) for m in at.metric) == len(rows.xs(name, level="name")), name
        assert set(at.dataframe[-1].value["Campaign"]) <= {value}


def test_search_for_hostile_text_finds_its_rows(hostile_app):
    at = hostile_app(AUTHORIZATIONS)
    for value in HOSTILE_CELLS.values():
        at.text_input(key=authorizations.KEY_SEARCH).input(value).run()
        assert_inert(at)
        table = at.dataframe[0].value
        cells = table.map(str).agg(" ".join, axis=1)
        assert len(table) >= 3 and cells.str.contains(value, regex=False).all()


# ---------------------------------------------------------------------------
# Where sheet text meets the product's own words.


def test_troubleshooter_checks_hostile_rows_in_plain_text(hostile_app):
    at = hostile_app(TROUBLESHOOTER)
    at.multiselect(key=troubleshooter.KEY_SYMPTOMS).set_value(["code_rejected", "wont_attach", "preview_gone"]).run()
    rows = hostile_rows()
    for (name, kind), row in rows.loc[rows.index.get_level_values("kind") != "received"].iterrows():
        at.selectbox(key=troubleshooter.KEY_ROW).set_value(int(row["row"])).run()
        assert_inert(at)
        verdicts = plain_texts(at.main)
        messages = [c.value.replace(FSI, "").replace(PDI, "") for c in at.main.code]
        assert all(m.startswith(f"Hi {row['creator']}!") for m in messages), name
        if kind == "every_cell":  # the code cell is checked, and quoted masked, in plain text
            assert any(f"The code in the sheet ({MASKED_AS_READ[name]})" in v for v in verdicts), name
        else:
            assert len(messages) == 1 and row["post"] in messages[0], name


def test_right_to_left_text_is_isolated_beside_the_products_words(hostile_app):
    rtl = hostile_rows().xs("rtl", level="name")
    creator = rtl.loc["expiring", "creator"]
    isolated = f"{FSI}{creator}{PDI}"

    at = hostile_app(ACT)
    assert_inert(at)
    texts = [t.value for t in at.main.text]
    assert any(t.startswith(f"{isolated} · ") for t in texts)  # '… · 2 posts' stays in reading order
    assert any(t.startswith(f"{FSI}{HOSTILE_CELLS['rtl']}{PDI} · ") for t in texts)  # a batch heading
    messages = [c.value for c in at.main.code if c.value.startswith("Hi ")]
    assert any(m.startswith(f"Hi {isolated}! ") for m in messages)

    at.switch_page(TROUBLESHOOTER).run()
    options = at.selectbox(key=troubleshooter.KEY_ROW).options
    assert any(o.startswith(f"{isolated} · ") for o in options)

    at.switch_page(OVERVIEW).run()
    labels = [y for t in plotly_specs(at)["overview_timeline"]["data"] if t["type"] == "bar" for y in t["y"]]
    campaign = isolate(rtl.loc["expiring", "campaign"])
    assert f"{isolated} · {campaign} · row {rtl.loc['expiring', 'row']}" in [html.unescape(y) for y in labels]
    plain = [y for y in labels if "evil" not in y and "مرحبا" not in y]
    assert not [y for y in plain if FSI in y]  # left-to-right handles stay as the sheet wrote them


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def test_timeline_labels_are_escaped_and_bounded(hostile_app):
    at = hostile_app(OVERVIEW)
    spec = plotly_specs(at)["overview_timeline"]
    assert not re.search(r"<(script|img|a)\b", json.dumps(spec), re.IGNORECASE)
    labels = [html.unescape(y) for t in spec["data"] if t["type"] == "bar" for y in t["y"]]
    rows = hostile_rows().xs("expiring", level="kind")
    def label(row) -> str:
        return f"{cut(row['creator'], LABEL_CHARS)} · {cut(row['campaign'], CAMPAIGN_CHARS)} · row {row['row']}"

    assert label(rows.loc["long"]) in labels
    assert label(rows.loc["script"]) in labels
    parts = [y.replace(FSI, "").replace(PDI, "").split(" · ") for y in labels]
    assert max(len(p[0]) for p in parts) <= LABEL_CHARS and max(len(p[1]) for p in parts) <= CAMPAIGN_CHARS


def test_isolation_wraps_only_text_that_can_reorder_its_neighbours():
    cells = pd.Series([*HOSTILE_CELLS.values(), "@kai.cooks", "שלום", None], dtype="string")
    wrapped = isolate_all(cells)
    assert wrapped.tolist()[:-1] == [isolate(c) for c in cells.tolist()[:-1]]
    changed = {c for c, w in zip(cells.dropna(), wrapped.dropna(), strict=True) if c != w}
    assert changed == {HOSTILE_CELLS["rtl"], "שלום"}
    assert isolate("שלום") == f"{FSI}שלום{PDI}" and pd.isna(wrapped.iloc[-1])
