from django.test import RequestFactory

from core.panels import Panel, PanelRegistry


def test_panels_render_in_order_with_their_context():
    registry = PanelRegistry("page")
    registry.register(Panel("late", "b.html", lambda request, subject: {"n": 2}, order=20))
    registry.register(Panel("early", "a.html", lambda request, subject: {"n": subject}, order=10))
    registry.register(Panel("late", "c.html", lambda request, subject: {"n": 3}, order=20))

    rendered = registry.render_list(RequestFactory().get("/"), subject=1)

    assert rendered == [
        {"name": "early", "template": "a.html", "n": 1},
        {"name": "late", "template": "c.html", "n": 3},
    ]
