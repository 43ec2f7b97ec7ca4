"""The 5-year purge: a client's debtors' personal data and files removed in every service."""
