"""The coordinators' offline app: service worker, outbox page, reference data."""
