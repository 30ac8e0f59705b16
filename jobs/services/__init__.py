"""Writes to jobs: keyword-only, atomic, validated; every change to a person's candidacy leaves
a StageChange and a row on their timeline (relationships.services.interaction_log)."""

from jobs.services.access import job_change_check
from jobs.services.candidacies import (
    CLOSED_CANDIDACY,
    candidacy_add,
    candidacy_candidate_touch_record,
    candidacy_close,
    candidacy_decision_undo,
    candidacy_move,
    candidacy_reopen,
    decision_undo_deadline,
    feedback_record,
)
from jobs.services.decisions import (
    Decision,
    decision_listener_register,
    reopen_listener_register,
    undo_window,
    undo_window_register,
)
from jobs.services.jobs import (
    job_close,
    job_create,
    job_handoff_move,
    job_intake_update,
    job_open,
)
from jobs.services.splitting import job_split, split_mover_register

__all__ = [
    "CLOSED_CANDIDACY",
    "candidacy_decision_undo",
    "candidacy_reopen",
    "decision_undo_deadline",
    "Decision",
    "decision_listener_register",
    "reopen_listener_register",
    "undo_window",
    "undo_window_register",
    "candidacy_add",
    "candidacy_candidate_touch_record",
    "candidacy_close",
    "candidacy_move",
    "feedback_record",
    "job_change_check",
    "job_close",
    "job_create",
    "job_handoff_move",
    "job_intake_update",
    "job_open",
    "split_mover_register",
    "job_split",
]
