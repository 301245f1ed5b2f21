"""The admin base every log kind's admin extends (for administrators: coordinators and
reviewers work in /coordinator/ and /review/)."""

import uuid

from django.contrib import admin


class LogAdmin(admin.ModelAdmin):
    list_filter = ("status", "village")
    date_hierarchy = "date"
    readonly_fields = ("reviewed_by", "reviewed_at", "created_at", "updated_at")
    autocomplete_fields = ("village",)

    def get_changeform_initial_data(self, request):
        # A log typed in the admin gets its retry key here, as a phone would generate one.
        return {
            "client_uuid": uuid.uuid4(),
            "author": request.user.pk,
            **super().get_changeform_initial_data(request),
        }
