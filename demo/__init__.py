"""Demo data for a newcomer's `make run`: outside the product, installed only in development
and tests (config/settings.py), and never imported by the product apps."""
