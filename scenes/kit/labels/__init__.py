"""On-screen prose in each language: one module per language, one lookup.

`labels_for` returns the `LanguageLabels` of a language: its ``.story``, ``.lectures``,
``.maps`` and ``.seed`` prose. The fields are defined in `scenes.kit.labels.fields`, the
English strings in `scenes.kit.labels.en`, the Japanese ones in `scenes.kit.labels.ja`.
"""

from __future__ import annotations

from scenes.kit.labels.en import ENGLISH
from scenes.kit.labels.fields import LanguageLabels
from scenes.kit.labels.ja import JAPANESE

__all__ = ["LanguageLabels", "labels_for"]

_BY_LANGUAGE: dict[str, LanguageLabels] = {"en": ENGLISH, "ja": JAPANESE}


def labels_for(language: str) -> LanguageLabels:
    """The labels of `language` ("en" or "ja"); gdmath's config has already validated it.

    An unknown language raises ``KeyError(language)``, as the old per-kind lookups did.
    """
    return _BY_LANGUAGE[language]
