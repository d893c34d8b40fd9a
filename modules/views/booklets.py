from django.http import Http404


def booklet(request, module_id: int):
    raise Http404  # built in the booklet work
