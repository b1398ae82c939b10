FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SURVEY_HOST=0.0.0.0 SURVEY_PORT=8000
COPY pyproject.toml README.md ./
COPY survey ./survey
COPY weighting ./weighting
COPY field_app ./field_app
RUN pip install --no-cache-dir . && useradd --create-home app
USER app
EXPOSE 8000
# Migrate, then serve; the same two commands run locally with the same environment variables.
CMD ["sh", "-c", "survey db upgrade && survey serve --host 0.0.0.0 --port 8000 --workers 2"]
