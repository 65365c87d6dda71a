"""Custom Rasa NLU components of GenAI Explainer (thin adapters over the `explainer` core).

Rasa's own commands (`rasa run`, `rasa shell`, `rasa test`) import this package when they load our model's
pipeline, before the first message is handled, so this is the one place that installs the fixes to Rasa internals.
"""

import rasa_fixes

rasa_fixes.apply()
