"""stories models."""
