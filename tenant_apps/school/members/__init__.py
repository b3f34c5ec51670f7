"""Members and roles, on an establishment's host (/members/…, /api/v1/memberships/…): its admins
and head list its memberships, find or create a person and grant a role, end a role, manage its
students' guardian links. The rules are identity's (``shared_apps/identity/memberships.py``) and,
for a new account with an activation code, the directory's (``shared_apps/directory/people.py``);
these pages add the establishment's classes."""
