"""Emergent Symmetries: the slim package behind the book's chapters.

Sub-packages hold one idea per module: ``data`` (input generators), ``models`` (the networks),
``analysis`` (the measures), ``experiments`` (one package per chapter: config → runs → summary →
claims, results, tables, figures); ``profiles`` checks a chapter's run parameters, ``train`` is
the loop by steps, ``cache`` stores expensive results by configuration and science code,
``claims`` is the claim record and its verdict, ``widgets`` builds explorers that also work in
the static HTML book. The book's machinery (opening a chapter, glue, results files, the
scorecard, the build) is ``emergence.book``; the science never imports it.
"""

__version__ = "0.1.0"
