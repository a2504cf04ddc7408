"""Reports of a matrix run: the JSON document, a Markdown summary and a self-contained HTML page."""
