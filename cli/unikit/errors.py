"""Errors shown to the user as one clear line, and how messages are printed."""
import sys

EXIT_CRASH, EXIT_PANIC, EXIT_BOOTFAIL = 125, 124, 123


class UserError(Exception):
    """An error to show as one clear message, without a traceback."""


def say(msg):
    print(f"unikit: {msg}", file=sys.stderr, flush=True)
