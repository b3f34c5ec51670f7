"""Region-wide identity in a real browser: keyboard-only sign-in with an authenticator code,
activation, one session across the schools of a family (switcher, family view, child page),
directory import preview/apply, memberships admin.

The family's and the import's tests run on establishments of this module under ``mbn.test``,
with the session cookie on the parent domain as in production (Chromium refuses a cookie for
``Domain=localhost``, so the demo's host-only cookies cannot show it): Chromium resolves
``*.mbn.test`` to the test server.
"""

from __future__ import annotations

import re
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from shared_apps.directory import tasks as directory_tasks
from shared_apps.directory.activation_services import activation_codes_issue
from shared_apps.directory.import_run import directory_import_run
from shared_apps.directory.models import DirectoryImport, DirectoryRecord, ImportStatus
from shared_apps.identity.models import GuardianLink, Membership, MembershipStatus, User
from shared_apps.identity.roles import Role
from shared_apps.identity.services import guardian_link_create, membership_grant
from tenant_apps.school.models import Member
from tenant_apps.school.services import school_class_ensure
from tenants.models import Establishment, EstablishmentKind
from tenants.provisioning.jobs import establishment_create
from tenants.uai import uai_check_letter
from tests.conftest import SESSION_SCHOOLS, host_of
from tests.directory.data import Guardian, Student, csv_files
from tests.factories import PASSWORD, member
from tests.identity.helpers import with_authenticator

PARENT_DOMAIN = "mbn.test"
RESOLVE_PARENT_DOMAIN = [
    f"--host-resolver-rules=MAP *.{PARENT_DOMAIN} 127.0.0.1, MAP {PARENT_DOMAIN} 127.0.0.1"
]
NEW_PASSWORD = "Un mot de passe solide 42"


def _free_uai() -> str:
    while True:
        digits = f"067{secrets.randbelow(10_000):04d}"
        uai = digits + uai_check_letter(digits)
        if not Establishment.objects.filter(uai=uai).exists():
            return uai


@pytest.fixture(scope="module")
def parent_domain_schools(django_db_setup: None, django_db_blocker: Any) -> list[Establishment]:
    """A collège, a lycée and another collège under mbn.test, created (committed) for this module."""
    tag = uuid.uuid4().hex[:6]
    schools = []
    with django_db_blocker.unblock(), override_settings(MBN_BASE_DOMAIN=PARENT_DOMAIN):
        for name, kind in (
            ("Gamma", EstablishmentKind.COLLEGE),
            ("Delta", EstablishmentKind.LYCEE),
            ("Epsilon", EstablishmentKind.COLLEGE),
        ):
            schools.append(
                establishment_create(
                    actor=None,
                    uai=_free_uai(),
                    name=f"{name} {tag}",
                    kind=kind,
                    academie="Strasbourg",
                    departement="67",
                    subdomain=f"{name.lower()}-{tag}",
                )
            )
        connection.set_schema_to_public()
    return schools


@pytest.fixture
def on_parent_domain() -> Iterator[None]:
    """The portal on mbn.test and the session (and CSRF) cookie on .mbn.test, as in production."""
    with override_settings(
        MBN_BASE_DOMAIN=PARENT_DOMAIN,
        SESSION_COOKIE_DOMAIN=f".{PARENT_DOMAIN}",
        CSRF_COOKIE_DOMAIN=f".{PARENT_DOMAIN}",
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, PARENT_DOMAIN, f".{PARENT_DOMAIN}"],
    ):
        yield


def _in_english(page: Any, *sites: str) -> None:
    """English pages whatever the browser's language (the assertions read the texts)."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site} for site in sites])


def _in_another_thread(work: Callable[[], Any]) -> Any:
    """Database work while the browser is open: Playwright runs an event loop in this thread,
    where Django refuses ORM calls, so it runs in a thread of its own (as a worker would)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _sign_in_with_code(page: Any, login: str, code: str) -> None:
    page.fill("#id_username", login)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", code)
    page.click("main form button[type=submit]")


