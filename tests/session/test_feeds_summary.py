"""What a refresh says (issue 12): failed feeds are not counted as refreshed, and named once."""

from __future__ import annotations

from reader.domain.feeds.subscriptions import SyncResult
from reader.session.feeds import summary


def test_a_failed_feed_is_not_counted_as_refreshed_and_is_named_once() -> None:
    results = [SyncResult("http://a/rss", "A", new=3), SyncResult("http://b/rss", "B", new=0),
               SyncResult("http://c/gone.xml", "", error="HTTP 404 Not Found.")]
    done = summary(results)
    assert done.message == "2 feeds refreshed, 3 new articles; 1 failed: http://c/gone.xml: HTTP 404 Not Found."
    assert done.failed and "FAILED" not in done.message


def test_one_feed_and_one_article_are_singular() -> None:
    assert summary([SyncResult("http://a/rss", "A", new=1)]).message == "1 feed refreshed, 1 new article"


def test_when_every_feed_failed_none_is_said_refreshed() -> None:
    results = [SyncResult(f"http://{n}/rss", n, error="timed out.") for n in "abcd"]
    assert summary(results).message == "No feed refreshed; 4 failed: a: timed out.; b: timed out.; c: timed out.; and 1 more"
