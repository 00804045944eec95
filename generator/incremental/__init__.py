"""Incremental builds: what the output holds (one manifest) and what a new build must do.

`manifest` keeps the one record of the build that made the output (read once at the start of
a build, written once at its end); `decide` compares it with the current inputs and answers
Unchanged, Patch(changed articles) or Full; `patch` plans and applies a patch of the few pages
and search segments the changed articles touch; `contexts` keeps the pages' saved contexts
that a patch renders from.
"""
