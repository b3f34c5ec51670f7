"""The spaces pages: the list, a space's tabs, a topic, project creation; their query counts stay
fixed however much they show; each space's "Documents" tab opens its library, whose rights are
the space's."""

from __future__ import annotations

import re

from django.utils import timezone

from tenant_apps.documents.models import Library
from tenant_apps.documents.rights import library_rights
from tenant_apps.spaces.models import Post, Topic, WallComment, WallPost
from tenant_apps.spaces.services import topic_create


def fill(spaces, topics: int = 25, posts: int = 20) -> Topic:
    school = spaces.school
    with spaces.schema():
        authors = [spaces.m(u) for u in (school.teacher, *school.students)]
        first = topic_create(
            actor=school.teacher, space=spaces.class_space, title="Sortie", body="<p>Qui vient ?</p>"
        )
        now = timezone.now()
        for n in range(topics):
            Topic.objects.create(
                space=spaces.class_space,
                title=f"Sujet {n}",
                author=authors[n % 4],
                created_at=now,
                last_post_at=now,
            )
        Post.objects.bulk_create(
            Post(topic=first, author=authors[n % 4], body=f"<p>Réponse {n}</p>", created_at=now)
            for n in range(posts)
        )
        walls = WallPost.objects.bulk_create(
            WallPost(space=spaces.class_space, author=authors[n % 4], body=f"Mot {n}", created_at=now)
            for n in range(25)
        )
        WallComment.objects.bulk_create(
            WallComment(post=w, author=authors[(n + 1) % 4], body="Merci", created_at=now)
            for n, w in enumerate(walls)
        )
    return first


def test_pages_show_what_members_expect(spaces):
    school = spaces.school
    first = fill(spaces, topics=2, posts=2)
    web = spaces.web(school.students[0])
    listing = web.get("/spaces/")
    assert listing.status_code == 200 and b"6e T" in listing.content and b"Anglais LV2 T" in listing.content
    assert b"Create a project space" not in listing.content
    wall = web.get(f"/spaces/{spaces.class_space.pk}/")
    assert b"Mot 24" in wall.content and b"Merci" in wall.content
    forum = web.get(f"/spaces/{spaces.class_space.pk}/forum/")
    assert b"Sujet 1" in forum.content
    topic = web.get(f"/spaces/{spaces.class_space.pk}/topics/{first.pk}/")
    assert b"<p>Qui vient ?</p>" in topic.content and b"R\xc3\xa9ponse 1" in topic.content
    members = web.get(f"/spaces/{spaces.class_space.pk}/members/")
    assert b"Add a member" not in members.content
    assert (
        b"Add a member" in spaces.web(school.teacher).get(f"/spaces/{spaces.class_space.pk}/members/").content
    )


def test_posting_through_the_pages(spaces):
    school = spaces.school
    web = spaces.web(school.students[0])
    base = f"/spaces/{spaces.class_space.pk}"
    made = web.post(
        f"{base}/forum/", {"action": "topic", "title": "Exposé", "body": "<p>Qui est avec moi ?</p>"}
    )
    assert made.status_code == 302
    topic_url = made["Location"]
    assert web.post(topic_url, {"action": "reply", "body": "<p>Moi !</p>"}).status_code == 302
    missing = web.post(f"{base}/forum/", {"action": "topic", "title": "", "body": ""})
    assert missing.status_code == 400 and b'aria-invalid="true"' in missing.content
    assert web.post(f"{base}/", {"action": "wall_post", "body": "Bonne fin de semaine"}).status_code == 302
    assert web.post(f"{base}/", {"action": "nope"}).status_code == 404
    # A student may not lock; the teacher may, and then students may not reply.
    assert web.post(topic_url, {"action": "lock", "on": "1"}).status_code == 403
    assert spaces.web(school.teacher).post(topic_url, {"action": "lock", "on": "1"}).status_code == 302
    locked = web.post(topic_url, {"action": "reply", "body": "<p>Encore</p>"})
    assert locked.status_code == 409


def test_project_creation_page(spaces):
    school = spaces.school
    web = spaces.web(school.teacher)
    assert web.get("/spaces/new/").status_code == 200
    with spaces.schema():
        other = spaces.m(school.other_student).pk
    made = web.post("/spaces/new/", {"name": "Voyage à Berlin", "contributors": [str(other)]})
    assert made.status_code == 302
    assert spaces.web(school.other_student).get(made["Location"]).status_code == 200
    assert web.post("/spaces/new/", {"name": ""}).status_code == 400


def test_query_counts_stay_fixed(spaces, django_assert_max_num_queries):
    first = fill(spaces)
    web = spaces.web(spaces.school.students[0])
    base = f"/spaces/{spaces.class_space.pk}"
    pages = {
        "/spaces/": 16,
        f"{base}/": 20,
        f"{base}/forum/": 19,
        f"{base}/members/": 20,
        f"{base}/topics/{first.pk}/": 18,
    }
    for path, bound in pages.items():
        web.get(path)
        with django_assert_max_num_queries(bound):
            assert web.get(path).status_code == 200, path
    api = spaces.api(spaces.school.students[0])
    for path in (
        "/api/v1/spaces/",
        f"/api/v1{base}/topics/",
        f"/api/v1{base}/wall/",
        f"/api/v1{base}/topics/{first.pk}/",
    ):
        api.get(path)
        with django_assert_max_num_queries(14):
            assert api.get(path).status_code == 200, path


def test_the_documents_tab_opens_the_space_library_with_the_space_rights(spaces):
    school = spaces.school
    page = spaces.web(school.students[0]).get(f"/spaces/{spaces.class_space.pk}/")
    found = re.search(rb'href="(/documents/libraries/\d+/)"', page.content)
    assert found is not None
    library = found.group(1).decode()
    assert spaces.web(school.students[0]).get(library).status_code == 200
    assert spaces.web(school.teacher).get(library).status_code == 200
    assert spaces.web(school.other_student).get(library).status_code == 404
    assert spaces.web(school.guardian).get(library).status_code == 404
    with spaces.schema():
        lib = Library.objects.get(space_id=spaces.class_space.pk)
        assert library_rights(school.teacher, lib) == "owner"
        assert library_rights(school.students[1], lib) == "contributor"
        assert library_rights(school.other_student, lib) is None
