"""Plain-text inputs: saved page text, browser "Save as text" dumps with their scripts.

The format adapter (sniff/read) is `adapter`; the other modules are its helpers."""
