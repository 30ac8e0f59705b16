from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "relationships"

    def ready(self) -> None:
        from contacts import merging
        from contacts.permissions import contact_owner_register
        from relationships import panels, services

        merging.merge_resolver_register("relationships", services.relationship_merge_resolve)
        panels.panels_register()
        contact_owner_register(resolver=services.contact_owner_get, path="relationship__owner")
