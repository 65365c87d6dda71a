"""Every setting GenAI Explainer reads, in one place; plain Python, no Rasa import.

- `environment`: the servers' environment variables (HTTP API token, CORS, session length, request size, the
  knowledge folder GENAI_KNOWLEDGE_DIR), checked before start-up.
- `credentials`: a channel's entries in its credentials file, whose secrets come from environment variables.
- `origins`: which web pages may call the servers from a browser (GENAI_CORS_ORIGINS, WEBCHAT_ALLOWED_ORIGINS).
- `feedback`: the `feedback:` section of knowledge/settings.yml and its schema check.
- `production`: the production profile's database, Redis and action-server variables (endpoints.production.yml).
- `action_server`: where the action server listens and which pages may call it (ACTION_SERVER_HOST, ACTION_PORT,
  ACTION_SERVER_CORS).

A setting that cannot be used raises explainer.errors.SettingsError with a sentence naming it.
"""
