"""Data: where the data comes from, the connection test, a file upload, and setup steps."""

from ui import app_settings, data, page_top, state

ctx = state.shared()
config = app_settings.source_config()
page_top.draw("Data", ctx)
data.configured(config)
data.share_with(config)
data.connection_test(config)
data.tiktok_block()
data.upload()
data.setup_steps()
