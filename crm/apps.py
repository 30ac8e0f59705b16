from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Rapport"

    def ready(self) -> None:
        from crm import history
        from crm.audit import audit_register

        audit_register()
        history.panels_register()
