"""Admin forms whose choices follow the scope rule.

Wagtail passes the signed-in user to these forms (`for_user`), inline child
forms included, so a facilitator picking trainees for a cohort sees only the
people she may manage.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import WagtailAdminModelFormMetaclass

from .choices import Role


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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .scope import people_visible_to, programmes_visible_to

        for formset in self.formsets.values():
            # Wagtail's InlinePanel does not hand the user on to child forms.
            formset.form_kwargs = {**formset.form_kwargs, "for_user": self.for_user}
        if self.for_user is not None:
            self.fields["programme"].queryset = programmes_visible_to(self.for_user)
            self.fields["villages"].queryset = self._villages_to_offer()
            self.fields["facilitators"].queryset = people_visible_to(
                self.for_user
            ).filter(groups__name=Role.FASILITATOR.value)

    def _villages_to_offer(self):
        """The villages of the programmes' working areas, not all of NTT.

        Offering every desa made the form 700 KB; a cohort's villages lie in
        its programme's kabupaten. Villages already chosen stay on offer.
        """
        from .models import Programme, Region
        from .scope import programmes_visible_to

        if self.instance.pk:
            programmes = Programme.objects.filter(pk=self.instance.programme_id)
        else:
            programmes = programmes_visible_to(self.for_user)
        codes = set(
            Region.objects.filter(
                pk__in=Programme.kabupaten.through.objects.filter(
                    programme__in=programmes
                ).values("region")
            ).values_list("code", flat=True)
        )
        villages = self.fields["villages"].queryset
        within = Q(pk__in=[])
        for code in codes:
            within |= Q(code__startswith=code + ".")
        if self.instance.pk:
            within |= Q(pk__in=self.instance.villages.values("pk"))
        return villages.filter(within) if codes else villages

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
                    "Program ini dijalankan konsorsium: tambahkan diri Anda sebagai "
                    "fasilitator angkatan ini, atau minta koordinator program "
                    "untuk mengubahnya."
                ),
            )
        return cleaned
