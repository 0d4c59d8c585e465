"""Wagtail admin views for staff: list, revoke and re-render certificates, and watch course re-render jobs."""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.scoping import visible

from . import services
from .forms import CertificateFilterForm, CourseChoiceForm
from .models import Certificate, RenderJob

PAGE_SIZE = 100


def is_certificate_staff(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("certificates.change_certificate")


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_certificate_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CertificateIndexView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "certificates/admin/index.html"
    page_title = gettext_lazy("Certificates")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = CertificateFilterForm(self.request.GET)
        if not filters.is_valid():
            raise BadRequest("Invalid certificate filters.")
        scoped = visible(Certificate, self.request.user)
        certificates = scoped
        course, status, query = (filters.cleaned_data[key] for key in ("course", "status", "q"))
        if course:
            certificates = certificates.filter(course_key=course)
        if status == "valid":
            certificates = certificates.filter(revoked_at__isnull=True)
        elif status == "revoked":
            certificates = certificates.filter(revoked_at__isnull=False)
        elif status == "pending":
            certificates = certificates.filter(pdf_rendered_at__isnull=True)
        if query:
            certificates = certificates.filter(Q(serial__icontains=query) | Q(full_name__icontains=query))
        courses = scoped.order_by("course_title").values_list("course_key", "course_title").distinct()
        context.update({
            "certificates": certificates.order_by("-issued_at")[:PAGE_SIZE],
            "count": certificates.count(),
            "courses": list(dict(courses).items()),
            "course": str(course or ""), "status": status, "q": query,
            "jobs": visible(RenderJob, self.request.user).order_by("-created_at")[:5],
        })
        return context


class CertificateDetailView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "certificates/admin/detail.html"
    page_title = gettext_lazy("Certificate")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if is_certificate_staff(request.user):
            self.certificate = get_object_or_404(visible(Certificate, request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.certificate.serial

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("certificates_admin:index"), "label": _("Certificates")},
                {"url": "", "label": self.certificate.serial}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["certificate"] = self.certificate
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "revoke":
            reason = request.POST.get("reason", "").strip()
            if not reason:
                messages.error(request, _("Give a reason for revoking the certificate."))
            else:
                services.revoke(certificate=self.certificate, reason=reason)
                messages.success(request, _("Certificate %(serial)s revoked.") % {"serial": self.certificate.serial})
        elif action == "rerender":
            services.request_rerender(certificate=self.certificate)
            messages.success(request, _("The PDF will be rendered again in a moment."))
        elif action == "rerender_course":
            job = services.start_course_rerender(course_key=self.certificate.course_key,
                                                 course_title=self.certificate.course_title,
                                                 requested_by=request.user)
            return redirect("certificates_admin:job", pk=job.pk)
        return redirect("certificates_admin:detail", pk=self.certificate.pk)


class CourseRerenderView(StaffOnlyMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = CourseChoiceForm(request.POST)
        certificate = (visible(Certificate, request.user).filter(course_key=form.cleaned_data["course"]).first()
                       if form.is_valid() else None)
        if certificate is None:
            messages.error(request, _("Choose a course that has certificates."))
            return redirect("certificates_admin:index")
        job = services.start_course_rerender(course_key=certificate.course_key, course_title=certificate.course_title,
                                             requested_by=request.user)
        return redirect("certificates_admin:job", pk=job.pk)


class RenderJobView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "certificates/admin/job.html"
    page_title = gettext_lazy("Re-rendering certificates")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        # Only its requester and superusers: its counts describe the requester's area, not the viewer's.
        if is_certificate_staff(request.user):
            self.job = get_object_or_404(visible(RenderJob, request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.job.course_title

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("certificates_admin:index"), "label": _("Certificates")},
                {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = self.job
        return context
