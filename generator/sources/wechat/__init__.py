"""Saved WeChat article pages (HTML with #js_content) and the page scripts they carry.

The format adapter (sniff/read) is `adapter`; the other modules are its helpers."""
