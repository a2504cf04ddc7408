"""Reports drawn from a matrix document alone: matrix.json, a Markdown summary, an HTML page, a diff."""
