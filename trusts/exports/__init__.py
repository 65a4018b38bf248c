"""Award reports: the builders behind the reports page, the Celery task and `export_awards`.

One module per format (awards_table, giving, summary), the cell and CSV helpers they share
(cells), the registry of formats and building one (formats), and the background job that
builds one into storage with progress (jobs). Every builder reads the same querysets the
pages read (trusts/queries.py), so each figure in a file equals the figure on the page.
Import each name from the module that holds it; this package re-exports nothing.
"""
