"""The field names a JSON/CSV record may give an article's parts under (compared lower-cased):
the one list that reading a record (`adapter`) and finding articles nested in a response
(`nested`) both go by."""

TITLE = ("title", "msg_title", "标题")
ACCOUNT = ("account_name", "nickname", "mp_name", "biz_name", "公众号", "name", "account")
ACCOUNT_ID = ("account_id", "alias", "wechat_id", "微信号")
HTML_BODY = ("content_html", "html", "body_html")
MD_BODY = ("markdown", "content_md")
BODY = ("content", "body", "text", "article", "正文", "contenttext", "content_text")
URL = ("url", "link", "msg_link", "content_url", "article_url")
