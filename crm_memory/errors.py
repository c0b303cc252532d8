"""Errors raised by CRM memory; drivers' errors are converted where they enter our code."""


class CrmError(Exception):
    """Root of every error raised by ``crm_memory``."""


class StoreUnavailable(CrmError):
    """A database or Redis server cannot be reached or refused the operation.

    Args:
        message: what failed, without customers' data.
        store: which store: ``"database"`` (SQL) or ``"state"`` (conversation state),
            the label of the store-error metric.
    """

    def __init__(self, message: str, *, store: str = "unknown") -> None:
        super().__init__(message)
        self.store = store


class ChatBusy(StoreUnavailable):
    """Another worker held a chat's lock for longer than we were willing to wait."""


class NotFound(CrmError):
    """The customer, case or record asked for does not exist."""


class InvalidIdentity(CrmError):
    """A channel identity string is not of the form ``channel:id``."""


class AlreadyExists(CrmError):
    """A record with that unique name exists already."""


class InvalidInput(CrmError, ValueError):
    """A value someone typed is blank, too long or holds control characters.

    A ValueError too, so pydantic validators can raise it and name the field.

    Args:
        field: which field, as the caller named it (``name``, ``text``, ``note``).
        reason: what is wrong, for the person who typed it.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class LeaseLost(CrmError):
    """This worker no longer holds the chat's lease (it expired, or another worker took it):
    the turn's results are not written and nothing more is sent for the chat."""
