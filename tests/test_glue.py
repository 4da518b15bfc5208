"""Our glue writes exactly what myst-nb's glue writes, so the book's {glue:text} roles read it."""

import pytest

import emergence.book.glue


def captured(module, monkeypatch, *args):
    calls = []
    monkeypatch.setattr(module, "ipy_display" if hasattr(module, "ipy_display") else "display",
                        lambda *a, **k: calls.append((a, k)))
    module.glue(*args)
    return calls


@pytest.mark.parametrize("value", [0.123456, 3, "seed 2"])
def test_glue_output_matches_myst_nb(monkeypatch, value):
    myst_glue = pytest.importorskip("myst_nb.ext.glue")
    ours = captured(emergence.book.glue, monkeypatch, "ch_value", value)
    theirs = captured(myst_glue, monkeypatch, "ch_value", value, False)
    assert ours == theirs and len(ours) == 1
    (bundle,), options = ours[0]
    assert options["metadata"]["scrapbook"]["name"] == "ch_value"
    assert all(mime.startswith(emergence.book.glue.GLUE_PREFIX) for mime in bundle)
