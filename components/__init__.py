"""Custom Rasa NLU components of GenAI Explainer (thin adapters over the `explainer` core)."""
