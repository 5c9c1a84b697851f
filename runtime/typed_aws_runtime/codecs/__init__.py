"""Codecs: typed values to bytes and back, per shape; nothing of HTTP."""
