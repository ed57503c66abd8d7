"""value models."""
