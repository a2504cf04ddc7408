"""Cell coordinates and the run's selection of them."""
