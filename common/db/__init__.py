"""Database backends of this project's own (domain-free): see postgresql/base.py."""
