"""Report rendering from plain data (maps, charts and PDFs); no app or database imports."""

from reports.charts import horizontal_bar_chart, vertical_bar_chart
from reports.rendering import render_html, render_pdf, restricted_fetcher

__all__ = ["horizontal_bar_chart", "render_html", "render_pdf", "restricted_fetcher", "vertical_bar_chart"]
