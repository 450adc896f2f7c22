from django.contrib import admin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("finished_at", "command", "started_at")
    readonly_fields = ("command", "started_at", "finished_at", "counts", "summary", "report")

    def has_add_permission(self, request):
        return False
