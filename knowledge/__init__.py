"""Knowledge base and search for troly06 (issue 4).

``search(question, k)`` -> list of :class:`Hit`; ``answer(question)`` -> :class:`Answer`;
``build_index(force=False)`` builds ``var/index`` when the data changed. See docs/knowledge.md.
"""

from knowledge.answer import Answer, Hit, answer, search
from knowledge.index import build_index

__all__ = ["Answer", "Hit", "answer", "build_index", "search"]
