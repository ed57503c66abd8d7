from rest_framework import viewsets

from ..models import Department, Person, Site


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Department.objects.all()


class SiteViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Site.objects.all()


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Person.objects.all()
