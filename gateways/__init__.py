"""Channels that connect citizens to the troly06 assistant (Telegram, Zalo OA, web widget).

Every channel talks to the same Rasa assistant through :class:`ChatService`, which owns
the single per-process :class:`~gateways.rasa_client.RasaClient` and falls back to the
knowledge base when Rasa cannot be reached (degraded mode, logged).
"""

from gateways.chat import ChatService, get_chat_service
from gateways.rasa_client import RasaClient, RasaUnavailable

__all__ = ["ChatService", "RasaClient", "RasaUnavailable", "get_chat_service"]
