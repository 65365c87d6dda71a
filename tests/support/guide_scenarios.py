"""Decision-guide scenarios typed in free text, shared by the end-to-end and fault tests."""

# Free-text replies, one per factor, as a user of each scenario would type them.
SCENARIOS = {
    "support chatbot": (
        "should I use an LLM for a customer-support bot?",
        {
            "content_type": "mostly written answers, so text",
            "data_availability": "we have tons of support tickets",
            "task_complexity": "answering customer questions",
            "resources": "tight budget, no gpu",
            "data_quality": "pretty clean text",
            "application_domain": "customer support",
            "expertise": "nobody on the team knows ML",
            "privacy": "no, nothing personal",
        },
        "llm",
    ),
    "product photos": (
        "LLM or something else for generating product images?",
        {
            "content_type": "images",
            "data_availability": "a library of product photos",
            "task_complexity": "creative stuff with lots of variety",
            "resources": "plenty of GPUs",
            "data_quality": "high quality studio photos",
            "application_domain": "advertising",
            "expertise": "a few ML engineers",
            "privacy": "no, all public",
        },
        "generative_model",
    ),
    "campaign": (
        "which model fits my project? it's a marketing campaign with copy and images",
        {
            "content_type": "text and images",
            "data_availability": "both text and media",
            "task_complexity": "several steps",
            "resources": "moderate",
            "data_quality": "clean text",
            "application_domain": "marketing",
            "expertise": "some",
            "privacy": "no",
        },
        "hybrid",
    ),
}
