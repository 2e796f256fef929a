"""The roles people sign in with (WEB.md "Who sees what"). A role says what kind of work a
person does; what they may see of a child is decided by their relationship to that child
(`access.py`), not by the role alone."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social-worker", "Social worker"
    TEAM_MANAGER = "team-manager", "Team manager"
    IRO = "iro", "Independent reviewing officer"
    PERSONAL_ADVISER = "personal-adviser", "Personal adviser"
    VIRTUAL_SCHOOL_HEAD = "virtual-school-head", "Virtual School Head"
    DESIGNATED_TEACHER = "designated-teacher", "Designated teacher"
    DIRECTOR = "director", "Director of Children's Services"
    LEAD_MEMBER = "lead-member", "Lead Member for children's services"
    PERFORMANCE_OFFICER = "performance-officer", "Performance officer"
    YOUNG_PERSON = "young-person", "Young person"
    ADMINISTRATOR = "administrator", "Administrator"
