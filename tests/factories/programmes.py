import datetime

import factory

from learning.models import Cohort, Enrolment, Organisation, Programme, Region


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Lembaga Uji {n}")
    short_name = factory.Sequence(lambda n: f"LU{n}")
    kind = "layanan_komunitas"
    kabupaten = factory.LazyFunction(lambda: region("53.02"))


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("short_name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program Uji {n}")
    short_name = factory.Sequence(lambda n: f"PU{n}")

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create:
            # Parental relations are written when the cluster is saved.
            self.organisations.set(extracted or [OrganisationFactory()])
            self.save()

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.set(extracted)
            self.save()


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    start_date = factory.LazyFunction(lambda: datetime.date(2022, 2, 1))

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.set(extracted)
            self.save()

    @factory.post_generation
    def trainees(self, create, extracted, **kwargs):
        for trainee in extracted or []:
            Enrolment.objects.create(cohort=self, trainee=trainee)
