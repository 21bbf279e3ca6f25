"""Limits on clients: who is asking (behind trusted proxies) and how often, counted in the shared cache."""
