"""Records for inspection: the year's ledger (xlsx), the archive (zip with a sha256
manifest) and the month-by-system chart (PNG)."""
