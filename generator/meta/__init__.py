"""Article metadata rules shared by every format adapter and by the cleaning stage.

`dates` (every date form scraped articles use), `wechat` (article host, canonical URL,
identity), `labels` (labelled lines and bylines),
`extract` (the one extractor: candidates with their source, one priority). This package sits
below `sources` and `clean` and imports neither.
"""
