"""Conversations the load generator holds: ours exercises explainer follow-ups and a decision guide."""

EXPLAINER = [
    "hi",
    "what is a diffusion model?",
    "when was it introduced?",
    "how is it different from a GAN?",
    "examples of LLMs",
    "tell me more",
    "why do LLMs hallucinate?",
    "should I use an LLM for a customer-support bot?",
    "mostly text",
    "we have tons of support tickets",
    "why do you ask?",
    "stop",
    "yes",
    "thanks, bye",
]

# The stock `rasa init` bot knows greetings, moods and "are you a bot".
STOCK = ["hi", "I'm feeling sad", "yes", "are you a bot?", "great, thanks", "bye"]
