"""The spaces' writes: spaces and their members (``spaces``), the forum (``forum``), the wall
(``wall``). Each takes the actor, checks their right in the space and records an audit entry for
what changes what someone sees or may do."""

from tenant_apps.spaces.services.forum import (
    post_create,
    post_delete,
    post_hide,
    topic_create,
    topic_moderate,
)
from tenant_apps.spaces.services.spaces import (
    project_space_create,
    space_follow,
    space_guest_add,
    space_member_remove,
    space_member_set,
    space_update,
    spaces_ensure,
    spaces_settings_set,
)
from tenant_apps.spaces.services.wall import wall_comment_create, wall_post_create, wall_post_delete

__all__ = [
    "post_create",
    "post_delete",
    "post_hide",
    "project_space_create",
    "space_follow",
    "space_guest_add",
    "space_member_remove",
    "space_member_set",
    "space_update",
    "spaces_ensure",
    "spaces_settings_set",
    "topic_create",
    "topic_moderate",
    "wall_comment_create",
    "wall_post_create",
    "wall_post_delete",
]
