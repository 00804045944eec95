"""STAGE 4: rendering machinery — URL rules, Markdown, theme lookup, the Jinja environment."""
