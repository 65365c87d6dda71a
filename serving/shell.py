"""`python -m serving.shell [rasa shell arguments]` (`make shell`): `rasa shell` with our terminal channel, on loopback."""

import sys

# rasa shell serves stock REST (anyone who reaches it picks any sender id) on 0.0.0.0 by default: only this
# machine's own terminal talks to it, so it listens on loopback.
LOOPBACK = "127.0.0.1"


def main() -> None:
    """Runs `rasa shell` with the given arguments, using TerminalInput as its "cmdline" channel."""
    # Imported when the shell starts: an entry point may use any package, but serving/ as a library imports nothing
    # from channels/ (channels/rest.py reports serving/'s tracker-store health), so there is no import cycle.
    from rasa.__main__ import main as rasa_main
    from rasa.core.channels import BUILTIN_CHANNELS

    from channels.shell import TerminalInput

    # rasa shell always asks for the built-in "cmdline" channel; this is where Rasa looks it up.
    BUILTIN_CHANNELS["cmdline"] = TerminalInput
    # First, so that an explicit --interface given by the user still wins (argparse keeps the last value).
    sys.argv = ["rasa", "shell", "--interface", LOOPBACK, *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
