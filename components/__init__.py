"""Custom Rasa NLU components of GenAI Explainer (thin adapters over the `explainer` core)."""

# Rasa imports this package in every process that loads our model (rasa run, shell, test), so the
# fixes to Rasa internals are applied here, before the first message is handled.
import rasa_fixes  # noqa: E402,F401
