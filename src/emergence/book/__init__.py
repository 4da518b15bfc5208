"""The book's machinery, apart from the science: it builds, glues and checks; it never computes
a result.

- :mod:`~emergence.book.chapter` opens a chapter: its parameters checked, device, thread
  policy and figure style in one call;
- :mod:`~emergence.book.glue` hands numbers to the prose; :mod:`~emergence.book.results` writes
  a chapter's results record; :mod:`~emergence.book.scorecard` renders the scorecard page;
- :mod:`~emergence.book.pipeline` executes the chapters and builds the book;
  :mod:`~emergence.book.vendor`, :mod:`~emergence.book.sphinx_ext` and
  :mod:`~emergence.book.bibliography` serve the HTML pages.

The science (``data``, ``models``, ``analysis``, ``experiments``) imports nothing from here, and
its cache key does not cover these files (:func:`emergence.cache.code_fingerprint`).
"""
