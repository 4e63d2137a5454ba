"""The project's one exception family. Raised inside, caught only at the CLI and web edges."""


class RectigraphError(Exception):
    """Base class: its message is one line a user can act on."""

    http_status = 500


class InputError(RectigraphError):
    """A file that cannot be read or is not a report; the message names the file and the reason."""

    http_status = 400


class StoreError(RectigraphError):
    """The store cannot be opened, written or read."""

    http_status = 503


class QueryError(RectigraphError):
    """A query that is malformed, refused, or ran over its limits."""

    http_status = 400


class NotFound(RectigraphError):
    """A resource the user asked for does not exist."""

    http_status = 404
