"""JSON API controllers; each receives a database session by dependency injection."""
