"""Fixtures for the plans tests."""
