"""``zhibu check-config``: validate and summarize the config (no database)."""
