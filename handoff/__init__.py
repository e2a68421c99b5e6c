"""Human handoff (issue 15): the queue of conversations handed to a person, working hours,
units and triggers, chat turns and shared switches. Plain Python over the app database;
never imports a framework, a gateway or Rasa.

``HandoffStore`` (queue, take, reply, close, transfer), ``parse_schedule`` (working hours),
``load_config`` (units, triggers), ``record_turn`` / ``recent_statuses`` (turns),
``get_flag`` / ``set_flag`` (kill switch).
"""

from handoff.flags import HOTLINE_ONLY, get_flag, set_flag
from handoff.hours import Schedule, parse_schedule
from handoff.store import ConversationView, HandoffError, HandoffStore, MessageView, label_of
from handoff.turns import recent_statuses, record_turn
from handoff.units import HandoffConfig, load_config

__all__ = ["HOTLINE_ONLY", "ConversationView", "HandoffConfig", "HandoffError", "HandoffStore",
           "MessageView", "Schedule", "get_flag", "label_of", "load_config", "parse_schedule",
           "recent_statuses", "record_turn", "set_flag"]
