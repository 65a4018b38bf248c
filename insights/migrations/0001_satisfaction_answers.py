"""Answers to the satisfaction question asked after a council submits its bid."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('bids', '0013_section_timings'),
    ]

    operations = [
        migrations.CreateModel(
            name='SatisfactionAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('submitted_at', models.DateTimeField()),
                ('satisfaction', models.CharField(choices=[('very_satisfied', 'Very satisfied'), ('satisfied', 'Satisfied'), ('neither', 'Neither satisfied nor dissatisfied'), ('dissatisfied', 'Dissatisfied'), ('very_dissatisfied', 'Very dissatisfied')], max_length=20)),
                ('improvement', models.TextField(blank=True, max_length=1200, verbose_name='how we could improve the service')),
                ('given_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('bid', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='satisfaction_answers', to='bids.bid')),
                ('funding_round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='satisfaction_answers', to='bids.fundinground')),
            ],
            options={
                'ordering': ['-given_at', '-pk'],
                'indexes': [models.Index(fields=['funding_round', 'given_at'], name='answer_round_given_idx')],
                'constraints': [models.UniqueConstraint(fields=('bid', 'submitted_at'), name='one_answer_per_submission')],
            },
        ),
    ]
