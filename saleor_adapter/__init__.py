"""Saleor adapter: everything that knows Saleor 2.10's internals lives in this package."""
