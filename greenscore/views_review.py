from django.http import HttpResponse


def queue(request):
    return HttpResponse("todo")
