"""Wagtail's chooser widgets started from data attributes instead of the inline script they write (CSP)."""

import json

from django.utils.html import format_html
from wagtail.admin.widgets import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

_wagtail_render = BaseChooser.render


def _render(self, name, value, attrs=None, renderer=None):
    """BaseChooser.render with a marker that cms/static/cms/admin-widgets.js starts, in place of `<script>`."""
    starts_itself = type(self).render_js_init not in (BaseChooser.render_js_init, AdminTaskChooser.render_js_init)
    if starts_itself or not attrs or "id" not in attrs:
        return _wagtail_render(self, name, value, attrs, renderer)  # a script we do not know: left as it is
    value_data = self.get_value_data(value)
    html = self.render_html(name, value_data, attrs)
    if isinstance(self, AdminTaskChooser):
        start, options = "createTaskChooser", None
    else:
        start, options = self.js_constructor, self.get_js_init_options(attrs["id"], name, value_data)
    marker = '<span hidden data-admin-chooser="{}" data-for="{}" data-options="{}"></span>'
    return html + format_html(marker, start, attrs["id"], json.dumps(options))


def start_choosers_from_data_attributes() -> None:
    BaseChooser.render = _render
