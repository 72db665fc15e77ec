"""Fixtures for the people tests."""
