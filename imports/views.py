"""Pages for importing residents: the template, the upload, the preview with its confirmation, the progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.scoping import managed, trained_communes, visible
from cohorts.models import Cohort

from . import selectors, services
from .forms import UploadForm
from .models import ImportJob, ImportRow
from .spreadsheet import MAX_BYTES, BadFile, template_xlsx

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require_trainer(user) -> None:
    if not (user.is_superuser or trained_communes(user).exists()):
        raise PermissionDenied(_("Only the trainers of a commune can import residents."))


@login_required
def template(request):
    require_trainer(request.user)
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="danh-sach-hoc-vien.xlsx"'
    return response


@login_required
@csrf_exempt  # only to refuse a huge body before CSRF's check reads it; the form is checked below
def upload(request):
    require_trainer(request.user)
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES + 64 * 1024:
        form = UploadForm(viewer=request.user)
        context = {"form": form, "too_large": _("The file is larger than 5 MB. Split it into several files.")}
        return render(request, "imports/upload.html", context, status=400)
    return _upload(request)


@csrf_protect
def _upload(request):
    cohort = managed(Cohort, request.user).filter(pk=request.GET.get("cohort") or 0).first() \
        if (request.GET.get("cohort") or "").isdigit() else None
    initial = {"cohort": cohort, "commune": cohort.commune_id if cohort else None}
    form = UploadForm(request.POST or None, request.FILES or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.preview_upload(
                uploaded_by=request.user, upload=data["file"], commune=data["commune"], cohort=data["cohort"],
                purposes=form.purposes(), contact_confirmed=data["consent_contact"])
        except BadFile as error:
            form.add_error("file", str(error))
        else:
            return redirect("imports:detail", job.pk)
    return render(request, "imports/upload.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def detail(request, pk: int):
    job = get_object_or_404(visible(ImportJob, request.user).select_related("commune", "cohort"), pk=pk)
    status = request.GET.get("status", "")
    if status not in ImportRow.Status.values:
        status = ""
    page = Paginator(selectors.preview_rows(job=job, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"job": job, "page": page, "status": status, "statuses": [
                   (value, label, count) for (value, label), count in zip(ImportRow.Status.choices, (
                       job.new, job.existing, job.duplicates, job.errors), strict=True)],
               "refresh": job.status == ImportJob.Status.IMPORTING}
    return render(request, "imports/detail.html", context)


@login_required
@require_POST
def confirm(request, pk: int):
    job = get_object_or_404(visible(ImportJob, request.user), pk=pk)
    require_trainer(request.user)  # still a trainer when the accounts are made
    if not services.confirm_import(job=job):
        messages.info(request, _("This list was confirmed already."))
    return redirect("imports:detail", job.pk)