def test_a_teacher_signs_in_with_the_keyboard_only_and_a_code_from_their_app(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    teacher = member(school, Role.TEACHER, login=f"kbt-{uuid.uuid4().hex[:8]}", first_name="Ada")
    totp = with_authenticator(teacher)
    connection.set_schema_to_public()
    base = f"http://{host_of(school)}:{app_server}"

    with browse() as page:
        page.goto(f"{base}/accounts/login/")
        # The login field has the focus; Tab moves to the password; Enter submits.
        page.keyboard.type(teacher.login)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/accounts/login/second-factor/")
        # The code field has the focus: type the app's current code, Enter.
        assert page.evaluate("document.activeElement.id") == "id_code"
        page.keyboard.type(totp.now())
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")
        assert teacher.display_name in page.inner_text("header")


def test_a_person_activates_their_account_with_the_code_then_signs_in(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    tag = uuid.uuid4().hex[:8]
    person = member(school, Role.STUDENT, login=f"act-{tag}", first_name="Jade", last_name=f"Nouvelle{tag}")
    person.set_unusable_password()
    person.save()
    code = activation_codes_issue(establishment=school, user_ids=[person.pk], channel="letter")[person.pk]
    connection.set_schema_to_public()
    base = f"http://{host_of(school)}:{app_server}"

    with browse() as page:
        _in_english(page, base)
        page.goto(f"{base}/accounts/activate/")
        page.click("#id_login")
        page.keyboard.type(person.login)
        page.keyboard.press("Tab")
        page.keyboard.type(code)
        page.keyboard.press("Tab")
        page.keyboard.type(NEW_PASSWORD)
        page.keyboard.press("Tab")
        page.keyboard.type(NEW_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/accounts/login/")
        assert "Your account is activated" in page.inner_text("main")

        page.fill("#id_username", person.login)
        page.fill("#id_password", NEW_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/")
        assert person.display_name in page.inner_text("header")

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_guardian_signs_in_once_sees_the_family_and_switches_between_the_schools(
    browse, app_server, committed, parent_domain_schools, on_parent_domain
):
    college, lycee, _other = parent_domain_schools
    tag = uuid.uuid4().hex[:6]
    with schema_context(college.schema_name):
        school_class_ensure(name="5e A", level="5e")
    with schema_context(lycee.schema_name):
        school_class_ensure(name="1re C", level="1re")
    lina = member(college, Role.STUDENT, class_name="5e A", first_name="Lina", last_name=f"Arnaud{tag}")
    noah = member(lycee, Role.STUDENT, class_name="1re C", first_name="Noah", last_name=f"Arnaud{tag}")
    someone_else = member(college, Role.STUDENT, class_name="5e A", first_name="Zoé", last_name=f"Autre{tag}")
    parent = member(
        college, Role.GUARDIAN, login=f"parent-{tag}", first_name="Claire", last_name=f"Arnaud{tag}"
    )
    membership_grant(actor=None, user=parent, establishment=lycee, role=Role.GUARDIAN)
    guardian_link_create(actor=None, guardian=parent, child=lina)
    guardian_link_create(actor=None, guardian=parent, child=noah, responsibility_level=2, can_act=False)
    connection.set_schema_to_public()
    portal = f"http://{PARENT_DOMAIN}:{app_server}"
    college_site = f"http://{host_of(college)}:{app_server}"
    lycee_site = f"http://{host_of(lycee)}:{app_server}"

    with browse(extra_args=RESOLVE_PARENT_DOMAIN) as page:
        _in_english(page, portal, college_site, lycee_site)
        page.goto(f"{portal}/accounts/login/")
        page.fill("#id_username", parent.login)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{portal}/")

        # The family view: both children, each with their school and class; no one else.
        family = page.inner_text("#family")
        assert lina.display_name in family and noah.display_name in family
        assert f"{college.name} · class 5e A" in family and f"{lycee.name} · class 1re C" in family
        assert someone_else.display_name not in family

        # The switcher: to the collège, then to the lycée — signed in on each with the one session.
        switcher = page.locator("#establishment-switcher")
        switcher.locator("summary").click()
        switcher.get_by_role("link", name=college.name, exact=True).click()
        page.wait_for_url(f"{college_site}/")
        assert parent.display_name in page.inner_text("header")
        switcher.locator("summary").click()
        switcher.get_by_role("link", name=lycee.name, exact=True).click()
        page.wait_for_url(f"{lycee_site}/")
        assert parent.display_name in page.inner_text("header")
        assert switcher.locator("a[aria-current='page']").text_content() == lycee.name

        # The child's page at the lycée, from its home page.
        page.get_by_role("link", name=noah.display_name).click()
        page.wait_for_url(f"{lycee_site}/children/{noah.pk}/")
        main = page.inner_text("main")
        assert "1re C" in main and "Financially responsible" in main and "not act for them" in main

        # Lina does not study here: her page at the lycée is not found.
        response = page.goto(f"{lycee_site}/children/{lina.pk}/")
        assert response is not None and response.status == 404


def test_an_establishment_admin_previews_and_applies_an_import(
    browse, app_server, committed, parent_domain_schools, on_parent_domain, monkeypatch
):
    school = parent_domain_schools[2]
    tag = uuid.uuid4().hex[:6]
    admin = member(school, Role.ESTABLISHMENT_ADMIN, login=f"admin-{tag}")
    totp = with_authenticator(admin)
    students = [
        Student(f"E1{tag}", f"Import{tag}", "Léo", "2012-02-03", "6e Z"),
        Student(f"E2{tag}", f"Import{tag}", "Mia", "2013-04-05", "6e Z"),
    ]
    guardians = [
        Guardian(f"P1{tag}", f"Import{tag}", "Sara", "", [(f"E1{tag}", 1, True), (f"E2{tag}", 1, True)])
    ]
    files = csv_files(school.uai, students, guardians, [])
    queued: list[int] = []  # the worker's queue: the test applies the import itself, as a worker would
    monkeypatch.setattr(
        directory_tasks.directory_import_task, "apply_async", lambda args, **options: queued.append(args[0])
    )
    connection.set_schema_to_public()
    site = f"http://{host_of(school)}:{app_server}"

    with browse(extra_args=RESOLVE_PARENT_DOMAIN) as page:
        _in_english(page, site)
        page.goto(f"{site}/accounts/login/?next=/directory/imports/")
        _sign_in_with_code(page, admin.login, totp.now())
        page.wait_for_url(f"{site}/directory/imports/")

        page.set_input_files(
            "#id_files",
            files=[{"name": name, "mimeType": "text/csv", "buffer": data} for name, data in files],
        )
        page.get_by_role("button", name="Preview the import").click()
        page.wait_for_url(re.compile(rf"{re.escape(site)}/directory/imports/\d+/$"))
        import_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        created = page.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name="Created", exact=True)
        )
        assert created.get_by_role("cell").inner_text() == "3"  # two students and their guardian

        page.get_by_role("button", name="Apply the import").click()
        page.wait_for_selector("#import-progress progress")  # applying: the page polls (HTMX)
        assert queued == [import_id]
        _in_another_thread(lambda: directory_import_run(import_id))
        page.wait_for_selector("#import-progress >> text=Applied on")  # the next poll shows it

    applied = DirectoryImport.objects.get(pk=import_id)
    assert applied.status == ImportStatus.APPLIED and applied.counts["created"] == 3
    user_ids = DirectoryRecord.objects.filter(establishment=school, source_id__endswith=tag).values_list(
        "user_id", flat=True
    )
    people = User.objects.filter(pk__in=user_ids)
    assert people.count() == 3
    assert GuardianLink.objects.filter(child__in=people).count() == 2
    with schema_context(school.schema_name):
        assert Member.objects.filter(user_id__in=user_ids, school_class__name="6e Z").count() == 2
    connection.set_schema_to_public()


def test_an_admin_gives_a_role_to_a_teacher_of_another_school_and_ends_it(browse, app_server, committed):
    school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_a"][0])
    other_school = Establishment.objects.get(uai=SESSION_SCHOOLS["school_b"][0])
    tag = uuid.uuid4().hex[:8]
    admin = member(school, Role.ESTABLISHMENT_ADMIN, login=f"adm-{tag}")
    totp = with_authenticator(admin)
    teacher = member(
        other_school, Role.TEACHER, login=f"prof-{tag}", first_name="Gaspard", last_name=f"Multi{tag}"
    )
    connection.set_schema_to_public()
    site = f"http://{host_of(school)}:{app_server}"

    with browse() as page:
        _in_english(page, site)
        page.goto(f"{site}/accounts/login/?next=/members/")
        _sign_in_with_code(page, admin.login, totp.now())
        page.wait_for_url(f"{site}/members/")

        # Find the teacher of the other school by login and make them a teacher here too.
        page.get_by_role("link", name="Give a role to a person").click()
        page.fill("#id_identifier", teacher.login)
        page.keyboard.press("Enter")
        found = page.locator("#found-person")
        assert teacher.display_name in found.inner_text()
        page.select_option("#id_grant-role", "teacher")
        found.get_by_role("button", name="Give this role").click()
        page.wait_for_url(re.compile(rf"{re.escape(site)}/members/\d+/$"))
        roles = page.locator("#roles")
        assert "Teacher" in roles.inner_text() and "Active" in roles.inner_text()

        # End it: departed, the history stays.
        roles.get_by_role("button", name="End the role Teacher").click()
        page.wait_for_selector("#roles >> text=Departed")

        # The list, searched as one types (HTMX) and filtered on the status.
        page.goto(f"{site}/members/")
        page.fill("#id_q", f"Multi{tag}")
        page.wait_for_selector(f"#members-results td:has-text('{teacher.login}')")
        page.select_option("#id_status", "active")
        page.wait_for_selector("#members-results >> text=0 memberships")

    here = Membership.objects.get(user=teacher, establishment=school)
    assert here.status == MembershipStatus.DEPARTED
    assert Membership.objects.get(user=teacher, establishment=other_school).status == MembershipStatus.ACTIVE
