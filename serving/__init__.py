"""How the assistant is served: start-up checks, the hardened action server, the tracker store that keeps events."""
