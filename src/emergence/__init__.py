"""Emergent Symmetries: the slim package behind the book's chapters.

Sub-packages hold one idea per module: ``data`` (input generators), ``models`` (the networks),
``analysis`` (the measures); ``profiles`` checks a chapter's run parameters, ``train`` is the one
training loop, ``cache`` stores expensive results by configuration, ``results`` writes the headline
numbers, ``widgets`` builds explorers that also work in the static HTML book, and ``pipeline``
executes the chapters and builds the book.
"""

__version__ = "0.1.0"
