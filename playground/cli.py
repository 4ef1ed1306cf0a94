"""The console entry point: `backprop-playground [streamlit run options]`.

    backprop-playground                                  # http://localhost:8501
    backprop-playground --server.port 8502 --server.headless true
    BP_PLAYGROUND_HOSTED=1 backprop-playground --server.address 0.0.0.0

It is `streamlit run playground/streamlit_app.py` with the arguments passed through.
Settings: Streamlit reads `.streamlit/config.toml` from the folder of the script it runs,
and that file here is the package's own `playground/.streamlit/config.toml`, the hosted
settings (no tracebacks for viewers, 1 MB uploads, no full gc after each run).  It
overrides a `.streamlit/config.toml` in the current folder; command-line options and
`STREAMLIT_*` variables override both.
"""

from __future__ import annotations

import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().with_name("streamlit_app.py")


def main(argv: list[str] | None = None) -> None:
    """Run the app through Streamlit's own command line; exits with its status."""
    from streamlit.web import cli as streamlit_cli

    args = sys.argv[1:] if argv is None else list(argv)
    sys.argv = ["streamlit", "run", str(SCRIPT), *args]
    sys.exit(streamlit_cli.main())


if __name__ == "__main__":
    main()
