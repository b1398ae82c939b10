FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SURVEY_HOST=0.0.0.0 SURVEY_PORT=8000 SURVEY_DATA_DIR=/app/var
# Pango (+ HarfBuzz) for WeasyPrint's PDF reports, DejaVu and Liberation fonts for French and Dutch text,
# and pg_dump / pg_restore (PostgreSQL 15, as the database) for survey backup and survey restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-dejavu-core fonts-liberation postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY survey ./survey
COPY weighting ./weighting
COPY field_app ./field_app
# The data folder (exports, a SQLite file if no DATABASE_URL) belongs to the non-root user that writes it.
RUN pip install --no-cache-dir . && useradd --create-home app && mkdir -p /app/var && chown app:app /app/var
USER app
VOLUME /app/var
# Ready = database reachable and schema at head: the same check as GET /ready and survey doctor.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=3)"]
EXPOSE 8000
# Migrate, then serve; the same two commands run locally with the same environment variables.
# exec: the server replaces the shell as PID 1, so `docker stop` (SIGTERM) stops it gracefully and
# `docker kill -s HUP` reaches it for a rolling restart (a shell would ignore or die of them).
CMD ["sh", "-c", "survey db upgrade && exec survey serve --host 0.0.0.0 --port 8000 --workers 2"]
