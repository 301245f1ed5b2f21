"""A log kind declared the way an app declares one, installed only under the test settings
(backend/settings_test.py): tests/villages/test_log_kind_for_free.py shows that the API,
the coordinator pages and the review queue come with the declaration."""
