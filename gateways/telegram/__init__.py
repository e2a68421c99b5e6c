"""Telegram channel built on python-telegram-bot (long polling or webhook)."""

from gateways.telegram.bot import COMMANDS, build_application, register_commands

__all__ = ["COMMANDS", "build_application", "register_commands"]
