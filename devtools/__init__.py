"""Developer tooling (not part of any served process): run the whole assistant locally
(:mod:`devtools.run_all`), the production topology on localhost (:mod:`devtools.cluster`),
train the Rasa model when its inputs changed (:mod:`devtools.train`) and long-poll Telegram
(:mod:`devtools.run_telegram`). Tests and benches import these modules, never scripts."""
