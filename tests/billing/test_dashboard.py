"""The dashboard and the invoices on the portal: operators see every funder; a funder's viewer
sees only their funder's establishments and invoices (404 otherwise); charts are SVG with their
data tables; the table sorts and exports as CSV."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from shared_apps.billing.funders import funder_viewer_attach
from shared_apps.billing.invoicing import invoice_issue
from shared_apps.billing.models import UsageDay
from shared_apps.identity.models import RegionRoleAssignment
from shared_apps.identity.roles import RegionRole
from tests.billing.helpers import contract, establishment, funder, plan
from tests.conftest import client_for
from tests.factories import UserFactory

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def two_funders(db):
    mine, other = funder(name="Conseil départemental Mine"), funder(name="Région Autre")
    the_plan = plan(establishment_fee="10.00")
    contract(mine, the_plan)
    ours = establishment(mine, name="Collège Nôtre")
    theirs = establishment(other, name="Lycée Leur")
    for days_ago in range(1, 15):
        day = timezone.localdate() - datetime.timedelta(days=days_ago)
        for est, active in ((ours, 40), (theirs, 7)):
            UsageDay.objects.create(
                establishment_id=est.pk,
                day=day,
                accounts=100,
                accounts_by_role={"student": 80, "teacher": 20},
                active=active,
                active_by_role={"student": active - 5, "teacher": 5},
                active_week_by_role={"student": active, "teacher": 8},
                active_month=active + 10,
                sign_ins=active * 2,
                storage_bytes=2_000_000_000 + days_ago,
            )
    viewer = UserFactory()
    funder_viewer_attach(actor=None, user=viewer, funder=mine)
    operator = UserFactory()
    RegionRoleAssignment.objects.create(user=operator, role=RegionRole.REGION_OPERATOR)
    return {
        "mine": mine,
        "other": other,
        "ours": ours,
        "theirs": theirs,
        "viewer": viewer,
        "operator": operator,
    }


def test_a_funder_viewer_sees_only_their_funders_establishments(two_funders):
    client = client_for(two_funders["viewer"])
    page = client.get("/billing/").content.decode()
    assert "Collège Nôtre" in page
    assert "Lycée Leur" not in page
    assert client.get(f"/billing/establishments/{two_funders['ours'].uai}/").status_code == 200
    assert client.get(f"/billing/establishments/{two_funders['theirs'].uai}/").status_code == 404
    # A filter naming another funder changes nothing for a viewer.
    assert "Lycée Leur" not in client.get("/billing/", {"funder": two_funders["other"].code}).content.decode()
    api = client_for(two_funders["viewer"], api=True)
    assert api.get("/api/v1/billing/usage/", {"establishment": two_funders["theirs"].uai}).status_code == 404
    codes = [f["code"] for f in api.get("/api/v1/billing/funders/").json()["results"]]
    assert codes == [two_funders["mine"].code]


def test_a_funder_viewer_reads_only_their_invoices(two_funders):
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    UsageDay.objects.create(establishment_id=two_funders["ours"].pk, day=month, accounts=5, active_month=2)
    contract(two_funders["other"], plan(establishment_fee="5.00"))
    UsageDay.objects.create(establishment_id=two_funders["theirs"].pk, day=month, accounts=5, active_month=2)
    mine = invoice_issue(actor=None, funder=two_funders["mine"], month=month)
    theirs = invoice_issue(actor=None, funder=two_funders["other"], month=month)
    client = client_for(two_funders["viewer"])
    listing = client.get("/billing/invoices/").content.decode()
    assert mine.number in listing and theirs.number not in listing
    assert client.get(f"/billing/invoices/{mine.pk}/csv/").status_code == 200
    assert client.get(f"/billing/invoices/{theirs.pk}/").status_code == 404
    assert client.get(f"/billing/invoices/{theirs.pk}/csv/").status_code == 404
    api = client_for(two_funders["viewer"], api=True)
    assert [i["number"] for i in api.get("/api/v1/billing/invoices/").json()["results"]] == [mine.number]
    assert api.get(f"/api/v1/billing/invoices/{theirs.pk}/").status_code == 404
    # Viewers read; they never issue or correct.
    assert api.post(f"/api/v1/billing/invoices/{mine.pk}/credit-note/", {"reason": "x"}).status_code == 403
    assert client.get("/billing/invoices/preview/").status_code == 403


def test_a_viewer_attached_to_no_funder_sees_nothing(db):
    lost = UserFactory()
    RegionRoleAssignment.objects.create(user=lost, role=RegionRole.FUNDER_VIEWER)
    assert client_for(lost).get("/billing/").status_code == 404


def test_other_people_are_refused(two_funders, school_a):
    from shared_apps.identity.roles import Role
    from tests.factories import member

    teacher = member(school_a, Role.TEACHER)
    assert client_for(teacher).get("/billing/").status_code == 403


def test_the_operator_sees_every_funder_and_filters(two_funders):
    client = client_for(two_funders["operator"])
    page = client.get("/billing/").content.decode()
    assert "Collège Nôtre" in page and "Lycée Leur" in page
    only = client.get("/billing/", {"funder": two_funders["other"].code}).content.decode()
    assert "Lycée Leur" in only and "Collège Nôtre" not in only


def test_the_charts_are_svg_images_with_their_data_tables(two_funders):
    page = client_for(two_funders["viewer"]).get("/billing/").content.decode()
    assert page.count('role="img"') == 3
    assert page.count("<svg") == 3
    assert "Active users per role, per week" in page
    assert "Data table: Sign-ins per day" in page
    assert f'<th scope="row">{YESTERDAY:%d/%m}</th><td>80</td>' in page  # 40 active x 2 sign-ins


def test_the_table_sorts_and_exports(two_funders):
    client = client_for(two_funders["operator"])
    ascending = client.get("/billing/", {"sort": "active", "desc": 0}).content.decode()
    descending = client.get("/billing/", {"sort": "active", "desc": 1}).content.decode()
    assert ascending.index("Lycée Leur") < ascending.index("Collège Nôtre")
    assert descending.index("Collège Nôtre") < descending.index("Lycée Leur")
    assert 'aria-sort="descending"' in descending
    response = client.get("/billing/usage.csv", {"funder": two_funders["mine"].code})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["establishment"], r["active_last_day"], r["adoption_percent"]) for r in rows] == [
        ("Collège Nôtre", "40", "50.0")
    ]


def test_bad_query_values_are_400s(two_funders):
    client = client_for(two_funders["operator"])
    assert client.get("/billing/", {"desc": "yes"}).status_code == 400
    assert client.get("/billing/invoices/preview/", {"month": "2025-13"}).status_code == 400
    assert client.get("/billing/", {"funder": "nobody"}).status_code == 404
