"""Moved to `villages.geometry_input`, shared with tourism's listings (tourism does not import
greenscore); these names stay importable from here for greenscore's modules."""

from villages.geometry_input import (  # noqa: F401
    ALLOWED_CRS_NAMES,
    ALLOWED_TYPES,
    BOUNDARY_TOLERANCE_M,
    CENTRE_TOLERANCE_M,
    MAX_VERTICES,
    check_near_village,
    distance_to_village_m,
    parse_geometry,
)
