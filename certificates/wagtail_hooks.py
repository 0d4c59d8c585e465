"""Wagtail admin for certificates: a menu item for staff with the permission, and the views' URLs."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import (
    CertificateDetailView,
    CertificateIndexView,
    CourseRerenderView,
    RenderJobView,
    is_certificate_staff,
)

admin_urls = [
    path("", CertificateIndexView.as_view(), name="index"),
    path("<int:pk>/", CertificateDetailView.as_view(), name="detail"),
    path("rerender-course/", CourseRerenderView.as_view(), name="rerender_course"),
    path("jobs/<int:pk>/", RenderJobView.as_view(), name="job"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("certificates/", include((admin_urls, "certificates_admin"), namespace="certificates_admin"))]


class CertificateMenuItem(MenuItem):
    def is_shown(self, request):
        return is_certificate_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return CertificateMenuItem(_("Certificates"), reverse("certificates_admin:index"), icon_name="doc-full",
                               order=850)
