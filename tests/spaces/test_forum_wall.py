"""Rights per member role on the forum, the wall and the members (owner, contributor, reader),
moderation by the space's owners (audited), rich text cleaned, notifications of new posts and
mentions."""

from __future__ import annotations

from shared_apps.audit.models import AuditEntry
from tenant_apps.notifications.models import Notification
from tenant_apps.spaces.models import Post, Topic, WallPost


def topic(spaces, user, title="Sortie au musée", body="<p>Qui vient jeudi ?</p>"):
    answer = spaces.api(user).post(
        f"/api/v1/spaces/{spaces.class_space.pk}/topics/", {"title": title, "body": body}, format="json"
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def set_students(spaces, right: str) -> None:
    answer = spaces.api(spaces.school.teacher).patch(
        f"/api/v1/spaces/{spaces.class_space.pk}/", {"student_role": right}, format="json"
    )
    assert answer.status_code == 200, answer.content


def test_contributors_write_topics_posts_and_wall_posts(spaces):
    school = spaces.school
    student, teacher = school.students[0], school.teacher
    made = topic(
        spaces, student, body='<p>Bonjour <script>alert(1)</script><a href="javascript:x">lien</a></p>'
    )
    base = f"/api/v1/spaces/{spaces.class_space.pk}"
    reply = spaces.api(teacher).post(
        f"{base}/topics/{made['id']}/posts/", {"body": "<b>Oui</b>"}, format="json"
    )
    assert reply.status_code == 201
    detail = spaces.api(school.students[1]).get(f"{base}/topics/{made['id']}/").json()
    assert [p["author_id"] for p in detail["posts"]] == [student.pk, teacher.pk]
    assert "<script" not in detail["posts"][0]["body"] and "javascript:" not in detail["posts"][0]["body"]

    wall = spaces.api(student).post(
        f"{base}/wall/", {"body": "Pensez aux blouses pour le TP !"}, format="json"
    )
    assert wall.status_code == 201
    spaces.api(teacher).post(f"{base}/wall/", {"body": "Contrôle vendredi."}, format="json")
    comment = spaces.api(school.students[2]).post(
        f"{base}/wall/{wall.json()['id']}/comments/", {"body": "Merci !"}, format="json"
    )
    assert comment.status_code == 201
    rows = spaces.api(school.students[2]).get(f"{base}/wall/").json()["results"]
    assert [r["body"] for r in rows] == ["Contrôle vendredi.", "Pensez aux blouses pour le TP !"]
    assert rows[1]["comments"][0]["body"] == "Merci !"


def test_readers_read_but_do_not_write(spaces):
    school = spaces.school
    made = topic(spaces, school.teacher)
    set_students(spaces, "reader")
    student = spaces.api(school.students[0])
    base = f"/api/v1/spaces/{spaces.class_space.pk}"
    assert student.get(f"{base}/topics/{made['id']}/").status_code == 200
    assert student.get(f"{base}/").json()["my_role"] == "reader"
    refused = [
        student.post(f"{base}/topics/", {"title": "x", "body": "y"}, format="json"),
        student.post(f"{base}/topics/{made['id']}/posts/", {"body": "y"}, format="json"),
        student.post(f"{base}/wall/", {"body": "y"}, format="json"),
        student.post(f"{base}/members/", {"user_id": school.students[1].pk, "role": "owner"}, format="json"),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    with spaces.schema():
        assert Topic.objects.filter(space=spaces.class_space).count() == 1
        assert not WallPost.objects.exists()
    page = spaces.web(school.students[0]).get(f"/spaces/{spaces.class_space.pk}/forum/")
    assert b'value="topic"' not in page.content


def test_only_owners_manage_members_and_rights_changes_are_audited(spaces):
    school = spaces.school
    base = f"/api/v1/spaces/{spaces.class_space.pk}"
    cpe = school.school_life
    assert (
        spaces.api(school.students[0])
        .post(f"{base}/members/", {"user_id": cpe.pk, "role": "reader"}, format="json")
        .status_code
        == 403
    )
    added = spaces.api(school.teacher).post(
        f"{base}/members/", {"user_id": cpe.pk, "role": "reader"}, format="json"
    )
    assert added.status_code == 201
    changed = spaces.api(school.teacher).put(f"{base}/members/{cpe.pk}/", {"role": "owner"}, format="json")
    assert changed.status_code == 200
    assert spaces.api(cpe).get(f"{base}/").json()["my_role"] == "owner"
    assert spaces.api(school.teacher).delete(f"{base}/members/{cpe.pk}/").status_code == 204
    assert spaces.api(cpe).get(f"{base}/").status_code == 404
    # A student of the class belongs through the class: not removable by hand.
    kept = spaces.api(school.teacher).delete(f"{base}/members/{school.students[0].pk}/")
    assert kept.status_code == 400 and "member" in kept.json()["error"]["fields"]
    # Guardians are not members of spaces.
    refused = spaces.api(school.teacher).post(
        f"{base}/members/", {"user_id": school.guardian.pk, "role": "reader"}, format="json"
    )
    assert refused.status_code == 400
    actions = list(
        AuditEntry.objects.filter(action__startswith="spaces.member", target_id=str(spaces.class_space.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["spaces.member_added", "spaces.member_role_changed", "spaces.member_removed"]


def test_owners_pin_lock_hide_and_delete_posts_audited(spaces):
    school = spaces.school
    student, teacher = school.students[0], school.teacher
    made = topic(spaces, student)
    base = f"/api/v1/spaces/{spaces.class_space.pk}"
    rude = spaces.api(school.students[1]).post(
        f"{base}/topics/{made['id']}/posts/", {"body": "message déplacé"}, format="json"
    )
    post_id = rude.json()["id"]
    # A contributor moderates nothing.
    assert (
        spaces.api(student).patch(f"{base}/topics/{made['id']}/", {"pinned": True}, format="json").status_code
        == 403
    )
    assert (
        spaces.api(student).put(f"{base}/posts/{post_id}/", {"hidden": True}, format="json").status_code
        == 403
    )
    assert spaces.api(student).delete(f"{base}/posts/{post_id}/").status_code == 403

    assert (
        spaces.api(teacher).put(f"{base}/posts/{post_id}/", {"hidden": True}, format="json").status_code
        == 200
    )
    seen = spaces.api(student).get(f"{base}/topics/{made['id']}/").json()["posts"]
    assert [p["id"] for p in seen] == [made_first(spaces, made)]
    owner_view = spaces.api(teacher).get(f"{base}/topics/{made['id']}/").json()["posts"]
    assert owner_view[1]["hidden"] is True

    locked = spaces.api(teacher).patch(
        f"{base}/topics/{made['id']}/", {"pinned": True, "locked": True}, format="json"
    )
    assert locked.json()["pinned"] is True and locked.json()["locked"] is True
    refused = spaces.api(student).post(
        f"{base}/topics/{made['id']}/posts/", {"body": "encore"}, format="json"
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "topic_locked"
    assert (
        spaces.api(teacher)
        .post(f"{base}/topics/{made['id']}/posts/", {"body": "Sujet clos."}, format="json")
        .status_code
        == 201
    )
    assert spaces.api(teacher).delete(f"{base}/posts/{post_id}/").status_code == 204
    with spaces.schema():
        assert not Post.objects.filter(pk=post_id).exists()
    actions = set(AuditEntry.objects.filter(action__startswith="spaces.").values_list("action", flat=True))
    assert {"spaces.post_hidden", "spaces.topic_moderated", "spaces.post_deleted"} <= actions


def made_first(spaces, made) -> int:
    with spaces.schema():
        return Post.objects.filter(topic_id=made["id"]).order_by("pk").values_list("pk", flat=True)[0]


def test_authors_delete_their_wall_posts_not_others(spaces):
    school = spaces.school
    base = f"/api/v1/spaces/{spaces.class_space.pk}"
    mine = spaces.api(school.students[0]).post(f"{base}/wall/", {"body": "À demain"}, format="json").json()
    assert spaces.api(school.students[1]).delete(f"{base}/wall/{mine['id']}/").status_code == 403
    assert spaces.api(school.students[0]).delete(f"{base}/wall/{mine['id']}/").status_code == 204
    other = spaces.api(school.students[1]).post(f"{base}/wall/", {"body": "Hors sujet"}, format="json").json()
    assert spaces.api(school.teacher).delete(f"{base}/wall/{other['id']}/").status_code == 204
    assert AuditEntry.objects.filter(action="spaces.wall_post_deleted").count() == 2


def test_bad_input_is_a_400_naming_the_field(spaces):
    base = f"/api/v1/spaces/{spaces.class_space.pk}"
    teacher = spaces.api(spaces.school.teacher)
    empty = teacher.post(f"{base}/topics/", {"title": "Vide", "body": "<script>x</script>"}, format="json")
    assert empty.status_code == 400 and "body" in empty.json()["error"]["fields"]
    long = teacher.post(f"{base}/wall/", {"body": "x" * 501}, format="json")
    assert long.status_code == 400 and "body" in long.json()["error"]["fields"]
    assert teacher.get(f"{base}/topics/999999/").status_code == 404


def test_followers_hear_of_new_topics_and_mentioned_people_of_the_mention(spaces):
    school = spaces.school
    quiet = school.students[2]
    assert (
        spaces.api(quiet)
        .put(f"/api/v1/spaces/{spaces.class_space.pk}/follow/", {"following": False}, format="json")
        .status_code
        == 200
    )
    with spaces.schema():
        named = spaces.m(school.students[1]).display_name
    topic(spaces, school.teacher, title="Sortie", body=f"<p>@{named} peux-tu apporter la carte ?</p>")
    with spaces.schema():
        told = {
            n.source.split(":")[0]: set(n.recipients.values_list("user_id", flat=True))
            for n in Notification.objects.filter(type="spaces")
        }
    assert told == {"spaces_mention": {school.students[1].pk}, "spaces_post": {school.students[0].pk}}
