"""Custom NLU components Rasa loads from ``bot/config.yml`` (Rasa 3.10 environment); they
are the model's inputs (``devtools.train`` hashes this folder).

* :mod:`bot.nlu.vi_tokenizer` — tokenizer that masks personal numbers and gives every token a
  diacritic-free, abbreviation-expanded lemma, so "cấp đổi" and "cap doi" look alike.
* :mod:`bot.nlu.vi_text` — the lemma of one word, from the project's one Vietnamese text
  module.
* :mod:`bot.nlu.fast_diet`, :mod:`bot.nlu.entity_merger`, :mod:`bot.nlu.unknown_words`.
"""
