"""Operations on the whole service: backup and restore. Owns no models."""
