"""Generic HTML pages (not WeChat article pages).

The format adapter (sniff/read) is `adapter`; the other modules are its helpers."""
