"""TikTok's own words for an authorization and a post, as its API writes them (no network here).

`ad_auth_status`: `AUTHORIZED` is documented, `EXPIRED` is seen in use; anything else is
"unknown to us" and shown as TikTok wrote it. A post's `status`: `HESITATE_RECOMMEND` is a
public post, two are private in some way, two mean the post is gone.
"""

from __future__ import annotations

from enum import StrEnum


class AuthStatus(StrEnum):
    AUTHORIZED = "AUTHORIZED"
    EXPIRED = "EXPIRED"


class PostStatus(StrEnum):
    PUBLIC = "HESITATE_RECOMMEND"
    FRIENDS = "ONLY_FRIEND_SEE"
    PRIVATE = "ONLY_AUTHOR_SEE"
    USER_DELETE = "USER_DELETE"
    AUDIT_DELETE = "AUDIT_DELETE"
    REVIEW_PENDING = "REVIEW_PENDING"


DELETED: tuple[str, ...] = (PostStatus.USER_DELETE, PostStatus.AUDIT_DELETE)
VISIBILITY: dict[str, str] = {
    PostStatus.PUBLIC: "public",
    PostStatus.FRIENDS: "friends",
    PostStatus.PRIVATE: "private",
}
"""A post status as the sheet's own visibility words (`lib.vocab`); the others say nothing about it."""

POST_STATUS_WORDS: dict[str, str] = {
    PostStatus.PUBLIC: "public",
    PostStatus.FRIENDS: "visible to friends only",
    PostStatus.PRIVATE: "visible to the creator only",
    PostStatus.USER_DELETE: "deleted by the creator",
    PostStatus.AUDIT_DELETE: "removed by TikTok (community guidelines)",
    PostStatus.REVIEW_PENDING: "waiting for TikTok's review",
}
AUTH_STATUS_WORDS: dict[str, str] = {AuthStatus.AUTHORIZED: "authorized", AuthStatus.EXPIRED: "ended"}


def post_status_words(status: str | None) -> str:
    """A post status in plain words; one TikTok has not documented is shown as it wrote it."""
    return POST_STATUS_WORDS.get(status or "", status or "not known")
