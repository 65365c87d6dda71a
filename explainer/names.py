"""The names of the conversation the code refers to: intents, entities, slots, actions, forms and responses.

domain.yml declares them for Rasa; the code uses these constants instead of retyping the strings, so a rename is
one edit here plus domain.yml, and tests/data/test_names.py fails if the two disagree. Names made from the knowledge
base (the decision guide's factor slots and their action_ask_<factor> actions) are not listed: they come from YAML.
"""


class Intent:
    GREET = "greet"
    GOODBYE = "goodbye"
    THANKS = "thanks"
    BOT_CHALLENGE = "bot_challenge"
    HELP = "help"
    OUT_OF_SCOPE = "out_of_scope"
    ASK_DEFINITION = "ask_definition"
    ASK_HOW_IT_WORKS = "ask_how_it_works"
    ASK_EXAMPLES = "ask_examples"
    ASK_USES = "ask_uses"
    ASK_LIMITATIONS = "ask_limitations"
    ASK_HISTORY = "ask_history"
    ASK_COMPARISON = "ask_comparison"
    TELL_MORE = "tell_more"
    EXPLAIN_SIMPLER = "explain_simpler"
    ASK_SOURCE = "ask_source"
    LIST_TOPICS = "list_topics"
    START_GUIDE = "start_guide"
    INFORM = "inform"
    SKIP_QUESTION = "skip_question"
    WHY_ASK = "why_ask"
    STOP_GUIDE = "stop_guide"
    RESTART_GUIDE = "restart_guide"
    AFFIRM = "affirm"
    DENY = "deny"
    SHOW_SUMMARY = "show_summary"
    CHANGE_ANSWER = "change_answer"
    FEEDBACK = "feedback"


# Intents that lead to the decision guide: outside it both start it, inside it both are read as an answer to the
# open question (data/guide_rules.yml). The classifier pools their confidence; the rephrase action leaves a topic
# they name to the guide.
GUIDE_INTENTS = (Intent.START_GUIDE, Intent.INFORM)


class Entity:
    CONCEPT = "concept"
    CATEGORY = "category"
    GUIDE_ANSWER = "guide_answer"
    HELPFUL = "helpful"


class Slot:
    CONCEPT = "concept"
    LAST_CONCEPTS = "last_concepts"
    LAST_ASPECT = "last_aspect"
    FEEDBACK_STATE = "feedback_state"
    # Featurized, so rules can read a typed yes/no as the answer to the question just asked.
    FEEDBACK_PENDING = "feedback_pending"
    FEEDBACK_GIVEN = "feedback_given"
    RECOMMENDATION = "recommendation"
    # {"factor": id, "count": n}: unreadable answers to the open guide question, so it is never asked a third time.
    GUIDE_MISSES = "guide_misses"
    GUIDE_STOP_PENDING = "guide_stop_pending"


class Action:
    EXPLAIN = "action_explain"
    COMPARE = "action_compare"
    SHOW_SOURCE = "action_show_source"
    LIST_TOPICS = "action_list_topics"
    ASK_REPHRASE = "action_ask_rephrase"
    OUT_OF_SCOPE = "action_out_of_scope"
    ABOUT_THE_BOT = "action_about_the_bot"
    VALIDATE_GUIDE = "validate_decision_guide_form"
    RECOMMEND = "action_recommend"
    EXPLAIN_FACTOR = "action_explain_factor"
    CONFIRM_STOP_GUIDE = "action_confirm_stop_guide"
    STOP_GUIDE = "action_stop_guide"
    RESTART_GUIDE = "action_restart_guide"
    SHOW_SUMMARY = "action_show_summary"
    CHANGE_ANSWER = "action_change_answer"
    RECORD_FEEDBACK = "action_record_feedback"
    # action_ask_<factor id>: one per factor of knowledge/decision_guide.yml (actions/guide.py make_ask_actions).
    ASK_FACTOR_PREFIX = "action_ask_"


class Form:
    DECISION_GUIDE = "decision_guide_form"


class Response:
    OUT_OF_SCOPE = "utter_out_of_scope"
    BOT_CHALLENGE = "utter_bot_challenge"
    ASK_STOP_GUIDE = "utter_ask_stop_guide"
    GUIDE_STOPPED = "utter_guide_stopped"
    GUIDE_INTRO = "utter_guide_intro"
    HELP = "utter_help"


class Rasa:
    """Names Rasa itself defines (not declared in domain.yml)."""

    # The slot a form is asking for.
    REQUESTED_SLOT = "requested_slot"
    # The intent FallbackClassifier (config.yml) gives a message it is not sure of.
    NLU_FALLBACK = "nlu_fallback"


def names(kind: type) -> dict:
    """{constant: name} of one kind above (its upper-case attributes that hold a name)."""
    return {key: value for key, value in vars(kind).items() if key.isupper() and not key.endswith("_PREFIX")}
