"""Conservation actions: a log kind (greenscore/logkinds.py) with species, a place and photos,
and the public map layer of verified action sites."""
