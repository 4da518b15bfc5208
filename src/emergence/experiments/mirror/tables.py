"""Mean ± SEM over the exemplars of each object family, as a flat table.

A :class:`StatTable` has one row per key (e.g. network × layer × family) holding ``mean``,
``sem`` and ``n`` over the exemplars (:func:`emergence.analysis.mirror.mean_sem`);
:meth:`StatTable.nested` gives the nested form the results file keeps
(``network → layer → family → {mean, sem, n}``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import torch

from emergence.analysis.mirror import mean_sem
from emergence.data.objects import FAMILIES
from emergence.experiments.mirror.config import ALL_LAYERS


@dataclass(frozen=True)
class StatTable:
    """Mean ± SEM over exemplars as a flat table: ``columns`` name the key of each row (e.g.
    network, layer, family); each row holds those keys and ``mean``, ``sem``, ``n``."""

    columns: tuple[str, ...]
    rows: tuple[dict, ...]

    def row(self, *key) -> dict:
        """The row of ``key`` (one value per column)."""
        for r in self.rows:
            if tuple(r[c] for c in self.columns) == key:
                return r
        raise KeyError(f"no row {dict(zip(self.columns, key, strict=False))} in the table.")

    def mean(self, *key) -> float:
        return self.row(*key)["mean"]

    def text(self, *key) -> str:
        """``+0.94 ± 0.02``."""
        return sem_text(self.row(*key))

    def nested(self, stats: Sequence[str] = ("mean", "sem", "n")) -> dict:
        """``{first column: {second: … {last: {mean, sem, n}}}}`` in the order of the rows."""
        out: dict = {}
        for r in self.rows:
            node = out
            for c in self.columns[:-1]:
                node = node.setdefault(r[c], {})
            node[r[self.columns[-1]]] = {s: r[s] for s in stats}
        return out


def sem_text(stats: dict) -> str:
    """``{"mean", "sem"}`` as ``+0.94 ± 0.02``."""
    return f"{stats['mean']:+.2f} ± {stats['sem']:.2f}"


def family_members(family_of: torch.Tensor) -> dict[str, torch.Tensor]:
    """``family → indices`` of its objects in the test stimuli (``family_of``: each object's
    index into FAMILIES)."""
    return {f: (family_of == i).nonzero().squeeze(1) for i, f in enumerate(FAMILIES)}


def family_table(values: dict, family_of: torch.Tensor, columns: tuple[str, ...]) -> StatTable:
    """A :class:`StatTable` from nested per-object values: ``values[k1][k2]…`` → (objects,),
    ``columns`` naming the nesting levels and then the family (last column)."""
    members = family_members(family_of)
    rows = []

    def walk(node, key):
        if isinstance(node, torch.Tensor):
            for f in FAMILIES:
                rows.append(dict(zip(columns, (*key, f), strict=True)) | mean_sem(node[members[f]]))
        else:
            for k, child in node.items():
                walk(child, (*key, k))

    walk(values, ())
    return StatTable(columns, tuple(rows))


def msvt_table(indices: dict[str, dict[str, torch.Tensor]], family_of: torch.Tensor,
               layers: Sequence[str] = ALL_LAYERS) -> StatTable:
    """One row per network × layer × family of the MSVT index (``indices[network][layer]``
    per object, e.g. from :func:`emergence.experiments.mirror.measures.layer_indices`)."""
    return family_table({net: {layer: per[layer] for layer in layers}
                         for net, per in indices.items()}, family_of,
                        ("network", "layer", "family"))


#: The records of recorded runs (``benchmarks/mirror_batch.py``: the batch departure;
#: ``benchmarks/mirror_epochs.py``: the index over training), shipped with the package, and the
#: fields that identify one line of each.
RECORDS = {"batch": ("records/mirror_batch.jsonl", ("seed", "batch")),
           "epochs": ("records/mirror_epochs.jsonl", ("seed", "epoch"))}


def load_record(name: str, text: str | None = None) -> list[dict]:
    """The lines of the record ``name`` (one of RECORDS; for a key recorded twice, the last
    line), sorted by their key fields. ``text`` replaces the shipped record (for tests)."""
    path, fields = RECORDS[name]
    if text is None:
        text = resources.files(__package__).joinpath(path).read_text()
    latest = {}
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            latest[tuple(record[f] for f in fields)] = record
    return [latest[key] for key in sorted(latest)]
