"""Backprop Playground: step through backpropagation, one layer at a time.

    streamlit run app.py

The page itself is `playground.app_main`; this file only starts it.
"""

from playground.app_main import main

main()
