from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What belongs to no domain: the base model, panels, forms, cursors and keyset paging, links
    and API support. It imports no app of Rapport's."""

    name = "core"
    verbose_name = "Rapport core"
