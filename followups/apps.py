from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"

    def ready(self) -> None:
        from anymail.signals import inbound, tracking

        from followups import handoff, panels, replies, services
        from followups import tracking as delivery
        from jobs.services import (
            decision_listener_register,
            reopen_listener_register,
            split_mover_register,
            undo_window_register,
        )
        from relationships.handoff_options import handoff_option_register
        from relationships.services import handoff_mover_register, touch_listener_register

        tracking.connect(delivery.tracking_received, dispatch_uid="followups.tracking")
        inbound.connect(replies.inbound_received, dispatch_uid="followups.inbound")
        touch_listener_register("followups.reply_owed", replies.reply_owed_touched)
        handoff_mover_register("followups", services.followups_handoff_move)
        handoff_option_register(handoff.OPTION)
        split_mover_register("followups", services.followups_split_move)
        touch_listener_register("followups", services.followups_touch_settle)
        decision_listener_register("followups", services.followups_decision_settle)
        reopen_listener_register("followups", services.followups_candidacies_reopen)
        undo_window_register(services.closure_undo_window)
        panels.panels_register()
