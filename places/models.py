"""Provinces and communes (wards, special zones) with their official codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import search_key


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(_("code name"), max_length=100, unique=True)
    division_type = models.CharField(_("type"), max_length=30)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune (xã), ward (phường) or special zone (đặc khu): the unit residents belong to."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(_("code name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=30)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    target_population = models.PositiveIntegerField(
        _("target population"),
        null=True,
        blank=True,
        help_text=_("Adults the commune aims to train; participation rates are measured against it."),
    )

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}" if self._province_cached() else self.name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    def _province_cached(self) -> bool:
        return Commune.province.is_cached(self)
