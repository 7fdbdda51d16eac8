"""Kenniskring pages: widgets and Voila helpers (the library itself never imports widgets)."""
