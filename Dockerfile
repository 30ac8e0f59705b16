# Production-like image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Exactly the releases uv.lock pins, checked against its hashes (the dev extra left out), installed
# by the uv that pyproject.toml's dev extra pins.
COPY pyproject.toml uv.lock ./
RUN pip install "uv==$(sed -n 's/^ *"uv==\([^"]*\)".*/\1/p' pyproject.toml)" \
 && uv export --quiet --frozen --no-emit-project --format requirements.txt -o /tmp/requirements.txt \
 && pip install --require-hashes -r /tmp/requirements.txt \
 && pip uninstall --yes uv && rm /tmp/requirements.txt

COPY . .
# collectstatic needs settings to load; these values exist only for this build step.
RUN DJANGO_ENV=production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
    python manage.py collectstatic --noinput \
 && useradd --create-home --uid 1000 rapport
USER rapport

ENV DJANGO_ENV=production
EXPOSE 8000
CMD ["gunicorn", "crm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
