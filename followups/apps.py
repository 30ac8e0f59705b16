from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"

    def ready(self) -> None:
        from anymail.signals import inbound, tracking

        from followups import panels, replies, services
        from followups import tracking as delivery
        from jobs.services import split_mover_register
        from relationships.services import handoff_mover_register, touch_listener_register

        tracking.connect(delivery.tracking_received, dispatch_uid="followups.tracking")
        inbound.connect(replies.inbound_received, dispatch_uid="followups.inbound")
        touch_listener_register("followups.reply_owed", replies.reply_owed_touched)
        handoff_mover_register("followups", services.followups_handoff_move)
        split_mover_register("followups", services.followups_split_move)
        panels.panels_register()
