"""The spaces API (``/api/v1/spaces/…``): one's spaces, a project space's creation, a space's
settings and members (owners manage them), guests of other establishments, following a space,
the establishment's inter-school setting. A space one does not belong to: 404."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from shared_apps.identity.models import User
from tenant_apps.school.models import Member
from tenant_apps.spaces import selectors, services
from tenant_apps.spaces.api.common import MemberOut, SpaceOut, member_of, space_seen
from tenant_apps.spaces.membership import roles_in, space_members
from tenant_apps.spaces.models import SpaceRole, SpacesSettings
from tenant_apps.spaces.permissions import SETTINGS_MANAGERS, SPACE_USERS
from tenants.models import Establishment


class MemberIn(serializers.Serializer[object]):
    user_id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=SpaceRole.choices)


class SpaceIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    members = serializers.ListField(child=MemberIn(), required=False, default=list, max_length=500)


class SpacePatchIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    student_role = serializers.ChoiceField(choices=[SpaceRole.CONTRIBUTOR, SpaceRole.READER], required=False)
    archived = serializers.BooleanField(required=False)


class RoleIn(serializers.Serializer[object]):
    role = serializers.ChoiceField(choices=SpaceRole.choices)


class GuestIn(serializers.Serializer[object]):
    login = serializers.CharField(max_length=64, help_text="the person's login in the region")
    uai = serializers.CharField(max_length=8, help_text="the UAI of their establishment")
    role = serializers.ChoiceField(choices=[SpaceRole.CONTRIBUTOR, SpaceRole.READER])


class FollowIn(serializers.Serializer[object]):
    following = serializers.BooleanField()


class SettingsIn(serializers.Serializer[object]):
    inter_school = serializers.BooleanField()


def local_member(user_id: int) -> Member:
    found = Member.objects.filter(user_id=user_id, is_active=True).first()
    if found is None:
        raise ValidationFailed(fields={"user_id": [_("Unknown person.")]})
    return found


class SpaceListApi(BaseAPIView):
    """GET: one's spaces; POST: create a project space with chosen members (teachers, staff)."""

    required_roles = SPACE_USERS
    pagination_class = DefaultPagination

    @extend_schema(responses=SpaceOut(many=True))
    def get(self, request: Request) -> Response:
        member = member_of(request)
        if member.roles:  # not a guest
            services.spaces_ensure()
        rows = selectors.my_spaces(member)
        return self.page_response(
            request,
            rows,
            lambda page: SpaceOut(page, many=True, context={"roles": roles_in(member, page)}).data,
        )

    @extend_schema(request=SpaceIn, responses={201: SpaceOut})
    def post(self, request: Request) -> Response:
        data = SpaceIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        people = {
            m.user_id: m.pk for m in Member.objects.filter(user_id__in=[x["user_id"] for x in v["members"]])
        }
        if len(people) != len({x["user_id"] for x in v["members"]}):
            raise ValidationFailed(fields={"members": [_("Unknown person.")]})
        space = services.project_space_create(
            actor=actor_of(request),
            name=v["name"],
            description=v["description"],
            members=[(people[x["user_id"]], x["role"]) for x in v["members"]],
        )
        return Response(SpaceOut(space, context={"roles": {space.pk: SpaceRole.OWNER}}).data, status=201)


class SpaceDetailApi(BaseAPIView):
    """GET: a space one belongs to; PATCH: its name, description, students' right, archived (owners)."""

    required_roles = SPACE_USERS

    @extend_schema(responses=SpaceOut)
    def get(self, request: Request, space_id: int) -> Response:
        space, role, _member = space_seen(request, space_id)
        return Response(SpaceOut(space, context={"roles": {space.pk: role}}).data)

    @extend_schema(request=SpacePatchIn, responses=SpaceOut)
    def patch(self, request: Request, space_id: int) -> Response:
        space, _role, member = space_seen(request, space_id)
        data = SpacePatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        space = services.space_update(
            actor=actor_of(request),
            space=space,
            name=v.get("name", space.name),
            description=v.get("description", space.description),
            student_role=v.get("student_role", space.student_role),
            archived=v.get("archived", space.archived),
        )
        return Response(SpaceOut(space, context={"roles": roles_in(member, [space])}).data)


