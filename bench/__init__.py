"""`make bench`: understanding, speed and cost of GenAI Explainer beside the stock `rasa init` bot."""
