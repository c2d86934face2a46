"""Streamlit glue shared by the pages: state and sidebar (`ui.state`), small renderers (`ui.views`),
and one module of sections per page. `lib/` never imports from here."""
