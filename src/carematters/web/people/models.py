"""People who sign in. A user has one role; teams and allocations tie them to children."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from carematters.web.people.roles import Role


class User(AbstractUser):
    """A member of staff or a young person who signs in. `staff_id` is the id the care
    record uses for them (SSDA903's SW_ID, the IRO_ID and PA_ID of the extension tables);
    a young person's `child` is their own CHILD id."""

    role = models.CharField(max_length=32, choices=Role.choices)
    staff_id = models.CharField(max_length=12, blank=True, db_index=True)
    child = models.CharField(max_length=10, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.get_full_name() or self.username
