"""Zalo Official Account channel: signed webhook events in, OA message API out."""

from gateways.zalo.client import ZaloApiError, ZaloClient
from gateways.zalo.handler import ZaloWebhook
from gateways.zalo.signature import SignatureError, compute_signature, verify_signature

__all__ = ["SignatureError", "ZaloApiError", "ZaloClient", "ZaloWebhook", "compute_signature",
           "verify_signature"]
