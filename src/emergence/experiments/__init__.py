"""The chapters' experiments, one package per chapter with the same parts in each:

``config`` (a dataclass of base values; per profile only what changes; ``CPU_THREADS``) →
``runs`` (the expensive runs, cached by configuration, seed and science code) → ``summary``
(one summary object per run, computed once) → ``claims`` (summary → ``list[Claim]``),
``results`` (the chapter's results record and the documentation of its keys) and ``figures``
(each returns a ``Figure``). Inputs are explicit: nothing reads a page's variables.
"""

#: The experiment package (under ``emergence.experiments``) of each chapter page.
TOPIC_OF_CHAPTER = {
    "lie_symmetries": "lie",
    "convolutions_from_data": "convolutions",
    "mirror_symmetry": "mirror",
}
