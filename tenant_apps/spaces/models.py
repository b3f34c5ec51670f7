"""Collaborative spaces (one copy per schema): a space per class and per group (its members follow
the structure: see ``membership.py``), project spaces with chosen members (possibly guests from
another establishment of the region), each with a forum (topics, posts, moderation) and a wall of
short posts. The documents of a space are the documents app's library for it."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Member, SchoolClass
from tenant_apps.structure.models import Group


class SpaceKind(models.TextChoices):
    CLASS = "class", _("Class")
    GROUP = "group", _("Group")
    PROJECT = "project", _("Project")


class SpaceRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    CONTRIBUTOR = "contributor", _("Contributor")
    READER = "reader", _("Reader")


class SpacesSettings(models.Model):
    """The establishment's settings for spaces (one row per schema)."""

    #: Project spaces may have members of other establishments, and this establishment's people
    #: may be guests of other establishments' spaces (both establishments must allow it).
    inter_school = models.BooleanField(_("allow inter-school projects"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("spaces settings")
        verbose_name_plural = _("spaces settings")

    def __str__(self) -> str:
        return f"inter_school={self.inter_school}"


class Space(models.Model):
    #: A class's or group's space follows the structure: deleting an unused class or group is not
    #: refused because of its space, which keeps its content (tenant_apps/structure/services/common.py).
    follows_structure = True

    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=8, choices=SpaceKind.choices)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.SET_NULL, null=True, blank=True, related_name="space"
    )
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="space")
    #: The students' right in a class or group space (their teachers are its owners).
    student_role = models.CharField(
        _("students' right"),
        max_length=12,
        choices=[
            (SpaceRole.CONTRIBUTOR, SpaceRole.CONTRIBUTOR.label),
            (SpaceRole.READER, SpaceRole.READER.label),
        ],
        default=SpaceRole.CONTRIBUTOR,
    )
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("space")
        ordering: ClassVar = ["kind", "name", "pk"]
        # Named constraints (not one-to-one fields): cloned schemas keep Django's names.
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["school_class"], name="spaces_space_unique_class"),
            models.UniqueConstraint(fields=["group"], name="spaces_space_unique_group"),
        ]

    def __str__(self) -> str:
        return self.name


class SpaceMember(models.Model):
    """A member chosen by hand (a project space's members; an extra person of a class space),
    with their right; it overrides the right the structure gives."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("right"), max_length=12, choices=SpaceRole.choices)
    #: A person of another establishment (their ``Member`` row here has no role): the id of the
    #: establishment they belong to (a public row; no foreign key across schemas' lifecycles).
    home_establishment_id = models.BigIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("space member")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["space", "member"], name="spaces_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.space_id} {self.member_id} {self.role}"

    @property
    def guest(self) -> bool:
        return self.home_establishment_id is not None


class SpaceMute(models.Model):
    """A member who does not follow a space (members follow their spaces by default)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("muted space")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["space", "member"], name="spaces_mute_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.space_id} {self.member_id}"


class Topic(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    last_post_at = models.DateTimeField()
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("forum topic")
        ordering: ClassVar = ["-pinned", "-last_post_at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["space", "-pinned", "-last_post_at"], name="spaces_topic_list_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    #: Rich text, cleaned when saved (``mbn_platform.kernel.richtext``).
    body = models.TextField(_("message"))
    created_at = models.DateTimeField()
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("forum post")
        ordering: ClassVar = ["created_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["topic", "created_at"], name="spaces_post_topic_idx")]

    def __str__(self) -> str:
        return f"{self.topic_id} {self.pk}"


class WallPost(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="wall_posts")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("wall post")
        ordering: ClassVar = ["-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["space", "-created_at"], name="spaces_wall_idx")]

    def __str__(self) -> str:
        return self.body[:40]


class WallComment(models.Model):
    post = models.ForeignKey(WallPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("comment"), max_length=300)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("wall comment")
        ordering: ClassVar = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]
