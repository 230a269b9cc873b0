"""Pages → bytes: the Jinja theme, the views templates see, feeds and metadata, render workers."""
