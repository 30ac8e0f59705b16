from django.test import RequestFactory

from core.panels import Link, LinkRegistry, Panel, PanelRegistry


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


def test_links_render_in_order_for_their_subject():
    registry = LinkRegistry("page")
    registry.register(Link("late", "Late", lambda subject: f"/late/{subject}", order=20))
    registry.register(Link("early", lambda subject: f"Early {subject}", lambda subject: "/early"))
    registry.register(Link("first", "First", lambda subject: "/first", order=10))

    assert registry.render_list(subject=7) == [
        {"name": "first", "label": "First", "url": "/first"},
        {"name": "late", "label": "Late", "url": "/late/7"},
        {"name": "early", "label": "Early 7", "url": "/early"},
    ]
    assert registry.url("late", subject=7) == "/late/7"
    assert registry.url("missing", subject=7) is None
