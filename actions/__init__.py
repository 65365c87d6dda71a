"""Custom actions of GenAI Explainer: thin rasa-sdk adapters over the `explainer` core."""
