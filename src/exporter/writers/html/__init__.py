"""XHTML rendering of the document model: the pages EPUB packages (and a future HTML writer)."""
