"""postctl: a command-line content manager for blogs kept as a folder of Markdown posts."""

__version__ = "0.1.0"
