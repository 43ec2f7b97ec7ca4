"""File parts of multipart requests as the OpenAPI document states them: never empty, and
the media types a part is read as."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, UploadFile


def upload(description: str | None = None) -> Any:
    """A file part that must not be empty: the document says ``minLength: 1``, as the
    upload checks (an empty file is the caller's mistake, answered 422)."""
    return Annotated[UploadFile, File(description=description, json_schema_extra={"minLength": 1})]


NonEmptyUpload = upload()


def file_types(part: str, *media_types: str) -> dict[str, Any]:
    """``openapi_extra`` naming the media types a multipart part is read as (OpenAPI's
    ``encoding``), for uploads checked by their content."""
    encoding = {part: {"contentType": ", ".join(media_types)}}
    return {"requestBody": {"content": {"multipart/form-data": {"encoding": encoding}}}}
