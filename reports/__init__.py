"""Report rendering from plain data (maps, later charts and PDFs); no app or database imports."""
