"""Follow-through pages: follow-ups (new, complete, snooze), the outbox (list, preview, edit,
send now, skip), templates with a live preview and the policy (admins), a job's overrides of the
policy, and the pages of emails' links: unsubscribe, ratings and re-consent (no login: the
signed link is the credential). Each views module keeps its own urlpatterns."""

from followups.views import (
    consent,
    followups,
    outbox,
    policy,
    ratings,
    replies,
    templates,
    unsubscribe,
)

app_name = "followups"
urlpatterns = [
    *followups.urlpatterns,
    *outbox.urlpatterns,
    *templates.urlpatterns,
    *policy.urlpatterns,
    *unsubscribe.urlpatterns,
    *replies.urlpatterns,
    *ratings.urlpatterns,
    *consent.urlpatterns,
]
