"""Which model holds which table of the care record (`carematters.records.schema`)."""

from __future__ import annotations

from carematters.records.schema import RECORD_TABLES
from carematters.ssda903.tables import Table
from carematters.web.casework import models
from carematters.web.casework.models import RecordRow

MODELS: dict[str, type[RecordRow]] = {
    "header": models.Header,
    "episodes": models.Episode,
    "reviews": models.Review,
    "uasc": models.Uasc,
    "oc2": models.Oc2,
    "oc3": models.Oc3,
    "ad1": models.Ad1,
    "placed_for_adoption": models.PlacedForAdoption,
    "previous_permanence": models.PreviousPermanence,
    "missing": models.MissingEpisode,
    "sw_episodes": models.SocialWorkerEpisode,
    "dolo": models.Dolo,
    "visits": models.Visit,
    "health_assessments": models.HealthAssessment,
    "peps": models.Pep,
    "care_plans": models.CarePlan,
    "pathway_plans": models.PathwayPlan,
    "pa_contacts": models.PaContact,
    "iro": models.IroAssignment,
    "return_interviews": models.ReturnInterview,
    "people": models.Person,
}
"""The model of each record table, by the table's name, in the schema's order."""


def model_for(name: str) -> type[RecordRow]:
    """The model holding the record table `name`; KeyError if there is none."""
    return MODELS[name]


def field_name(column: str) -> str:
    """The model field for a schema column: DfE's name in lower case (MIS_START: mis_start)."""
    return column.lower()


def tables_with_models() -> list[tuple[Table, type[RecordRow]]]:
    """Every record table with its model, in the schema's order."""
    return [(table, MODELS[table.name]) for table in RECORD_TABLES]
