"""The one exception family of Vigía.

Every error the project raises on purpose derives from :class:`VigiaError`, and
its message says what went wrong and what to do about it. The command line
turns these into a clean message and a non-zero exit code.
"""


class VigiaError(Exception):
    """Base class of every error Vigía raises on purpose."""


class ConfigurationError(VigiaError):
    """A setting is missing or inconsistent; the message names the variable."""


class RejectedInput(VigiaError, ValueError):
    """An input cannot be used; the message is the reason stored with it."""


class InputFileError(VigiaError):
    """A file given on the command line cannot be read or recognised."""


class DatabaseUnavailable(VigiaError):
    """The database cannot be reached or migrated."""


class BackupError(VigiaError):
    """A backup or restore cannot be made; the message says why and what to do."""


class LandingError(VigiaError):
    """A body cannot be given a landing key; nothing of its chunk is stored."""
