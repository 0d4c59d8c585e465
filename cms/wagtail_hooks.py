"""Wagtail admin additions of the project package: the script that replaces Wagtail's inline widget scripts."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def admin_widgets_without_inline_scripts():
    return format_html('<script src="{}"></script>', static("cms/admin-widgets.js"))
