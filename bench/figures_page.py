"""A floor for bench/browser.py: the Overview's three charts alone, on an otherwise bare page.

The same figures the Overview draws for the bench's sheet (lib.overview, same config), with
nothing else on the page: what the charts cost the browser by themselves. The Overview's
fully-drawn time is judged against the one-chart bare page; this page says how much of the
gap the three charts account for before any table, widget or sidebar is drawn.
"""

import datetime as dt
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import synthetic_table  # noqa: E402
from lib import charts  # noqa: E402
from lib.diagnose import diagnose  # noqa: E402
from lib.normalize import normalize  # noqa: E402
from lib.overview import overview_parts, timeline_parts  # noqa: E402
from ui.overview import CHART_CONFIG  # noqa: E402

ROWS = 3_000


@st.cache_resource
def _figures() -> list:
    today = dt.date.today()
    shown = diagnose(normalize(synthetic_table(ROWS, today)).frame, today)
    parts = overview_parts(shown, today, 7)
    return [timeline_parts(shown, today, charts.TIMELINE_LIMIT).figure, parts.issue_chart, parts.week_chart]


st.set_page_config(page_title="Figures page", layout="wide")
st.title("Figures page", anchor=False)
for i, figure in enumerate(_figures()):
    st.plotly_chart(figure, config=CHART_CONFIG, key=f"figure_{i}")
