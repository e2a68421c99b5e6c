"""Telegram channel built on python-telegram-bot (long polling or webhook)."""

from gateways.telegram.bot import bot_commands, build_application, register_commands

__all__ = ["bot_commands", "build_application", "register_commands"]
