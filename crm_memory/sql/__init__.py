"""SQL implementation of CRM memory (SQLite and PostgreSQL through SQLAlchemy 2 async)."""

from crm_memory.sql.database import SqlDatabase
from crm_memory.sql.stores import (
    SqlCaseStore,
    SqlCustomerStore,
    SqlFeedbackStore,
    SqlMessageStore,
    SqlSurveyStore,
)

__all__ = [
    "SqlCaseStore",
    "SqlCustomerStore",
    "SqlDatabase",
    "SqlFeedbackStore",
    "SqlMessageStore",
    "SqlSurveyStore",
]
