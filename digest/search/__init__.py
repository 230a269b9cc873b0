"""Static search: the /search/ page and a Pagefind index built in date shards, reused when unchanged."""
