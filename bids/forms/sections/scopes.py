"""3. Services in scope: what the trust will cover, and what a trust cannot include, with why."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Size
from django.utils.html import format_html, format_html_join

from reference.models import ServiceScope

from ...models import Section
from ..pages import SectionPage


class ScopesForm(SectionPage):
    section = Section.SCOPES
    slug = "services"
    title = "Services the trust will cover"

    def prepare(self):
        # Choices with hints for the checkboxes; what may be chosen is still the queryset.
        self.fields["service_scopes"].choices = [
            Choice(scope.pk, scope.name, hint=scope.description)
            for scope in ServiceScope.objects.filter(allowed=True).order_by("position", "name")
        ]
        self.excluded = list(ServiceScope.objects.filter(allowed=False).order_by("position", "name"))

    def layout(self):
        excluded = format_html_join(
            "",
            '<p class="govuk-body"><strong>{}</strong>: {}</p>',
            ((scope.name, scope.excluded_reason) for scope in self.excluded),
        )
        return [
            Field.checkboxes("service_scopes", legend_size=Size.MEDIUM),
            HTML(
                format_html(
                    '<div class="govuk-inset-text" id="excluded-scopes">'
                    '<h2 class="govuk-heading-s">Services a trust cannot include</h2>{}</div>',
                    excluded,
                )
            )
            if self.excluded
            else HTML(""),
            Field.textarea("other_scope", max_words=250, rows=4),
        ]

    def clean(self):
        cleaned = super().clean()
        answered = cleaned.get("service_scopes") or cleaned.get("other_scope")
        if self.strict and not answered and not self.errors:
            self.add_error(
                "service_scopes", "Select the services the trust will cover, or describe other services"
            )
        return cleaned

    def changes(self):
        return {"other_scope": self.cleaned_data.get("other_scope") or ""}

    def scopes(self):
        return list(self.cleaned_data.get("service_scopes") or [])
