from django.db import migrations, models
from django.db.models import F


def date_existing_clusters(apps, schema_editor):
    """Give clusters assigned before this migration a time, so workers' catch-up by time reads them."""
    Article = apps.get_model("articles", "Article")
    Article.objects.using(schema_editor.connection.alias).exclude(cluster_key="").update(clustered_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_section_list_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="clustered_at",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True,
                help_text="When the cluster was assigned: workers catch up on each other's assignments by this time.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="embargo_until",
            field=models.DateTimeField(blank=True, help_text="UTC; embargoed: public from then.", null=True),
        ),
        migrations.RunPython(date_existing_clusters, migrations.RunPython.noop),
    ]
