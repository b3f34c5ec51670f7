"""Memberships admin API, on an establishment's host (/api/v1/memberships/…): its admins and head
only, their establishment only (another establishment's membership or link: 404). Thin."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.parsing import MAX_BIGINT, query_int, query_text
from shared_apps.directory.people import establishment_person_create
from shared_apps.identity.memberships import (
    establishment_guardian_link_remove,
    establishment_guardian_link_set,
    establishment_membership_end,
    establishment_membership_grant,
    person_find,
    person_here,
)
from shared_apps.identity.models import Membership, MembershipStatus, ResponsibilityLevel, User
from shared_apps.identity.roles import Role
from shared_apps.identity.selectors import (
    guardian_link_of_establishment,
    guardian_links_here,
    membership_here,
    memberships_here,
    person_memberships_here,
)
from shared_apps.identity.transfers import pending_classes
from tenant_apps.school.permissions import MEMBERSHIP_MANAGERS
from tenant_apps.school.selectors import members_by_user
from tenants.models import Establishment
from tenants.requests import establishment_served


class AdminPersonOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    login = serializers.CharField()
    display_name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    activated = serializers.SerializerMethodField()

    def get_activated(self, obj: User) -> bool:
        return obj.has_usable_password()


class AdminMembershipOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    person = AdminPersonOut(source="user")
    role = serializers.CharField()
    status = serializers.CharField()
    class_name = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_class_name(self, obj: Membership) -> str | None:
        if obj.status == MembershipStatus.PENDING:  # the class asked for, once the transfer is done
            return self.context.get("pending_classes", {}).get(obj.pk)
        member = self.context.get("members", {}).get(obj.user_id)
        if obj.role != Role.STUDENT or member is None or member.school_class is None:
            return None
        return str(member.school_class.name)


class AdminGuardianLinkOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    guardian = AdminPersonOut()
    child = AdminPersonOut()
    responsibility_level = serializers.IntegerField()
    can_act = serializers.BooleanField()


def _membership_data(memberships: list[Membership]) -> Any:
    members = members_by_user(user_ids=[m.user_id for m in memberships])
    pending = pending_classes(
        membership_ids=[m.pk for m in memberships if m.status == MembershipStatus.PENDING]
    )
    return AdminMembershipOut(
        memberships, many=True, context={"members": members, "pending_classes": pending}
    ).data


def _person_for(establishment: Establishment, data: dict[str, Any], field: str = "person") -> User:
    """The person a request names: ``<field>_id`` (someone with a membership here) or
    ``<field>`` (an exact login, e-mail address or national identifier in the region)."""
    if data.get(f"{field}_id"):
        return person_here(establishment=establishment, user_id=data[f"{field}_id"])
    found = person_find(identifier=data.get(field) or "")
    if found is None:
        raise ValidationFailed(fields={field: [_("No account of the region matches this identifier.")]})
    return found


class MembershipsApi(BaseAPIView):
    """The establishment's memberships (search ``q``, filters ``role`` and ``status``), and granting
    a role to a person: by ``person_id`` (someone with a membership here) or ``person`` (exact
    login, e-mail address or national identifier of someone in the region)."""

    pagination_class = DefaultPagination

    required_roles = MEMBERSHIP_MANAGERS

    class GrantIn(serializers.Serializer[Any]):
        person_id = serializers.IntegerField(required=False)
        person = serializers.CharField(required=False, max_length=254)
        role = serializers.ChoiceField(choices=Role.choices)
        class_name = serializers.CharField(required=False, allow_blank=True, max_length=40)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("role", str, enum=Role.values),
            OpenApiParameter("status", str, enum=MembershipStatus.values),
        ],
        responses=AdminMembershipOut(many=True),
    )
    def get(self, request: Request) -> Response:
        role = request.query_params.get("role", "")
        state = request.query_params.get("status", "")
        if role and role not in Role.values:
            raise ValidationFailed(fields={"role": [_("Unknown role.")]})
        if state and state not in MembershipStatus.values:
            raise ValidationFailed(fields={"status": [_("Unknown status.")]})
        queryset = memberships_here(
            establishment=establishment_served(request),
            query=query_text(request.query_params, "q", max_length=100),
            role=role,
            status=state,
        )
        return self.page_response(request, queryset, lambda rows: _membership_data(list(rows)))

    @extend_schema(request=GrantIn, responses={201: AdminMembershipOut})
    def post(self, request: Request) -> Response:
        data = self.GrantIn(data=request.data)
        data.is_valid(raise_exception=True)
        establishment = establishment_served(request)
        membership = establishment_membership_grant(
            actor=actor_of(request),
            establishment=establishment,
            user=_person_for(establishment, data.validated_data),
            role=data.validated_data["role"],
            class_name=data.validated_data.get("class_name") or None,
        )
        return Response(_membership_data([membership])[0], status=status.HTTP_201_CREATED)


class MembershipDetailApi(BaseAPIView):
    """One membership of this establishment."""

    required_roles = MEMBERSHIP_MANAGERS

    @extend_schema(responses=AdminMembershipOut)
    def get(self, request: Request, membership_id: int) -> Response:
        found = membership_here(establishment=establishment_served(request), membership_id=membership_id)
        return Response(_membership_data([found])[0])


class MembershipEndApi(BaseAPIView):
    """End a membership: it becomes ``departed``, its history stays."""

    required_roles = MEMBERSHIP_MANAGERS

    @extend_schema(request=None, responses=AdminMembershipOut)
    def post(self, request: Request, membership_id: int) -> Response:
        establishment = establishment_served(request)
        found = membership_here(establishment=establishment, membership_id=membership_id)
        ended = establishment_membership_end(
            actor=actor_of(request), establishment=establishment, membership=found
        )
        return Response(_membership_data([ended])[0])


class PersonLookupApi(BaseAPIView):
    """Find a person of the region by exact login, e-mail address or national identifier (404 if
    none), with their memberships here."""

    required_roles = MEMBERSHIP_MANAGERS

    class LookupOut(serializers.Serializer[Any]):
        person = AdminPersonOut()
        memberships_here = serializers.ListField(child=serializers.DictField())

    @extend_schema(parameters=[OpenApiParameter("identifier", str, required=True)], responses=LookupOut)
    def get(self, request: Request) -> Response:
        person = person_find(identifier=query_text(request.query_params, "identifier", max_length=254))
        if person is None:
            raise NotFound()
        here = person_memberships_here(establishment=establishment_served(request), user_id=person.pk)
        data = {
            "person": person,
            "memberships_here": [{"id": m.pk, "role": m.role, "status": m.status} for m in here],
        }
        return Response(self.LookupOut(data).data)


class PersonCreateApi(BaseAPIView):
    """Create the account of someone new to the region with a role here. Its activation code is
    e-mailed when ``email`` is given; otherwise it is in the answer (once, never again)."""

    required_roles = MEMBERSHIP_MANAGERS

    class CreateIn(serializers.Serializer[Any]):
        first_name = serializers.CharField(max_length=150)
        last_name = serializers.CharField(max_length=150)
        email = serializers.EmailField(required=False, allow_blank=True)
        role = serializers.ChoiceField(choices=Role.choices)
        class_name = serializers.CharField(required=False, allow_blank=True, max_length=40)

    class CreateOut(serializers.Serializer[Any]):
        membership = AdminMembershipOut()
        emailed = serializers.BooleanField()
        activation_code = serializers.CharField(allow_null=True)

    @extend_schema(request=CreateIn, responses={201: CreateOut})
    def post(self, request: Request) -> Response:
        data = self.CreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        created = establishment_person_create(
            actor=actor_of(request),
            establishment=establishment_served(request),
            first_name=values["first_name"],
            last_name=values["last_name"],
            email=values.get("email", ""),
            role=values["role"],
            class_name=values.get("class_name") or None,
        )
        body = {
            "membership": _membership_data([created.membership])[0],
            "emailed": created.emailed,
            "activation_code": created.code,
        }
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class GuardianLinksApi(BaseAPIView):
    """The guardian links of the establishment's students (filters ``child_id``, ``guardian_id``),
    and linking a guardian (``guardian_id`` of someone with a membership here, or ``guardian``: an
    exact identifier) to a student here, or changing an existing link."""

    pagination_class = DefaultPagination

    required_roles = MEMBERSHIP_MANAGERS

    class LinkIn(serializers.Serializer[Any]):
        guardian_id = serializers.IntegerField(required=False)
        guardian = serializers.CharField(required=False, max_length=254)
        child_id = serializers.IntegerField()
        responsibility_level = serializers.ChoiceField(
            choices=ResponsibilityLevel.choices, default=ResponsibilityLevel.LEGAL
        )
        can_act = serializers.BooleanField(default=True)

    @extend_schema(
        parameters=[OpenApiParameter("child_id", int), OpenApiParameter("guardian_id", int)],
        responses=AdminGuardianLinkOut(many=True),
    )
    def get(self, request: Request) -> Response:
        queryset = guardian_links_here(establishment=establishment_served(request))
        for name in ("child_id", "guardian_id"):
            value = query_int(request.query_params, name, maximum=MAX_BIGINT)
            if value is not None:
                queryset = queryset.filter(**{name: value})
        return self.page_response(request, queryset, lambda rows: AdminGuardianLinkOut(rows, many=True).data)

    @extend_schema(request=LinkIn, responses={201: AdminGuardianLinkOut})
    def post(self, request: Request) -> Response:
        data = self.LinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        establishment = establishment_served(request)
        child = person_here(establishment=establishment, user_id=values["child_id"])
        link = establishment_guardian_link_set(
            actor=actor_of(request),
            establishment=establishment,
            guardian=_person_for(establishment, values, field="guardian"),
            child=child,
            responsibility_level=values["responsibility_level"],
            can_act=values["can_act"],
        )
        return Response(AdminGuardianLinkOut(link).data, status=status.HTTP_201_CREATED)


class GuardianLinkDetailApi(BaseAPIView):
    """One link of a student of this establishment: read, change (level, may act), remove."""

    required_roles = MEMBERSHIP_MANAGERS

    class LinkChangeIn(serializers.Serializer[Any]):
        responsibility_level = serializers.ChoiceField(choices=ResponsibilityLevel.choices, required=False)
        can_act = serializers.BooleanField(required=False)

    @extend_schema(responses=AdminGuardianLinkOut)
    def get(self, request: Request, link_id: int) -> Response:
        link = guardian_link_of_establishment(establishment=establishment_served(request), link_id=link_id)
        return Response(AdminGuardianLinkOut(link).data)

    @extend_schema(request=LinkChangeIn, responses=AdminGuardianLinkOut)
    def patch(self, request: Request, link_id: int) -> Response:
        establishment = establishment_served(request)
        link = guardian_link_of_establishment(establishment=establishment, link_id=link_id)
        data = self.LinkChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        changed = establishment_guardian_link_set(
            actor=actor_of(request),
            establishment=establishment,
            guardian=link.guardian,
            child=link.child,
            responsibility_level=data.validated_data.get("responsibility_level", link.responsibility_level),
            can_act=data.validated_data.get("can_act", link.can_act),
        )
        return Response(AdminGuardianLinkOut(changed).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, link_id: int) -> Response:
        establishment = establishment_served(request)
        link = guardian_link_of_establishment(establishment=establishment, link_id=link_id)
        establishment_guardian_link_remove(actor=actor_of(request), establishment=establishment, link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)
