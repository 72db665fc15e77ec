"""Fixtures for the reminders tests."""
