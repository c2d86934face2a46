"""Data: where the data comes from, the connection test, a file upload, and setup steps."""

import streamlit as st

from ui import app_settings, data, state

state.shared()
config = app_settings.source_config()
st.title("Data", anchor=False)
data.configured(config)
data.share_with(config)
data.connection_test(config)
data.upload()
data.setup_steps()
