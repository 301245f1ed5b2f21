"""Open data downloads (/data/): the API's own GeoJSON builders as CSV and GeoPackage."""
