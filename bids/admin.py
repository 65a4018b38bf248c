from decimal import Decimal

from django import forms
from django.contrib import admin

from .models import Criterion, FundingRound
from .rounds import DEFAULT_CRITERIA


class CriterionInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        weights = [
            form.cleaned_data.get("weight") or Decimal("0")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if weights and sum(weights) != Decimal("100"):
            raise forms.ValidationError(
                f"The criteria's weights must add up to 100%. They add up to {sum(weights):g}%."
            )


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionInlineFormSet
    extra = 0
    fields = ["position", "name", "weight", "guidance"]


@admin.register(FundingRound)
class FundingRoundAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "opens_at",
        "closes_at",
        "base_award",
        "max_supplement",
        "total_budget",
        "pilot_places",
    ]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CriterionInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "code", "description"]}),
        (
            "Dates (UK time)",
            {
                "fields": [
                    "opens_at",
                    "closes_at",
                    "interviews_start_on",
                    "interviews_end_on",
                    "decision_on",
                    "operational_on",
                ]
            },
        ),
        ("Money", {"fields": ["base_award", "max_supplement", "total_budget", "pilot_places"]}),
    ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is None and request.method == "GET":
            kwargs["initial"] = [
                {"position": n, "name": name, "weight": weight, "guidance": guidance}
                for n, (name, weight, guidance) in enumerate(DEFAULT_CRITERIA, start=1)
            ]
        return kwargs

    def get_extra(self, request, obj=None, **kwargs):
        return 0
