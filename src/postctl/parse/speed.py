"""The default reading speed, kept apart from :mod:`postctl.parse.readtime`: settings, which
every command reads (``--version`` included), need the number but not the regular expressions
readtime compiles when imported (48 M instructions of ``postctl --version``'s 339 M,
callgrind)."""

DEFAULT_WPM = 238  # words per minute for non-fiction (Brysbaert 2019)
