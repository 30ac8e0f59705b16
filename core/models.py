from django.db import models


class TimestampedModel(models.Model):
    """The base of Rapport's models: when a row was made and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
