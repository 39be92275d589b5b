"""Storage and serving: the database schema, WARC captures, Datasette configuration and export."""
