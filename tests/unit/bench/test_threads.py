"""bench/threads.py: one thread behind its many addresses."""

from bench.threads import thread_key


def test_thread_key_sees_one_thread_behind_its_many_addresses() -> None:
    assert thread_key("https://github.com/a/b/issues/12#issuecomment-99") == "github.com/a/b/issues/12"
    assert thread_key("https://www.forum.example/t/what-is-x/58237/19") == "forum.example/t/what-is-x/58237"
    assert thread_key("https://r.example/r/LocalLLaMA/comments/1mu/some_title/n9n/?context=3") == "r.example/r/LocalLLaMA/comments/1mu"
    assert thread_key("https://site.example/?p=17") == "site.example?p=17"
    assert thread_key("https://site.example/?p=17") != thread_key("https://site.example/?p=18")
