"""Telegram channel (python-telegram-bot ≥ 21): Rasa owns the dialogue, this module renders it.

Text → :class:`ChatService` with the Telegram user id as sender; Rasa buttons → inline
keyboards whose callbacks send the payload back; chart images → photos; an official's
document → :func:`stats.ingest_report` with the parser's summary as the reply.
Long polling by default; with ``TELEGRAM_MODE=webhook`` the app is built with
``.updater(None)`` and fed by the FastAPI route ``POST /webhooks/telegram``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from telegram import BotCommand, Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from gateways.chat import ChatService, channel_identity
from gateways.reports import ingest_upload, summarize_ingest
from gateways.telegram.render import (
    PayloadStore,
    image_bytes,
    keyboard,
    split_message,
)
from gateways.telegram.retry import with_retry
from troly06.commands import command_of, commands
from troly06.config import Settings
from troly06.pii import mask_pii
from troly06.wording import say

log = logging.getLogger(__name__)

REPORT_SUFFIXES = {".docx", ".pdf", ".txt"}
SENDER_PREFIX = "telegram:"  # actions/common.channel_and_user reads the channel from it


def _services(context: ContextTypes.DEFAULT_TYPE) -> tuple[ChatService, PayloadStore, Settings]:
    data = context.application.bot_data
    return data["chat"], data["payloads"], data["settings"]


async def deliver(context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                  messages: list[dict[str, Any]], *, reply_to: int | None = None) -> None:
    """Send Rasa's messages: text (split), buttons (inline keyboard), images (photos)."""
    _, payloads, _ = _services(context)
    bot = context.bot
    for message in messages:
        text = str(message.get("text") or "")
        markup = keyboard(message.get("buttons"), payloads)
        chunks = split_message(text) if text.strip() else []
        for i, chunk in enumerate(chunks):
            await with_retry(partial(
                bot.send_message, chat_id, chunk,
                reply_markup=markup if i == len(chunks) - 1 else None,
                reply_to_message_id=reply_to if i == 0 else None))
        image = message.get("image")
        photo = image_bytes(image) if isinstance(image, str) else None
        if photo is not None:
            await with_retry(partial(bot.send_photo, chat_id, photo,
                                     reply_markup=None if chunks else markup))
        elif markup is not None and not chunks:
            await with_retry(partial(bot.send_message, chat_id, say("chat.choose"),
                                     reply_markup=markup))


async def converse(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                   *, prefix: str | None = None) -> None:
    """Send ``text`` from the update's user to the assistant and deliver the replies."""
    chat, _, settings = _services(context)
    user = update.effective_user
    chat_obj = update.effective_chat
    if user is None or chat_obj is None:
        return
    if len(text) > settings.max_message_chars:
        await with_retry(lambda: context.bot.send_message(
            chat_obj.id, say("channels.too_long", n=settings.max_message_chars)))
        return
    try:
        await context.bot.send_chat_action(chat_obj.id, ChatAction.TYPING)
    except Exception:  # noqa: BLE001 - the typing indicator is cosmetic
        pass
    who = await asyncio.to_thread(channel_identity, "telegram", str(user.id),
                                  settings.officials_file)
    result = await chat.reply(who, text, metadata={"chat_type": chat_obj.type})
    messages = result.messages
    if prefix:
        messages = [{"text": prefix}, *messages]
    if not messages:
        return
    reply_to = None
    if chat_obj.type != ChatType.PRIVATE and update.effective_message is not None:
        reply_to = update.effective_message.message_id
    await deliver(context, chat_obj.id, messages, reply_to=reply_to)


def _text_of(message: Message) -> str:
    """The message's text or caption; "" when neither is a string (a forged update can put
    any JSON there, and PTB passes it through unchecked)."""
    for value in (message.text, message.caption):
        if isinstance(value, str) and value:
            return value
    return ""


