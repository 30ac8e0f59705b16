from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Team, User


@admin.register(User)
class RapportUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Rapport", {"fields": ("role", "team")}))
    list_display = ("username", "email", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active")
    list_select_related = ("team",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
