# syntax=docker/dockerfile:1
# GenAI Explainer's images: `rasa` (the Rasa server with the trained model), `actions` (the action server) and
# `chat-page` (the page with the rasa-webchat widget). README, "Container images and compose".
#
#   make train && docker build --target rasa -t genai-explainer-rasa .
#
# The model is COPIED from models/genai-explainer.tar.gz, not trained here: training takes minutes and
# TensorFlow's results differ run to run, so the image carries the very model that `make test` checked
# (its stories and evaluation floors). Run `make train` before building; the build stops if it is missing.
#
# A build behind a TLS-intercepting proxy passes its CA bundle as a secret (`--secret id=build_ca,src=FILE`);
# it is used by pip and npm during the build only and is in no layer.

ARG BASE_IMAGE=python:3.10-slim
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build stage: npm; only the widget bundle reaches the chat-page image ----------------------------------

# The widget from web/package-lock.json (npm ci), as `make web-install` installs it.
FROM ${NODE_IMAGE} AS web-deps
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/build_ca; fi \
 && npm ci --no-audit --no-fund --loglevel=error

# ---- final stages: the base image, a non-root user, a venv, the code; no compiler, pip or test package ----
# Each server installs its venv in its own stage (the base image has no compiler, and pip is removed in the same
# layer): a separate build stage would copy Rasa's 2.8 GB venv once more, which cost minutes in every build.

FROM ${BASE_IMAGE} AS runtime
RUN useradd --create-home --home-dir /home/genai --uid 10001 --user-group --shell /usr/sbin/nologin genai
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    RASA_TELEMETRY_ENABLED=false \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    PYTHONWARNINGS=ignore::DeprecationWarning \
    GENAI_KNOWLEDGE_DIR=/app/knowledge
WORKDIR /app

FROM runtime AS rasa
# The run-time lock only (requirements.lock); tests' packages are in requirements-dev.lock and never here.
COPY requirements.lock /tmp/requirements.lock
RUN --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export PIP_CERT=/run/secrets/build_ca; fi \
 && python -m venv /opt/venv \
 && /opt/venv/bin/python -m pip install --no-cache-dir --disable-pip-version-check --quiet pip==24.3.1 \
 && /opt/venv/bin/python -m pip install --no-cache-dir --disable-pip-version-check --quiet -r /tmp/requirements.lock \
 && /opt/venv/bin/python -m pip uninstall --yes --quiet pip && rm /tmp/requirements.lock
COPY config.yml domain.yml endpoints.yml endpoints.production.yml credentials.yml /app/
COPY knowledge /app/knowledge
COPY explainer /app/explainer
COPY components /app/components
COPY channels /app/channels
COPY serving /app/serving
COPY rasa_fixes /app/rasa_fixes
COPY insights /app/insights
COPY models/genai-explainer.tar.gz /app/models/genai-explainer.tar.gz
# Rasa writes its caches and temporary model files under the working directory and $HOME: only those are
# the user's; the code and the model stay root's and read-only.
RUN mkdir -p /app/.rasa && chown genai:genai /app/.rasa
USER genai
EXPOSE 5005
HEALTHCHECK --interval=10s --timeout=5s --start-period=180s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/webhooks/rest/health', timeout=4)"
# serving.rasa_server checks the settings, then runs `rasa run` with the arguments that follow (Helm's `args`
# replace CMD). The default is the production profile: trackers in PostgreSQL, locks in Redis, every setting
# from the environment.
ENTRYPOINT ["python", "-m", "serving.rasa_server"]
CMD ["--model", "models/genai-explainer.tar.gz", "--port", "5005", \
     "--endpoints", "endpoints.production.yml", "--credentials", "credentials.yml"]

FROM runtime AS actions
# The action server imports rasa-sdk, PyYAML, rapidfuzz and pyspellchecker only (the guide's answer reader leaves
# real English words uncorrected): the same pins (the lock as constraints) without Rasa's TensorFlow, so its image
# is a fraction of the Rasa one.
COPY requirements.lock requirements.in /tmp/
RUN --mount=type=secret,id=build_ca \
    if [ -s /run/secrets/build_ca ]; then export PIP_CERT=/run/secrets/build_ca; fi \
 && python -m venv /opt/venv \
 && /opt/venv/bin/python -m pip install --no-cache-dir --disable-pip-version-check --quiet pip==24.3.1 \
 && /opt/venv/bin/python -m pip install --no-cache-dir --disable-pip-version-check --quiet \
      -c /tmp/requirements.lock $(grep -E '^(rasa-sdk|PyYAML|rapidfuzz|pyspellchecker)==' /tmp/requirements.in | cut -d' ' -f1) \
 && /opt/venv/bin/python -m pip uninstall --yes --quiet pip && rm /tmp/requirements.lock /tmp/requirements.in
COPY knowledge /app/knowledge
COPY explainer /app/explainer
COPY actions /app/actions
COPY serving/__init__.py serving/actions.py /app/serving/
USER genai
# Loopback stays serving/actions.py's default; inside its own container the Rasa container must reach it.
ENV ACTION_SERVER_HOST=0.0.0.0 ACTION_PORT=5055
EXPOSE 5055
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"
ENTRYPOINT ["python", "-m", "serving.actions"]

FROM runtime AS chat-page
COPY scripts/serve-web /app/scripts/serve-web
COPY web/index.html web/widget.js web/style.css /app/web/
COPY --from=web-deps /web/node_modules/rasa-webchat/lib/index.js /app/web/node_modules/rasa-webchat/lib/index.js
USER genai
# WEBCHAT_SOCKET_URL is where the visitor's browser reaches the Rasa server (compose.yaml sets it).
ENV WEB_HOST=0.0.0.0 WEB_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/', timeout=4)"
CMD ["python", "/app/scripts/serve-web"]
