"""The yardstick for bench/browser.py: a bare Streamlit page with one Plotly bar chart.

Whatever Streamlit, the browser and Plotly cost on this machine, this page costs too; the
Overview is judged by how much slower it is than this, in the same run, under the same load.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Bare page", layout="wide")
st.title("Bare page", anchor=False)
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c", "d"], y=[3, 1, 4, 1])), key="bare")
