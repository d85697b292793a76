"""hallq-web: the citizen's phone pages (a ticket's progress, the public hall page).

:mod:`shared.web.tokens` (the signed ticket links) and :mod:`shared.web.snapshot` (what
the pages show, read in one go per change) need only SQLAlchemy, so the kiosk's printing
imports them without the web framework; :mod:`shared.web.app` is the ASGI application
and :mod:`shared.web.main` the ``hallq-web`` command.
"""
