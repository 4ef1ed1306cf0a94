# The hosted demo of Backprop Playground in one container.
#
#   docker build -t backprop-playground .
#   docker run --rm -p 8501:8501 backprop-playground        # then open http://localhost:8501
#
# Hosted mode (BP_PLAYGROUND_HOSTED=1): no learner code is ever run.  One container is one
# Streamlit process; for a bigger workshop run several behind nginx (deploy/README.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BP_PLAYGROUND_HOSTED=1 \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

WORKDIR /app

# The dependencies first, so that a code change does not reinstall them: what the app
# runs on (requirements.txt, no test tools), at the versions CI tested (constraints.txt).
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

# The app (.dockerignore keeps tests, build output, git and venvs out); not writable by it.
COPY . .
RUN useradd --create-home --uid 10001 app
USER app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read().strip() == b'ok' else 1)"]

CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
