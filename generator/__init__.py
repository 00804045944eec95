"""Wenji (文集): a static-site generator for collections of scraped articles."""

__version__ = "0.1.0"
