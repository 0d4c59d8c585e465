"""Seed the competence frameworks; editors can change them afterwards in the admin."""

from django.db import migrations

DOMAINS = [
    ("1", "Khai thác dữ liệu và thông tin", "Information and data literacy"),
    ("2", "Giao tiếp và hợp tác trong môi trường số", "Communication and collaboration"),
    ("3", "Sáng tạo nội dung số", "Digital content creation"),
    ("4", "An toàn", "Safety"),
    ("5", "Giải quyết vấn đề", "Problem solving"),
    ("6", "Ứng dụng trí tuệ nhân tạo", "Using artificial intelligence"),
]
# Codes confirmed in Decision 757/QĐ-BKHCN; the rest of the list is added by editors.
SKILLS = [
    ("0.1", "Sử dụng thiết bị số", "Using digital devices"),
    ("0.2", "Sử dụng phần mềm, ứng dụng", "Using software and apps"),
    ("1.1", "Tìm kiếm thông tin", "Searching for information"),
    ("1.2", "Đánh giá thông tin", "Evaluating information"),
    ("1.3", "Quản lý thông tin", "Managing information"),
]


def seed(apps, schema_editor):
    Domain = apps.get_model("courses", "CompetenceDomain")
    Skill = apps.get_model("courses", "DigitalSkill")
    for code, name, name_en in DOMAINS:
        Domain.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})
    for code, name, name_en in SKILLS:
        Skill.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
