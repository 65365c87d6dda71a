// Mounts the rasa-webchat widget; /config.js (written by scripts/serve-web) says where Rasa listens.
(function () {
  var config = window.GENAI_EXPLAINER || {};
  window.WebChat.default({
    socketUrl: config.socketUrl,
    socketPath: "/socket.io/",
    title: "GenAI Explainer",
    subtitle: "Generative AI and LLMs, explained",
    inputTextFieldHint: "Ask about generative AI...",
    initPayload: "/greet",
    // Reaches Rasa as the user message's metadata (credentials.yml: metadata_key: customData).
    customData: { language: "en", page: window.location.pathname },
    // The session id and the messages live in localStorage: a reload continues the conversation.
    params: { storage: "local" },
    customMessageDelay: function () { return 300; },
    showMessageDate: false
  }, null);
})();
