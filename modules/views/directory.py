from django.http import Http404


def service_list(request):
    raise Http404  # built in the directory work


def service_detail(request, service_id: int):
    raise Http404  # built in the directory work
