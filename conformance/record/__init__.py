"""Record cells: the typed cell record and matrix document, expectations, and assembly on the controller."""
