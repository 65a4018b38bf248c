"""The users list's search and filters, read from the query string (django-filter)."""

import django_filters
from crispy_forms_gds.layout import Div, Field
from django import forms

from core.forms.base import helper

from .models import Role, Status
from .queries import STATUS_FILTERS, search


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search by name, email address or local authority",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    role = django_filters.ChoiceFilter(
        label="Role",
        choices=Role.choices,
        empty_label="Any role",
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=Status.choices,
        empty_label="Any status",
        method="filter_status",
        error_messages={"invalid_choice": "Select a status from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].error_messages["max_length"] = "Search for 200 characters or fewer"
        self.form.helper = helper(
            Div(Field.text("q"), Field.select("role"), Field.select("status"), css_class="app-filter-fields")
        )

    def search(self, queryset, name, value):
        return search(queryset, value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(STATUS_FILTERS[value])

    @property
    def active(self):
        """Whether anything narrows the list (for "matching your filters" and "Clear")."""
        return self.is_bound and any(self.data.get(name, "").strip() for name in ("q", "role", "status"))
