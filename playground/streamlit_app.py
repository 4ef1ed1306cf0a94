"""The script that `backprop-playground` hands to `streamlit run` (see cli.py).

It lives inside the package so that an installed copy can find it, and Streamlit reads
the hosted settings from `.streamlit/config.toml` beside it.
"""

from playground.app_main import main

main()
