"""The documents' services: libraries (``libraries``), folders and files (``files``), quotas
(``quotas``)."""
