"""Markdown inputs: front-matter archives, web clippings, backup exports, html2text pages.

The format adapter (sniff/read) is `adapter`; the other modules are its helpers."""
