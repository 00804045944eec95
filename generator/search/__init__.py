"""Client-side full-text search: one tokenizer and a sharded index writer.

The format is described in docs/search-format.md; the browser half lives in the default theme's
static/js/search.js and must stay in step with `tokenizer` and with the reference query engine
the tests check the index with (tests/search_reference.py).
"""
