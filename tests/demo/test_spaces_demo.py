"""The demo's spaces (mbn_platform/demo/spaces.py): a space per class, a forum thread where the
teacher and students talk, wall posts, a worksheet in the class library, the "Voyage à Berlin"
project; Léa sees her class's thread; idempotent."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from mbn_platform.demo.spaces import demo_spaces_seed
from shared_apps.identity.models import User
from tenant_apps.documents.models import Document, Library
from tenant_apps.school.models import SchoolClass
from tenant_apps.spaces.models import Post, Space, SpaceKind, WallPost
from tests.conftest import client_for


def test_the_demo_spaces_have_a_thread_wall_posts_and_a_document(demo, db):
    for school, establishment, people in demo.schools():
        with tenant_context(establishment):
            assert Space.objects.filter(kind=SpaceKind.CLASS).count() == SchoolClass.objects.count()
            child = {"pasteur": "4e B", "kleber": "2nde 1"}.get(school.subdomain)
            first = Space.objects.get(school_class__name=child or next(iter(people.students)))
            authors = set(Post.objects.filter(topic__space=first).values_list("author__user_id", flat=True))
            assert people.teachers[0].pk in authors and len(authors) >= 3
            assert WallPost.objects.filter(space=first).count() == 2
            library = Library.objects.get(space_id=first.pk)
            assert Document.objects.filter(library=library).count() == 1
            assert Space.objects.filter(kind=SpaceKind.PROJECT, name="Voyage à Berlin").exists()
        assert demo_spaces_seed(establishment, people, school.subdomain) == 0


def test_lea_reads_her_class_thread(demo, db):
    lea = User.objects.get(login="eleve.martin.lea")
    college = demo.establishments["pasteur"]
    client = client_for(lea, college)
    listing = client.get("/spaces/")
    assert "4e B" in listing.content.decode() and "Voyage à Berlin" in listing.content.decode()
    with tenant_context(college):
        space = Space.objects.get(school_class__name="4e B")
    forum = client.get(f"/spaces/{space.pk}/forum/").content.decode()
    assert "Révisions pour le contrôle de mathématiques" in forum
