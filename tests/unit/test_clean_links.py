"""Relative links in imported bodies resolve against the article URL or are unlinked."""

from generator.clean.links import resolve

BODY = ("[ ![](/assets/avatar.jpg) ](https://gh0st.cn/) Back\n\n[关于](/about) | [锚](#a)\n"
        "```\n[code](/stays)\n```\n![图](pic.png \"t\")")


def test_without_a_base_relative_links_keep_only_their_text():
    out = resolve(BODY, None)
    assert "/assets/avatar.jpg" not in out and "](/about)" not in out and "关于" in out
    assert "[锚](#a)" in out and "[code](/stays)" in out  # anchors and code untouched
    assert out.endswith("\n图")


def test_with_the_article_url_they_become_absolute():
    out = resolve(BODY, "https://gh0st.cn/2021/post.html")
    assert "![](https://gh0st.cn/assets/avatar.jpg)" in out
    assert "[关于](https://gh0st.cn/about)" in out
    assert '![图](https://gh0st.cn/2021/pic.png "t")' in out


def test_saved_pages_keep_relative_images_for_localisation():
    assert "![图](pic.png" in resolve(BODY, None, keep_relative_images=True)
