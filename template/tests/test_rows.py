"""A row read with the constants its response shows besides its columns."""

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from src.core.rows import with_values


class Row:
    def __init__(self) -> None:
        self.id = "g1"
        self.name = "Engineering"


class Group(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    object: Literal["group"]
    id: str
    name: str


def test_the_constant_is_read_beside_the_columns() -> None:
    shown = Group.model_validate(with_values(Row(), object="group"))
    assert shown.model_dump() == {"object": "group", "id": "g1", "name": "Engineering"}


def test_without_it_the_row_is_no_group() -> None:
    with pytest.raises(ValidationError):
        Group.model_validate(Row())


def test_a_missing_attribute_is_still_missing() -> None:
    assert not hasattr(with_values(Row(), object="group"), "description")
