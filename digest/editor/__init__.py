"""The editor's commands besides build: `digest new`, `digest import` and `digest check`."""