class SpaceMembersApi(BaseAPIView):
    """GET: the space's members and their rights; POST: add a member of the establishment or
    change their right (owners)."""

    required_roles = SPACE_USERS

    @extend_schema(responses=MemberOut(many=True))
    def get(self, request: Request, space_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        return Response(MemberOut(space_members(space), many=True).data)

    @extend_schema(request=MemberIn, responses={201: MemberIn})
    def post(self, request: Request, space_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        data = MemberIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.space_member_set(
            actor=actor_of(request), space=space, member=local_member(v["user_id"]), role=v["role"]
        )
        return Response(dict(v), status=201)


class SpaceMemberApi(BaseAPIView):
    """PUT: change a chosen member's right; DELETE: remove them (owners)."""

    required_roles = SPACE_USERS

    def target(self, space_id: int, user_id: int) -> Member:
        found = Member.objects.filter(user_id=user_id).first()
        if found is None:
            raise NotFound()
        return found

    @extend_schema(request=RoleIn, responses=RoleIn)
    def put(self, request: Request, space_id: int, user_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        data = RoleIn(data=request.data)
        data.is_valid(raise_exception=True)
        target = self.target(space_id, user_id)
        services.space_member_set(
            actor=actor_of(request), space=space, member=target, role=data.validated_data["role"]
        )
        return Response(dict(data.validated_data))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, space_id: int, user_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        services.space_member_remove(
            actor=actor_of(request), space=space, member=self.target(space_id, user_id)
        )
        return Response(status=204)


class SpaceGuestsApi(BaseAPIView):
    """POST: invite a person of another establishment to a project space (both establishments
    must allow inter-school projects; 403 ``inter_school_refused`` otherwise)."""

    required_roles = SPACE_USERS

    @extend_schema(request=GuestIn, responses={201: MemberOut})
    def post(self, request: Request, space_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        data = GuestIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = User.objects.filter(login=v["login"], is_active=True).first()
        home = Establishment.objects.filter(uai=v["uai"].upper()).first()
        if home is None:
            raise ValidationFailed(fields={"uai": [_("Unknown establishment.")]})
        if user is None:
            raise ValidationFailed(
                fields={"login": [_("No student or staff member of that establishment has this login.")]}
            )
        row = services.space_guest_add(
            actor=actor_of(request), space=space, user=user, home=home, role=v["role"]
        )
        out = {"member": row.member, "role": row.role, "chosen": True, "guest": True}
        return Response(MemberOut(out).data, status=201)


class SpaceFollowApi(BaseAPIView):
    """PUT: follow the space (be told of new topics and posts) or not."""

    required_roles = SPACE_USERS

    @extend_schema(request=FollowIn, responses=FollowIn)
    def put(self, request: Request, space_id: int) -> Response:
        space, _role, _member = space_seen(request, space_id)
        data = FollowIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.space_follow(
            actor=actor_of(request), space=space, following=data.validated_data["following"]
        )
        return Response(dict(data.validated_data))


class SpacesSettingsApi(BaseAPIView):
    """GET/PUT: whether the establishment allows inter-school projects (head, administrators)."""

    required_roles = SETTINGS_MANAGERS

    @extend_schema(responses=SettingsIn)
    def get(self, request: Request) -> Response:
        return Response({"inter_school": SpacesSettings.objects.filter(inter_school=True).exists()})

    @extend_schema(request=SettingsIn, responses=SettingsIn)
    def put(self, request: Request) -> Response:
        data = SettingsIn(data=request.data)
        data.is_valid(raise_exception=True)
        found = services.spaces_settings_set(
            actor=actor_of(request), inter_school=data.validated_data["inter_school"]
        )
        return Response({"inter_school": found.inter_school})
