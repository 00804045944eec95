"""STAGE 2: RawDoc → Article (cleaned Markdown body + front matter). Pure: no disk I/O."""
