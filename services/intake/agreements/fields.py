"""The fields a bank may map its columns to, with the headers recognised without a mapping."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.intake.api.common import BACK_OFFICE_OR_OWN_BANK
from services.intake.importing.parsing.mapping import (
    DEFAULT_ALIASES,
    MAPPING_TARGETS,
    REQUIRED_FIELDS,
    slot_field,
)

router = APIRouter(tags=["agreements"])


class MappingField(BaseModel):
    field: str = Field(description="What an agreement's `column_mapping` may name")
    feeds: str = Field(description="The case field it fills (every phone column: `phones`)")
    required: bool = Field(description="A file must carry it, by mapping or default header")
    default_headers: list[str] = Field(description="Headers read as this field unmapped")


class MappingFields(BaseModel):
    fields: list[MappingField]
    ignore: str = Field(default="", description='Map a header to "" to ignore its column')


def mapping_fields() -> MappingFields:
    return MappingFields(
        fields=[
            MappingField(
                field=name,
                feeds=slot_field(name),
                required=name in REQUIRED_FIELDS,
                default_headers=list(DEFAULT_ALIASES.get(name, ())),
            )
            for name in sorted(MAPPING_TARGETS)
        ]
    )


@router.get(
    "/mapping-fields",
    response_model=MappingFields,
    summary="The fields a case file's columns can be mapped to",
    description=(
        "Each field an agreement's `column_mapping` (the bank's header -> field) may name, "
        "whether a file must carry it, and the headers recognised without a mapping."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
)
def list_mapping_fields() -> MappingFields:
    return mapping_fields()
