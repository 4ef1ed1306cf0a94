"""The Streamlit UI of Backprop Playground: thin wiring over bp_core.

config.py    the setup: Config, its choices and consistency checks (no Streamlit)
params.py    the one parameter table: URL parsing and writing, widgets, forged-value rules
i18n.py      the string catalogues (locales/*.json) and t()
state.py     what lives in st.session_state and how it is (re)built
sidebar.py   the setup widgets
step_view.py Next / Back / Finish pass / New batch and the phase panels
train_view.py, check_view.py, save_view.py: the other tabs
"""
