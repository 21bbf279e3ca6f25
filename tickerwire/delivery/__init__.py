"""HTTP delivery: conditional GET, the page cache, static snapshots for nginx and purging on story events."""
