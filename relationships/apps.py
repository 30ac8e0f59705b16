from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "relationships"

    def ready(self) -> None:
        from contacts import merging
        from relationships import panels, services

        merging.merge_resolver_register("relationships", services.relationship_merge_resolve)
        panels.panels_register()
