"""The read model: what each kind of terminal shows, read from the hall's database.

The write side changes the hall one operation (one transaction) at a time; this side
answers "what does this screen show now", one snapshot per kind of terminal, each read in
one transaction (:meth:`shared.db.Database.snapshot`) so a screen never mixes two moments:

- :mod:`~shared.read.site`: the one site type (:class:`SiteInfo`) and its lookup.
- :mod:`~shared.read.hall_state`: tickets, windows and queues, the building blocks.
- :mod:`~shared.read.counter_view`: the counter's snapshot (its window, queue, the next
  calls by call-next's own routing, the clerk's day) and its dialogs' lists.
- :mod:`~shared.read.kiosk_view`: the kiosk's service list (queues, hours, quotas, guides).
- :mod:`~shared.read.display_view`: the hall display's calls and counts.
- :mod:`~shared.read.supervisor_view`: the supervisor's live view.

A terminal re-reads its snapshot when the change feed (:mod:`shared.feed`) reports a
change that concerns it (``concerns_*`` in each module). Nothing here writes, except
:func:`~shared.read.site.site_info` creating the web link key on first use when asked for
links.
"""
