"""The thread a public page belongs to, so that one discussion never lands in two places (training and an
evaluation set, or two folds of a cross-validation).

A thread has many addresses: a GitHub issue's comments, a Discourse topic's posts and a Reddit post's comments
each have URLs of their own that point into the same discussion, written by the same people.
"""

import re

_GITHUB = re.compile(r"(github\.com/[^/]+/[^/]+/(?:issues|pull|discussions)/\d+)")
# A Discourse post URL (/t/<slug>/<topic>/<post>) and a Reddit comment URL (/comments/<id>/<slug>/<comment>) point
# into the same thread as the topic's own URL.
_DISCOURSE = re.compile(r"(.*/t/[^/]+/\d+)(?:/\d+)?$")
_REDDIT = re.compile(r"(.*/r/[^/]+/comments/[^/]+)(?:/.*)?$")


def thread_key(url: str) -> str:
    """A page's thread: no scheme, no 'www.', no fragment, no trailing slash; GitHub issues by number; Discourse
    topics and Reddit posts without the post or comment part. A query stays ('?p=123' is a page of its own)."""
    key = re.sub(r"^https?://(www\.)?", "", url.strip()).split("#")[0].replace("/?", "?").rstrip("/")
    for pattern in (_GITHUB, _DISCOURSE, _REDDIT):
        match = pattern.match(key)
        if match:
            return match.group(1)
    return key
