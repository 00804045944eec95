"""Client-side full-text search: one tokenizer, a sharded index writer and a reference query engine.

The format is described in docs/search-format.md; the browser half lives in the default theme's
static/js/search.js and must stay in step with `tokenizer` and `query`.
"""
