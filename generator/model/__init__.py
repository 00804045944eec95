"""STAGE 3: content/*.md → typed Article objects (and, for the build, a Site)."""
