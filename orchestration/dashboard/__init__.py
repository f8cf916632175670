"""`attache dashboard`: a read-only web dashboard on the warehouse's marts.

queries.py    filters and parameterised SQL on schema `marts`
scope.py      the defaults (recent months, minimum confidence) and what the warehouse offers
quality.py    the quality view's SQL (per rule, coverage, per outlet)
charts.py     inline SVG charts; formatting.py numbers, amounts and dates
pages.py      rows shaped for templates/ (Jinja2, autoescaped): engagement, Central Asia,
              timeline, figures, quality, article
server.py     stdlib HTTP server; warehouse.py opens the published file per request
"""

from orchestration.dashboard.server import DashboardServer, make_server

__all__ = ["DashboardServer", "make_server"]
