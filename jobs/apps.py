from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"

    def ready(self) -> None:
        from jobs import panels, services
        from relationships.services import handoff_mover_register

        handoff_mover_register("jobs", services.job_handoff_move)
        panels.panels_register()
