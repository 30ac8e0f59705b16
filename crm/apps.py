from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Rapport"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from crm import history
        from crm.audit import audit_register
        from crm.middleware import session_stamp
        from crm.privacy import retention
        from crm.privacy.urls import panels_register as privacy_panels_register

        audit_register()
        history.panels_register()
        privacy_panels_register()
        retention.panels_register()
        user_logged_in.connect(session_stamp, dispatch_uid="crm.session_stamp")
