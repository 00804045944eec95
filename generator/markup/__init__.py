"""Markdown body → sanitized HTML and plain text: the one converter, its bounds on hostile
input, build-time code highlighting, and local image paths re-anchored for a page.

Below `model` (which renders each entry's body while loading) and `render`; imports neither.
"""
