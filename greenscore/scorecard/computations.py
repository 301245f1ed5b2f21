"""The names of the scorecard's computations (Indicator.computation) and the family of
logs each is aggregated from (greenscore/scorecard/aggregations.py computes them)."""

# computation name -> family; Indicator.computation must be one of these names.
COMPUTATIONS: dict[str, str] = {
    "seedlings_planted": "actions",
    "instrument_species_planted": "actions",
    "area_restored_m2": "actions",
    "waste_collected_kg": "actions",
    "volunteer_hours": "actions",
    "actions_verified": "actions",
    "women_participation_pct": "actions",
    "resident_participation_pct": "actions",
    "carbon_stock_tco2e": "plots",
    "guest_nights": "stays",
    "avg_length_of_stay": "stays",
    "bed_occupancy_pct": "stays",
    "tourism_revenue_idr": "stays+events",
    "local_performers_paid": "events",
    "events_held": "events",
    "event_audience": "events",
    "youth_participants": "actions+events",
}
