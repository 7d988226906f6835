"""Where per-file work runs: a local process pool (``pool``), a child process per file for
hard timeouts (``isolated``), or a dask.distributed cluster (``dask_cluster``). ``worker`` is
the per-file function they all run. Executors know nothing of what later stages do with the
files: the text stage hands its own per-partition function to ``dask_cluster.map_partitions``.
"""
