from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_source_arrive_held'),
    ]

    operations = [
        migrations.AddField(
            model_name='revision',
            name='made_by',
            field=models.CharField(
                blank=True, default='', max_length=200,
                help_text='Who made this version, as kind:who (see revision_maker): api_key:<prefix>, '
                'poller:<polled source id>, cli:<login>, user:<username> or source:<name>; blank before it was kept.',
            ),
        ),
    ]
