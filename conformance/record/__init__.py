"""Record cells: the typed cell record, expectations, and the matrix assembled on the controller."""
