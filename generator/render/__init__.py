"""STAGE 4: rendering machinery — theme lookup, the Jinja environment, page recipes."""
