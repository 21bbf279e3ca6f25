"""Create the site's 14 sections in menu order."""

from django.db import migrations
from django.utils.text import slugify

from tickerwire.core.sections import SECTION_NAMES


def create_sections(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    for position, name in enumerate(SECTION_NAMES):
        Section.objects.update_or_create(name=name, defaults={"slug": slugify(name), "position": position})


def remove_sections(apps, schema_editor):
    apps.get_model("articles", "Section").objects.filter(name__in=SECTION_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(create_sections, remove_sections)]
