"""`attache dashboard`: a read-only web dashboard on the warehouse's marts.

queries.py    filters and parameterised SQL on schema `marts`
charts.py     inline SVG charts
pages.py      the HTML views (engagement, Central Asia, timeline, figures, article)
server.py     stdlib HTTP server; warehouse.py opens the published file per request
"""

from orchestration.dashboard.server import DashboardServer, make_server

__all__ = ["DashboardServer", "make_server"]