def mentioned_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """In a group: the text without the ``@bot`` mention when the bot is addressed, else None."""
    text = _text_of(message)
    mention = f"@{bot_username}".lower()
    addressed = False
    for entity in message.entities or message.caption_entities or ():
        if entity.type == MessageEntityType.MENTION:
            value = text[entity.offset: entity.offset + entity.length]
            if value.lower() == mention:
                addressed = True
        elif entity.type == MessageEntityType.TEXT_MENTION and entity.user is not None:
            addressed = addressed or entity.user.id == bot_id
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        addressed = True
    if not addressed:
        return None
    return re.sub(re.escape(mention), "", text, flags=re.IGNORECASE).strip()


def _addressed_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    message = update.effective_message
    chat_obj = update.effective_chat
    if message is None or chat_obj is None:
        return None
    if chat_obj.type == ChatType.PRIVATE:
        return _text_of(message).strip()
    return mentioned_text(message, context.bot.username, context.bot.id)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message (private chat, or a group message that mentions the bot)."""
    text = _addressed_text(update, context)
    if text:
        await converse(update, context, text)


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message: answer the new wording, saying so."""
    text = _addressed_text(update, context)
    if text:
        await converse(update, context, text, prefix=say("channels.edited_note"))


def telegram_help() -> str:
    """How to use the bot on Telegram, with the officials' commands of the vocabulary."""
    official = "; ".join(f"/{c.name} — {c.description}" for c in commands()
                         if c.audience == "official")
    return say("channels.telegram_help", commands=official)


