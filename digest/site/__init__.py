"""The build: site.toml and content/ read, validated, indexed and planned into pages.

digest/site/pipeline.py runs it, one stage per line; digest/site/records.py holds what the stages hand on;
digest/site/model.py the frozen articles, terms and pages; digest/site/schema.py every front-matter field.
"""
