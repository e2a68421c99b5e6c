"""Zalo Official Account channel: signed webhook events in, OA message API out."""

from bot.channels.zalo.client import ZaloApiError, ZaloClient
from bot.channels.zalo.handler import ZaloWebhook
from bot.channels.zalo.signature import SignatureError, compute_signature, verify_signature

__all__ = ["SignatureError", "ZaloApiError", "ZaloClient", "ZaloWebhook", "compute_signature",
           "verify_signature"]
