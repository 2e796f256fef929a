"""One schema: every table of the care record has a model with exactly its columns, DfE's
names and the same kinds, and nothing else but the bookkeeping every row keeps."""

import pytest
from django.db import models

from carematters.records.schema import RECORD_TABLES
from carematters.ssda903.tables import Kind
from carematters.web.casework.models import RecordRow
from carematters.web.casework.tables import MODELS, field_name

FIELD_FOR_KIND = {
    Kind.TEXT: models.CharField,
    Kind.CODE: models.CharField,
    Kind.PARTIAL_DATE: models.CharField,
    Kind.DATE: models.DateField,
    Kind.INTEGER: models.BigIntegerField,
}
BOOKKEEPING = {
    "id",
    "created_at",
    "created_by",
    "modified_at",
    "modified_by",
    "version",
    "withdrawn_at",
    "withdrawn_by",
    "withdrawn_reason",
    "replaces",
}


def _record_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in BOOKKEEPING]


def test_every_table_has_a_model_and_every_model_a_table():
    assert list(MODELS) == [t.name for t in RECORD_TABLES]
    assert len(MODELS) == 21
    assert {m for m in MODELS.values() if issubclass(m, RecordRow)} == set(MODELS.values())
    assert len({m._meta.db_table for m in MODELS.values()}) == 21


@pytest.mark.parametrize("table", RECORD_TABLES, ids=lambda t: t.name)
def test_the_model_has_the_table_s_columns_in_order_with_their_kinds(table):
    fields = _record_fields(MODELS[table.name])
    assert [f.column for f in fields] == [c.name for c in table.columns]
    assert [f.name for f in fields] == [field_name(c.name) for c in table.columns]
    for column, field in zip(table.columns, fields, strict=True):
        assert type(field) is FIELD_FOR_KIND[column.kind], (table.name, column.name)
        assert field.null, (table.name, column.name)


@pytest.mark.parametrize("table", RECORD_TABLES, ids=lambda t: t.name)
def test_codes_are_kept_as_given_never_limited_to_choices(table):
    """A code retired this year must stay on last year's rows: no column has choices,
    and no text has a length a value read from a return could exceed."""
    for field in _record_fields(MODELS[table.name]):
        assert not field.choices, field.column
        assert getattr(field, "max_length", None) is None, field.column


def test_every_table_is_indexed_by_child():
    for model in MODELS.values():
        indexed = [tuple(index.fields) for index in model._meta.indexes]
        assert ("child",) in indexed, model.__name__


def test_every_model_keeps_who_made_it_its_version_and_its_withdrawal():
    for model in MODELS.values():
        names = {f.name for f in model._meta.concrete_fields}
        assert names - {f.name for f in _record_fields(model)} == BOOKKEEPING, model.__name__
        replaces = model._meta.get_field("replaces")
        assert replaces.related_model is model
