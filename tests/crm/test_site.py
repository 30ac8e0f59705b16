import io
import logging
import sys

from django.contrib.staticfiles import finders


def test_every_page_links_the_favicon_and_it_is_served(client, recruiter, password):
    link = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
    login_page = client.get("/login/").content.decode()
    client.login(username=recruiter.username, password=password)
    pages = [login_page, client.get("/").content.decode(), client.get("/status/").content.decode()]

    assert [link in page for page in pages] == [True, True, True]
    with open(finders.find("favicon.svg")) as icon:
        assert icon.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_favicon_ico_redirects_to_the_svg_without_a_login(client, db):
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")


def _all_stream_handlers() -> list[logging.StreamHandler]:
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    handlers = {
        handler
        for logger in loggers
        if isinstance(logger, logging.Logger)
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler)
        and not type(handler).__module__.startswith("_pytest")
    }
    return list(handlers)


def test_a_403_is_logged_once_without_a_traceback(client, recruiter, password, settings):
    settings.DEBUG = True  # Django's own console handler logs only with DEBUG on
    client.login(username=recruiter.username, password=password)
    output = io.StringIO()
    handlers = _all_stream_handlers()
    streams = [handler.setStream(output) for handler in handlers]
    try:
        response = client.get("/status/")
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)

    assert response.status_code == 403
    lines = output.getvalue().splitlines()
    assert [line.split(" ", 2)[2] for line in lines] == [
        "WARNING django.request: Forbidden (Permission denied): /status/"
    ]


def test_a_500_keeps_its_traceback(settings):
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /x", None, None
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    record.status_code = 500
    output = io.StringIO()
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    stream = handler.setStream(output)
    try:
        handler.handle(record)
    finally:
        handler.setStream(stream)

    assert "Traceback (most recent call last):" in output.getvalue()
    assert "RuntimeError: boom" in output.getvalue()
