"""The Streamlit UI of Backprop Playground: thin wiring over bp_core.

config.py    the setup: Config, its choices and consistency checks (no Streamlit)
params.py    the one parameter table: URL parsing and writing, widgets, forged-value rules
i18n.py      the string catalogues (locales/*.json) and t()
session.py   every session-state key, typed, in one place (``visitor.net``)
state.py     how the network, the data and the pass are (re)built for a setup
app_main.py  the frame every page shares, and the modes as st.navigation pages
sidebar.py   the setup widgets, drawn from the rows of params.py
step_view.py Next / Back / Finish pass / New batch and the phase panels
train_view.py, check_view.py, save_view.py: the other tabs
"""
