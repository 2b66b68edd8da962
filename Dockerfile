# footbot: the Telegram bot in a small image that runs as a non-root user.
#
#   docker build -t footbot .
#   docker run -d --name footbot -e TELEGRAM_BOT_TOKEN=... -v footbot-data:/data footbot
#
# Two stages: the builder makes a virtual environment with the package and its dependencies;
# the runtime stage copies only that environment, so no wheel cache or build backend stays behind.
# A registry mirror for pip can be passed with --build-arg PIP_INDEX_URL=... (and
# PIP_EXTRA_INDEX_URL, PIP_TRUSTED_HOST); they reach the builder stage only.

FROM python:3.12-slim AS builder

ARG PIP_INDEX_URL=""
ARG PIP_EXTRA_INDEX_URL=""
ARG PIP_TRUSTED_HOST=""
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
WORKDIR /src

# Dependencies first, read from pyproject.toml, so that a change to the code alone reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && /opt/venv/bin/pip install -r /tmp/requirements.txt

# Then the package itself, built into a wheel by pip's isolated build (setuptools never enters the venv).
# README.md stays out: setuptools only warns, and an edit to the docs then rebuilds nothing.
COPY bot ./bot
RUN /opt/venv/bin/pip install --no-deps .


FROM python:3.12-slim

LABEL org.opencontainers.image.title="footbot" \
      org.opencontainers.image.description="A Telegram assistant for a foot massage before sleep" \
      org.opencontainers.image.licenses="MIT"

ARG FOOTBOT_UID=10001
RUN groupadd --gid "${FOOTBOT_UID}" footbot \
    && useradd --uid "${FOOTBOT_UID}" --gid footbot --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin footbot \
    && mkdir -p /data \
    && chown footbot:footbot /data

COPY --from=builder /opt/venv /opt/venv
# The knowledge is baked in and read-only for the bot; mount a folder over /app/knowledge,
# or point FOOTBOT_KNOWLEDGE_DIR elsewhere, to serve a curated copy instead.
COPY knowledge /app/knowledge

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FOOTBOT_KNOWLEDGE_DIR=/app/knowledge \
    FOOTBOT_DATA_DIR=/data

WORKDIR /app
# The SQLite store (reminders, routines, unanswered questions) lives here; /data is created and
# chowned above so that a new named volume starts out writable by the bot.
VOLUME ["/data"]
USER ${FOOTBOT_UID}:${FOOTBOT_UID}

# Only `footbot run --webhook-url ...` listens (behind a reverse proxy); polling needs no port.
EXPOSE 8443

# Exec form: footbot is PID 1 and gets SIGTERM from `docker stop` itself; python-telegram-bot
# stops polling, finishes the updates in hand and closes the store.
# No HEALTHCHECK: in polling mode there is no port to probe, and a crashed bot exits the
# container, which a restart policy (--restart unless-stopped) brings back.
STOPSIGNAL SIGTERM
ENTRYPOINT ["footbot"]
CMD ["run"]
