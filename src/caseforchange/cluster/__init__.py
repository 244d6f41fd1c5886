"""Running the engines' chunked work on a Dask cluster (the optional ``cluster`` extra)."""
