"""Admin forms whose choices follow the scope rule.

Wagtail passes the signed-in user to these forms (`for_user`), inline child
forms included, so a facilitator picking trainees for a cohort sees only the
people she may manage.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import WagtailAdminModelFormMetaclass

from .choices import RegionLevel, Role
from .region_field import RegionMultipleField


class EnrolmentForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .scope import accounts_manageable_by

        if self.for_user is not None and not self.for_user.is_superuser:
            self.fields["trainee"].queryset = accounts_manageable_by(self.for_user)


class CohortFormMetaclass(WagtailAdminModelFormMetaclass):
    # modelcluster asks the metaclass which form class the inline rows use.
    @classmethod
    def child_form(cls):
        return EnrolmentForm


class CohortForm(WagtailAdminModelForm, metaclass=CohortFormMetaclass):
    # Found by name as one types: the page no longer carries every desa of NTT.
    villages = RegionMultipleField(
        levels=[RegionLevel.DESA], required=False, label=_("Desa/kelurahan")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .scope import people_visible_to, programmes_visible_to

        for formset in self.formsets.values():
            # Wagtail's InlinePanel does not hand the user on to child forms.
            formset.form_kwargs = {**formset.form_kwargs, "for_user": self.for_user}
        # Enrolments and facilitators changed go to the audit trail.
        from .account_audit import cohort_people

        self._audit_before = cohort_people(self.instance)
        if self.for_user is not None:
            self.fields["programme"].queryset = programmes_visible_to(self.for_user)
            self.fields["facilitators"].queryset = people_visible_to(
                self.for_user
            ).filter(groups__name=Role.FASILITATOR.value)

    def save(self, commit=True):
        cohort = super().save(commit=commit)
        if commit and self.for_user is not None:
            from .account_audit import record_cohort_changes

            record_cohort_changes(
                actor=self.for_user, cohort=cohort, before=self._audit_before
            )
        return cohort

    def clean(self):
        cleaned = super().clean()
        from .scope import may_manage_cohort

        programme = cleaned.get("programme")
        facilitators = cleaned.get("facilitators")
        if (
            self.for_user is not None
            and programme is not None
            and facilitators is not None
            and not may_manage_cohort(
                self.for_user, programme=programme, facilitators=facilitators
            )
        ):
            # Saving would leave the cohort outside what this person manages.
            self.add_error(
                "facilitators",
                _(
                    "Program ini dijalankan konsorsium: tambahkan diri kamu sebagai "
                    "fasilitator angkatan ini, atau minta koordinator program "
                    "untuk mengubahnya."
                ),
            )
        return cleaned
