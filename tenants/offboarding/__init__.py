"""Offboarding an establishment (export, confirm, delete) and restoring one from its export.

* ``establishment_export`` writes the establishment's archive (``archives.py``: its schema as a
  ``pg_dump``, its public rows, its files, a manifest) to the backups bucket (``locations.py``).
* ``establishment_offboard`` deletes it, once the operator has typed its UAI and named an export
  that is intact, of this establishment, and still current (same rows, files and memberships as
  now: suspend the establishment before exporting, so that nothing changes in between). Its
  schema, its row, its domains and its memberships go in one transaction; its files after the
  commit. The memberships are deleted with the row, not kept as "departed": they could only be
  kept with the row, which would keep the UAI taken and a dead establishment in every list. The
  record of who belonged is the archive's manifest and the audit entry (it lists their user ids;
  audit entries have no database constraint to the establishment, so they stay).
* ``establishment_restore`` re-creates an establishment from an export under a new opaque schema
  name: row (provisioning meanwhile), schema, pending migrations, files, and the memberships of
  the people who still exist (same user id and login). Any failure removes everything it made.
"""

from tenants.offboarding.export import EstablishmentExport, establishment_export
from tenants.offboarding.offboard import establishment_offboard
from tenants.offboarding.restore import establishment_restore

__all__ = ["EstablishmentExport", "establishment_export", "establishment_offboard", "establishment_restore"]
