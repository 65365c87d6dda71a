"""Rasa input channels of GenAI Explainer: thin adapters that share one inbound filter."""
