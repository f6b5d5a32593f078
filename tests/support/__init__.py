"""Helpers shared by test modules: fixtures come from conftest on their own; readers and builders live here."""
