"""API pieces that need only to know about cities (no partnerships)."""
