"""`digest serve`: the site built into memory, served, rebuilt on every save, reloaded in the browser."""
