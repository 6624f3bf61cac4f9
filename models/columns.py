"""Column types shared by the tables."""

from sqlalchemy import JSON, Column


def json_column() -> Column:  # type: ignore[type-arg]
    """A nullable JSON column where Python None is SQL NULL, not JSON 'null'."""
    return Column(JSON(none_as_null=True), nullable=True)
