from django.http import Http404


def my_competence(request):
    raise Http404  # built in the competence profile work
