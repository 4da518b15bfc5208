"""Author–year labels for the book's reference list, to match its author–year citations.

sphinxcontrib-bibtex cites "Bertoni et al. (2021)" in the text (``bibtex_reference_style:
author_year``) but labels the list with the formatting style's label style — ``alpha`` by
default, "[BMSC21]", with LaTeX accents dropped ("LowelS92"). :class:`AuthorYearStyle` is the
``unsrt`` formatting with labels "Bertoni et al. 2021", "Löwel & Singer 1992", registered as the
pybtex style ``authoryear`` (``bibtex_default_style`` in ``_config.yml``).
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle


def author_year_label(entry) -> str:
    """"Name year" for one author, "Name & Name year" for two, "Name et al. year" for more."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [Text.from_latex(" ".join(person.last_names)).render_as("text") for person in people]
    year = entry.fields.get("year", "n.d.")
    if not names:
        return f"{entry.fields.get('title', entry.key)} {year}"
    if len(names) == 1:
        return f"{names[0]} {year}"
    if len(names) == 2:
        return f"{names[0]} & {names[1]} {year}"
    return f"{names[0]} et al. {year}"


class AuthorYearLabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [author_year_label(entry) for entry in sorted_entries]
        seen: dict[str, int] = {}
        for label in labels:  # equal labels get a, b, … as in "Smith 2020a"
            if labels.count(label) > 1:
                seen[label] = seen.get(label, 0) + 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            else:
                yield label


class AuthorYearStyle(UnsrtStyle):
    default_label_style = AuthorYearLabelStyle


def register() -> None:
    """Make ``authoryear`` available to sphinxcontrib-bibtex."""
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle, force=True)
