"""The notification service's entry point, below every public app (identity included), so that
any app may tell people things: ``notify`` (``service.py``), the words (``text.py``), the types
(``types.py``). Preferences, delivery and pages are ``shared_apps.notifications``; the events are
stored by ``tenant_apps.notifications``; both register themselves here at start-up."""
