# The coordinators' log fixtures (villages A and B, one user per role, API clients).
from tests.greenscore.conftest import api, payload, people, species, village_a, village_b  # noqa: F401
