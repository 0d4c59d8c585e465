"""Who may read which rows: each learner-owned model says how a row reaches its learner; one function filters.

A model declares `learner_path`, the lookup from its row to the learner ("" for the user itself, "learner",
"attempt__learner"); the learner's commune decides who else may read it. A row that belongs to the person who
made it rather than to a learner (a staff member's job) declares `owner_path` instead: only they read it. A row
that belongs to a commune (a cohort, its class sessions) declares `commune_path`: the commune's trainers and its
province's staff read it, and, when it also declares `member_path`, so do the learners it names (its members).
Models of other apps that we cannot edit are listed in OTHER_APPS. `visible()` is the one filter.
"""

from django.db.models import Model, Q, QuerySet

from places.models import Commune

# Learner data in models we cannot edit: label → path from a row to the learner.
OTHER_APPS = {
    "account.EmailAddress": "user",  # allauth: a learner's e-mail addresses
}

# Models with a key to the user that hold no learner's data, and why; tests/test_scoping_registry.py fails for
# any model with such a key that is neither declared nor listed here.
NOT_LEARNER_DATA = {
    "wagtailcore.Page": "an editor's authorship (owner) and edit lock of a page, not a learner's data",
    "wagtailcore.Revision": "an editor's authorship of a revision",
    "wagtailcore.PageLogEntry": "the audit log of editors' actions on pages",
    "wagtailcore.ModelLogEntry": "the audit log of editors' actions on snippets and settings",
    "wagtailcore.Comment": "editors' review comments on pages",
    "wagtailcore.CommentReply": "editors' replies to review comments",
    "wagtailcore.PageSubscription": "an editor's wish to hear of comments on a page",
    "wagtailcore.WorkflowState": "who asked for an editorial moderation",
    "wagtailcore.TaskState": "who finished a moderation task",
    "wagtailcore.UploadedFile": "an editor's upload in progress in the admin",
    "wagtailcore.APIToken": "an admin's API token, read only by Wagtail for that admin",
    "wagtailadmin.EditingSession": "which editor has a page open in the admin",
    "wagtailadmin.FormState": "an editor's unsaved admin form",
    "wagtailusers.UserProfile": "admin preferences (language, theme) read only by Wagtail for that user",
    "wagtailimages.Image": "an editor's authorship of an uploaded image",
    "wagtaildocs.Document": "an editor's authorship of an uploaded document",
    "admin.LogEntry": "the audit log of administrators' actions in the Django admin",
    "reports.Target": "which staff member changed a commune's target (authorship of a figure), not a learner's data",
}


class NotScoped(LookupError):
    """Raised for a model that declares no path: reading it through visible() would have no rule."""


def rule_for(model: type[Model]) -> tuple[str, str]:
    """("learner" | "owner" | "commune", path) for a scoped model; NotScoped for any other."""
    path = getattr(model, "learner_path", None)
    if path is None:
        path = OTHER_APPS.get(model._meta.label)
    if path is not None:
        return "learner", path
    owner = getattr(model, "owner_path", None)
    if owner:
        return "owner", owner
    commune = getattr(model, "commune_path", None)
    if commune:
        return "commune", commune
    raise NotScoped(f"{model._meta.label} declares no learner_path, owner_path or commune_path (accounts/scoping.py)")


def visible_communes(viewer) -> QuerySet[Commune]:
    """The communes in a viewer's area: all for a superuser, else those they train and their province's."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return Commune.objects.none()
    if viewer.is_superuser:
        return Commune.objects.all()
    scope = Q(trainers=viewer)
    if viewer.staff_province_id:
        scope |= Q(province_id=viewer.staff_province_id)
    return Commune.objects.filter(scope).distinct()


def trained_communes(viewer) -> QuerySet[Commune]:
    """The communes where a viewer may run classes and register residents: those they train (all for a
    superuser). Provincial staff read their province but do not run its classes."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return Commune.objects.none()
    if viewer.is_superuser:
        return Commune.objects.all()
    return Commune.objects.filter(trainers=viewer)


def managed(rows: QuerySet | type[Model], viewer) -> QuerySet:
    """The commune-owned rows (cohorts, their sessions …) this viewer may change: those of communes they train."""
    queryset = rows if isinstance(rows, QuerySet) else rows._default_manager.all()
    kind, path = rule_for(queryset.model)
    if kind != "commune":
        raise NotScoped(f"{queryset.model._meta.label} is not commune-owned; managed() has no rule for it")
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return queryset.none()
    if viewer.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__in": trained_communes(viewer).values("pk")})


def visible(rows: QuerySet | type[Model], viewer) -> QuerySet:
    """The rows this viewer may read: a superuser all; provincial staff their province's learners; a trainer
    their communes' learners; everyone their own rows; an anonymous or inactive visitor none."""
    queryset = rows if isinstance(rows, QuerySet) else rows._default_manager.all()
    kind, path = rule_for(queryset.model)
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return queryset.none()
    if viewer.is_superuser:
        return queryset
    if kind == "owner":
        return queryset.filter(**{path: viewer.pk})
    if kind == "commune":
        area = visible_communes(viewer).values("pk")
        scope = Q(**{f"{path}__in": area})
        member = getattr(queryset.model, "member_path", None)
        if member:
            # A subquery, not a join: a row with many members is still one row.
            mine = queryset.model._default_manager.filter(**{member: viewer.pk}).values("pk")
            scope |= Q(pk__in=mine)
        return queryset.filter(scope)
    to = f"{path}__" if path else ""
    # The area is a subquery, not a list: one query whatever the number of communes.
    area = visible_communes(viewer).values("pk")
    return queryset.filter(Q(**{f"{to}pk": viewer.pk}) | Q(**{f"{to}commune__in": area}))
