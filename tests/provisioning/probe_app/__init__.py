"""A tenant app used only by tests and benchmarks: one real migration for ``mbn migrate_all`` to
apply to every schema. It is installed only by ``tests.provisioning.probe_settings``, never by the
platform's settings, so its migration is in no production migration graph."""
