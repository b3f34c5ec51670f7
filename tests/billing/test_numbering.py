"""Invoice numbers have no gaps and no duplicates when several operators issue at the same time:
real concurrent transactions, in threads with their own database connections."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from shared_apps.billing.invoicing import invoice_issue, number_next
from shared_apps.billing.models import Funder, Invoice, InvoiceCounter, UsageDay
from tests.billing.helpers import contract, establishment, funder, plan

MONTH = datetime.date(2024, 11, 1)
THREADS = 6


def _purge(funder_ids: list[int], establishment_ids: list[int]) -> None:
    """Remove what the test committed; issued invoices and usage records are immutable in the
    database (a trigger), so this transaction alone skips triggers (the test database's
    superuser may)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM billing_invoiceline WHERE invoice_id IN "
            "(SELECT id FROM billing_invoice WHERE funder_id = ANY(%s))",
            [funder_ids],
        )
        cursor.execute("DELETE FROM billing_invoice WHERE funder_id = ANY(%s)", [funder_ids])
        cursor.execute("DELETE FROM billing_usageday WHERE establishment_id = ANY(%s)", [establishment_ids])
        cursor.execute("DELETE FROM tenants_establishment WHERE id = ANY(%s)", [establishment_ids])
        cursor.execute(
            "DELETE FROM billing_contractplan WHERE contract_id IN "
            "(SELECT id FROM billing_contract WHERE funder_id = ANY(%s))",
            [funder_ids],
        )
        cursor.execute("DELETE FROM billing_contract WHERE funder_id = ANY(%s)", [funder_ids])
        cursor.execute("DELETE FROM billing_funderassignment WHERE funder_id = ANY(%s)", [funder_ids])
        cursor.execute("DELETE FROM billing_funder WHERE id = ANY(%s)", [funder_ids])


def test_concurrent_issues_get_consecutive_numbers_without_gaps(committed_db):
    # Given six funders, each with a contract and a month of usage (committed: the threads'
    # connections must see them)
    the_plan = plan(establishment_fee="50.00")
    funders: list[Funder] = []
    schools = []
    for _ in range(THREADS):
        payer = funder()
        contract(payer, the_plan)
        school = establishment(payer)
        UsageDay.objects.create(establishment_id=school.pk, day=MONTH, accounts=10, active_month=3)
        funders.append(payer)
        schools.append(school)
    year = timezone.localdate().year
    counter = InvoiceCounter.objects.filter(series="FA", year=year).first()
    before = counter.last_number if counter else 0
    barrier = threading.Barrier(THREADS + 1)  # the last thread's number is given back (rolled back)
    issued: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def issue(payer: Funder) -> None:
        try:
            barrier.wait(timeout=30)
            invoice = invoice_issue(actor=None, funder=payer, month=MONTH)
            issued.append((invoice.sequence, invoice.number))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    def issue_then_fail() -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                number_next(series="FA", year=year)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        finally:
            connection.close()

    try:
        # When they are all issued at the same moment, one of the transactions failing
        threads = [threading.Thread(target=issue, args=(payer,)) for payer in funders]
        threads.append(threading.Thread(target=issue_then_fail))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        # Then every invoice has its own number, and the numbers follow each other without a gap
        assert errors == []
        sequences = sorted(sequence for sequence, _number in issued)
        assert sequences == list(range(before + 1, before + THREADS + 1))
        assert len({number for _s, number in issued}) == THREADS
        assert InvoiceCounter.objects.get(series="FA", year=year).last_number == before + THREADS
        stored = Invoice.objects.filter(funder__in=funders).values_list("sequence", "total_excl_vat")
        assert sorted(stored) == [(s, Decimal("50.00")) for s in sequences]
    finally:
        _purge([f.pk for f in funders], [s.pk for s in schools])
        InvoiceCounter.objects.filter(series="FA", year=year).update(last_number=before)
        the_plan.delete()
