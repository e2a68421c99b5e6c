"""The handoff queue in the app database, shared by every API replica.

A conversation is ``queued`` (waiting for an operator of its unit), ``assigned`` (an
operator handles it: the bot is silent) or ``closed`` (the bot answers again). State
changes are conditional UPDATEs, so two operators on two replicas cannot both take one
conversation. Every change bumps ``revision``; :meth:`HandoffStore.version` lets live
views (SSE) notice changes made by any replica. Texts arrive masked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handoff.db import aware, engine, now, rowcount
from handoff.models import Conversation, Message

ACTIVE = ("queued", "assigned")
MAX_TEXT = 4000


class HandoffError(Exception):
    """A queue operation refused: ``code`` says why (``not_found``, ``taken``…)."""

    def __init__(self, code: str, status: int = 409) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


def label_of(sender: str) -> str:
    """What the console shows instead of a user id: the channel and a short hash."""
    channel, _, _ = sender.partition(":")
    return f"{channel}-{hashlib.sha256(sender.encode()).hexdigest()[:6]}"


@dataclass(frozen=True)
class ConversationView:
    """A conversation as the console and the gateway see it (no raw user id)."""

    id: int
    label: str
    channel: str
    unit: str
    topic: str
    status: str
    after_hours: bool
    operator: str | None
    created_at: datetime
    taken_at: datetime | None
    closed_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for key in ("created_at", "taken_at", "closed_at"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass(frozen=True)
class MessageView:
    id: int
    conversation_id: int
    at: datetime
    author: str
    operator: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "at": self.at.isoformat()}


def _view(c: Conversation) -> ConversationView:
    return ConversationView(c.id, label_of(c.sender), c.channel, c.unit, c.topic, c.status,
                            bool(c.after_hours), c.operator, aware(c.created_at),  # type: ignore[arg-type]
                            aware(c.taken_at), aware(c.closed_at))


def _mview(m: Message) -> MessageView:
    return MessageView(m.id, m.conversation_id, aware(m.at), m.author, m.operator,  # type: ignore[arg-type]
                       m.text)


class HandoffStore:
    """Queue operations on the database at ``url``."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _session(self) -> Session:
        # the schema is checked on first use, not at start: a database that is down at
        # start does not keep the API from serving (the gateway then lets the bot answer)
        return Session(engine(self.url), expire_on_commit=False)

    # ---- the citizen's side --------------------------------------------------------------
    def active(self, sender: str) -> ConversationView | None:
        """The sender's open (queued or assigned) conversation, if any."""
        with self._session() as s:
            row = s.scalars(select(Conversation).where(
                Conversation.sender == sender, Conversation.status.in_(ACTIVE))
                .order_by(Conversation.id.desc()).limit(1)).first()
            return _view(row) if row else None

    def open(self, sender: str, channel: str, unit: str, topic: str = "", *,
             after_hours: bool = False) -> tuple[ConversationView, bool]:
        """Queue a conversation for ``unit`` (or return the open one); (view, created)."""
        current = self.active(sender)
        if current is not None:
            return current, False
        with self._session() as s:
            row = Conversation(sender=sender, channel=channel, unit=unit, topic=topic[:40],
                               status="queued", after_hours=after_hours, created_at=now(),
                               revision=1)
            s.add(row)
            try:
                s.commit()
            except IntegrityError:  # another replica opened it a moment ago
                s.rollback()
                current = self.active(sender)
                if current is None:
                    raise
                return current, False
            return _view(row), True

    def add_message(self, conversation_id: int, author: str, text: str, *,
                    operator: str | None = None, delivered: bool = False) -> int:
        """Store one message (``author``: citizen, operator, system); its id."""
        with self._session() as s:
            row = Message(conversation_id=conversation_id, at=now(), author=author,
                          operator=operator, text=text[:MAX_TEXT],
                          delivered_at=now() if delivered else None)
            s.add(row)
            s.execute(update(Conversation).where(Conversation.id == conversation_id)
                      .values(revision=Conversation.revision + 1))
            s.commit()
            return int(row.id)

    def position(self, conversation_id: int) -> int:
        """1 + the conversations of the same unit queued before this one (0 if not queued)."""
        with self._session() as s:
            row = s.get(Conversation, conversation_id)
            if row is None or row.status != "queued":
                return 0
            ahead = s.scalar(select(func.count()).select_from(Conversation).where(
                Conversation.unit == row.unit, Conversation.status == "queued",
                Conversation.id < row.id))
            return int(ahead or 0) + 1

    def inbox(self, sender: str, after: int = 0) -> tuple[list[MessageView], str | None]:
        """Operator and system messages for ``sender`` newer than ``after`` (marked
        delivered), and the status of the sender's latest conversation."""
        with self._session() as s:
            latest = s.scalars(select(Conversation).where(Conversation.sender == sender)
                               .order_by(Conversation.id.desc()).limit(1)).first()
            rows = list(s.scalars(select(Message).join(
                Conversation, Conversation.id == Message.conversation_id).where(
                Conversation.sender == sender, Message.id > after,
                Message.author != "citizen").order_by(Message.id)))
            pending = [m.id for m in rows if m.delivered_at is None]
            if pending:
                s.execute(update(Message).where(Message.id.in_(pending))
                          .values(delivered_at=now()))
                s.commit()
            return [_mview(m) for m in rows], (latest.status if latest else None)

    # ---- the operators' side -------------------------------------------------------------
    def get(self, conversation_id: int) -> ConversationView:
        with self._session() as s:
            row = s.get(Conversation, conversation_id)
            if row is None:
                raise HandoffError("not_found", 404)
            return _view(row)

    def sender_of(self, conversation_id: int) -> str:
        """The channel address (for delivery only; never shown in the console)."""
        with self._session() as s:
            row = s.get(Conversation, conversation_id)
            if row is None:
                raise HandoffError("not_found", 404)
            return row.sender

    def queue(self, units: list[str] | None = None, statuses: tuple[str, ...] = ACTIVE,
              limit: int = 200) -> list[ConversationView]:
        """Conversations in ``statuses`` (of ``units`` when given), oldest first."""
        with self._session() as s:
            query = select(Conversation).where(Conversation.status.in_(statuses))
            if units is not None:
                query = query.where(Conversation.unit.in_(units))
            return [_view(c) for c in s.scalars(query.order_by(Conversation.id).limit(limit))]

    def messages(self, conversation_id: int, after: int = 0) -> list[MessageView]:
        with self._session() as s:
            return [_mview(m) for m in s.scalars(select(Message).where(
                Message.conversation_id == conversation_id, Message.id > after)
                .order_by(Message.id))]

    def _transition(self, conversation_id: int, where: Any, **values: Any) -> ConversationView:
        with self._session() as s:
            done = rowcount(s.execute(update(Conversation).where(
                Conversation.id == conversation_id, where)
                .values(revision=Conversation.revision + 1, **values)))
            s.commit()
            if not done:
                row = s.get(Conversation, conversation_id)
                if row is None:
                    raise HandoffError("not_found", 404)
                raise HandoffError("closed" if row.status == "closed" else "taken")
            row = s.get(Conversation, conversation_id)
            assert row is not None
            s.refresh(row)
            return _view(row)

    def take(self, conversation_id: int, operator: str) -> ConversationView:
        """Assign a queued conversation to ``operator`` (refused if someone took it)."""
        return self._transition(conversation_id, Conversation.status == "queued",
                                status="assigned", operator=operator, taken_at=now())

    def check_handler(self, conversation_id: int, operator: str, *, admin: bool = False
                      ) -> ConversationView:
        """The conversation, if ``operator`` handles it (an admin may act on any open one)."""
        view = self.get(conversation_id)
        if view.status == "closed":
            raise HandoffError("closed")
        if not admin and (view.status != "assigned" or view.operator != operator):
            raise HandoffError("not_yours", 403)
        return view

    def close(self, conversation_id: int, operator: str, *, admin: bool = False
              ) -> ConversationView:
        """Close: the bot answers the citizen again."""
        self.check_handler(conversation_id, operator, admin=admin)
        return self._transition(conversation_id, Conversation.status.in_(ACTIVE),
                                status="closed", closed_at=now())

    def transfer(self, conversation_id: int, unit: str, operator: str, *,
                 admin: bool = False) -> ConversationView:
        """Put the conversation back in the queue of another ``unit``."""
        view = self.get(conversation_id)
        if view.status == "closed":
            raise HandoffError("closed")
        if view.status == "assigned" and view.operator != operator and not admin:
            raise HandoffError("not_yours", 403)
        return self._transition(conversation_id, Conversation.status.in_(ACTIVE),
                                status="queued", unit=unit, operator=None, taken_at=None)

    def undelivered(self, conversation_id: int) -> list[MessageView]:
        """Operator and system messages not yet delivered to the citizen."""
        with self._session() as s:
            return [_mview(m) for m in s.scalars(select(Message).where(
                Message.conversation_id == conversation_id, Message.author != "citizen",
                Message.delivered_at.is_(None)).order_by(Message.id))]

    def claim(self, message_id: int) -> bool:
        """Mark one message delivered before sending it; False when another replica did
        (at most one replica sends it; :meth:`unclaim` after a failed send)."""
        with self._session() as s:
            done = rowcount(s.execute(update(Message).where(
                Message.id == message_id, Message.delivered_at.is_(None))
                .values(delivered_at=now())))
            s.commit()
            return bool(done)

    def unclaim(self, message_id: int) -> None:
        with self._session() as s:
            s.execute(update(Message).where(Message.id == message_id).values(delivered_at=None))
            s.commit()

    def undelivered_conversations(self, channels: tuple[str, ...]) -> list[int]:
        """Conversations of ``channels`` with operator or system messages not yet sent."""
        with self._session() as s:
            return list(s.scalars(select(Message.conversation_id).join(
                Conversation, Conversation.id == Message.conversation_id).where(
                Conversation.channel.in_(channels), Message.author != "citizen",
                Message.delivered_at.is_(None)).distinct()))

    def mark_delivered(self, message_ids: list[int]) -> None:
        if not message_ids:
            return
        with self._session() as s:
            s.execute(update(Message).where(Message.id.in_(message_ids))
                      .values(delivered_at=now()))
            s.commit()

    def version(self) -> str:
        """Changes anywhere in the queue change this string (for live updates)."""
        with self._session() as s:
            total = s.scalar(select(func.coalesce(func.sum(Conversation.revision), 0)))
            count = s.scalar(select(func.count()).select_from(Conversation))
            return f"{count}-{total}"
