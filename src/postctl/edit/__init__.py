"""Writing files: the scaffold of a new post."""