def bot_commands() -> list[BotCommand]:
    """The menu Telegram shows: every command of ``troly06/commands.yaml`` (no aliases)."""
    return [BotCommand(c.name, c.description[:256]) for c in commands()]


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any command of the vocabulary (``/start``, ``/thongke …``, ``/sosanh …``, aliases):
    the typed text goes to the assistant as it is; Rasa's channel rewrites it
    (:func:`troly06.commands.rewrite`) and the actions check who may use it."""
    message = update.effective_message
    found = command_of(_text_of(message)) if message is not None else None
    if found is None:
        return
    command, args = found
    if command.name == "help" and update.effective_chat is not None:
        await with_retry(partial(context.bot.send_message, update.effective_chat.id,
                                 telegram_help()))
    await converse(update, context, f"/{command.name} {args}".strip())


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline-keyboard press: send the button's payload to the assistant."""
    query = update.callback_query
    if query is None:
        return
    _, payloads, _ = _services(context)
    payload = payloads.decode(query.data or "")
    try:
        await with_retry(lambda: query.answer())
    except Exception:  # noqa: BLE001 - an expired query must not stop the answer
        log.info("callback answer failed", exc_info=True)
    if payload is None:
        chat_obj = update.effective_chat
        if chat_obj is not None:
            await with_retry(partial(context.bot.send_message, chat_obj.id,
                                     say("channels.expired_button")))
        return
    await converse(update, context, payload)


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice…: a polite reply (in groups only when the bot is addressed)."""
    chat_obj = update.effective_chat
    message = update.effective_message
    if chat_obj is None or message is None:
        return
    if chat_obj.type != ChatType.PRIVATE and mentioned_text(
            message, context.bot.username, context.bot.id) is None:
        return
    await with_retry(lambda: context.bot.send_message(chat_obj.id, say("channels.unsupported")))


def ingest_file(path: Path, filename: str, settings: Settings, official: Any) -> str:
    """Ingest an official's downloaded report (:func:`ingest_upload`); the parser's summary."""
    from stats import StatsError

    try:
        result = ingest_upload(path.read_bytes(), filename, settings, official)
    except StatsError as exc:
        return say("channels.ingest_failed", reason=exc.message_vi)
    return summarize_ingest(result)


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A document: officials' reports are ingested; anyone else is politely refused."""
    message = update.effective_message
    user = update.effective_user
    chat_obj = update.effective_chat
    if message is None or user is None or chat_obj is None or message.document is None:
        return
    if chat_obj.type != ChatType.PRIVATE and mentioned_text(
            message, context.bot.username, context.bot.id) is None:
        return
    _, _, settings = _services(context)
    from stats.access import find_official

    official = await asyncio.to_thread(find_official, "telegram", str(user.id),
                                       path=settings.officials_file)
    if official is None:
        log.info("report upload refused for non-official %s", mask_pii(str(user.id)))
        await with_retry(partial(context.bot.send_message, chat_obj.id,
                                 say("channels.not_official")))
        return
    doc = message.document
    name = doc.file_name or "bao_cao.txt"
    suffix = Path(name).suffix.lower()
    mb = settings.max_upload_bytes // (1024 * 1024)
    if suffix not in REPORT_SUFFIXES or (doc.file_size or 0) > settings.max_upload_bytes:
        await with_retry(partial(context.bot.send_message, chat_obj.id,
                                 say("channels.bad_file", mb=mb)))
        return
    await context.bot.send_chat_action(chat_obj.id, ChatAction.UPLOAD_DOCUMENT)
    with tempfile.TemporaryDirectory(prefix="troly06-tg-") as tmp:
        path = Path(tmp) / f"report{suffix}"
        tg_file = await with_retry(lambda: context.bot.get_file(doc.file_id))
        await with_retry(lambda: tg_file.download_to_drive(path))
        try:
            summary = await asyncio.to_thread(ingest_file, path, name, settings, official)
            log.info("report upload handled for official %s", official.id)
        except Exception as exc:  # noqa: BLE001 - unexpected errors become a clear reply
            log.warning("report ingestion failed: %r", exc, exc_info=True)
            summary = say("channels.ingest_failed", reason=str(exc) or type(exc).__name__)
    for chunk in split_message(summary):
        await with_retry(partial(context.bot.send_message, chat_obj.id, chunk))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every handler error (masked), count it (``bot_data["handler_errors"]``, read by
    tests and health checks) and keep the bot running."""
    data = context.application.bot_data
    data["handler_errors"] = data.get("handler_errors", 0) + 1
    log.error("Telegram handler error: %s", mask_pii(repr(context.error)),
              exc_info=context.error)


async def register_commands(application: Application) -> None:
    """``set_my_commands`` with the command vocabulary (also the polling post-init hook)."""
    try:
        await with_retry(lambda: application.bot.set_my_commands(bot_commands()))
    except Exception:  # noqa: BLE001 - commands are a convenience, not a reason to stop
        log.exception("set_my_commands failed")


def build_application(settings: Settings, chat: ChatService, *, webhook: bool = False
                      ) -> Application:
    """Build the PTB application (``webhook=True``: no updater, fed from FastAPI)."""
    token = settings.telegram_token.get_secret_value()
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    base = settings.telegram_base_url
    file_base = base[:-3] + "file/bot" if base.endswith("/bot") else base.replace(
        "/bot", "/file/bot", 1)
    builder: ApplicationBuilder = (
        Application.builder().token(token).base_url(base).base_file_url(file_base)
        .post_init(register_commands).concurrent_updates(8)
        .connect_timeout(5).read_timeout(30).write_timeout(30).get_updates_read_timeout(40)
    )
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data.update({"chat": chat, "payloads": PayloadStore(),
                                 "settings": settings})
    unsupported = (filters.Sticker.ALL | filters.PHOTO | filters.VIDEO | filters.VOICE
                   | filters.AUDIO | filters.ANIMATION | filters.VIDEO_NOTE | filters.LOCATION
                   | filters.CONTACT)
    words = [n for c in commands() for n in (c.name, *c.aliases)]
    application.add_handler(CommandHandler(words, on_command))
    application.add_handler(CallbackQueryHandler(on_callback))
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    application.add_handler(MessageHandler(unsupported, on_unsupported))
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(
        filters.UpdateType.EDITED_MESSAGE & filters.TEXT & ~filters.COMMAND, on_edited))
    application.add_error_handler(on_error)
    return application
