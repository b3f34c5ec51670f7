"""The académies' federated directories (AAF), read from the files each académie drops every
night: complete sets (everything, at the start of the year) then deltas (what changed).

``names.py`` tells a file's set from its name, ``reader.py`` reads a ``ficAlimMENESR`` file,
``sources.py`` lists and reads a feed's location (S3 or a folder), ``state.py`` keeps what the
académie last said, ``build.py`` makes each establishment's directory from it (the import's
neutral model), ``runs.py`` runs a set (planned and applied per establishment, resumable),
``feeds.py`` the operators' services, ``views.py`` the console pages.
"""
