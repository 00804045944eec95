"""Record files: JSONL and CSV exports, one article per record.

The format adapter (sniff/read) is `adapter`; the other modules are its helpers."""
