from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Idésluss"), {"fields": ("unit", "preferred_language")}),
    )
    list_display = ["username", "full_name", "email", "unit", "is_active"]
    list_select_related = ["unit"]
    list_filter = ["groups", "is_active", "unit"]
    autocomplete_fields = ["unit"]
