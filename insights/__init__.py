"""Insights for the assistant's owner: reads conversations from the SQL tracker store and reports on them.

Plain Python (no Rasa import): `store` reads events, `conversations` splits them, `figures` computes the
numbers, `gaps` groups unanswered messages, `redact` hides personal data, `charts`/`page` write the HTML.
"""
