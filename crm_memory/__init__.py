"""CRM memory: customers, their history, cases and ratings, and short-lived conversation state."""

from crm_memory.errors import CrmError, NotFound, StoreUnavailable
from crm_memory.protocols import (
    CaseStore,
    ConversationState,
    CustomerStore,
    FeedbackStore,
    InboxStore,
    MessageStore,
    SurveyStore,
)
from crm_memory.sql import SqlDatabase
from crm_memory.state import MemoryConversationState, RedisConversationState, open_state
from crm_memory.types import (
    Case,
    CaseKind,
    CaseStatus,
    ChannelIdentity,
    ChatOwner,
    Customer,
    CustomerContext,
    Direction,
    Fact,
    Feedback,
    InboxItem,
    Message,
    Priority,
    Sender,
    SurveyResponse,
)

__all__ = [
    "Case",
    "CaseKind",
    "CaseStatus",
    "CaseStore",
    "ChannelIdentity",
    "ChatOwner",
    "ConversationState",
    "CrmError",
    "Customer",
    "CustomerContext",
    "CustomerStore",
    "Direction",
    "Fact",
    "Feedback",
    "FeedbackStore",
    "InboxItem",
    "InboxStore",
    "MemoryConversationState",
    "Message",
    "MessageStore",
    "NotFound",
    "Priority",
    "RedisConversationState",
    "Sender",
    "SqlDatabase",
    "StoreUnavailable",
    "SurveyResponse",
    "SurveyStore",
    "open_state",
]
