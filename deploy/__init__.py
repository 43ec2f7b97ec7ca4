"""Deployment helpers: the local runner behind ``make run``."""
