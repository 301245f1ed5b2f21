"""The impact scorecard: indicator catalogue, aggregation of verified logs, the versioned
method, publication, pages, API and exports."""
