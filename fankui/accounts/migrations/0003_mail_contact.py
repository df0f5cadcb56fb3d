from django.db import migrations, models
from django.db.models import F


def accounts_made_by_mail_become_contacts(apps, schema_editor):
    """Mail intake used to make each unknown sender a 业主 login with no password (username = address).

    Only rows that look exactly like that and were never used as a login become contacts: no password,
    never signed in, no API token, not staff, not linked to a directory person. Anyone else keeps their
    account as it is.
    """
    Profile = apps.get_model("accounts", "Profile")
    made_by_mail = (
        Profile.objects.filter(role="reporter", user__username__contains="@", user__email__iexact=F("user__username"))
        .filter(user__password__startswith="!", user__last_login__isnull=True, user__is_staff=False, user__is_superuser=False)
        .filter(user__api_tokens__isnull=True, user__person__isnull=True)
    )
    User = Profile._meta.get_field("user").related_model
    user_ids = list(made_by_mail.values_list("user_id", flat=True))
    Profile.objects.filter(user_id__in=user_ids).update(mail_contact=True)
    User.objects.filter(pk__in=user_ids).update(is_active=False)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_apitoken'),
        ('directory', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='profile',
            name='mail_contact',
            field=models.BooleanField(default=False, help_text='由来信自动建立，不能登录；通过邮件跟进自己的工单', verbose_name='邮件联系人'),
        ),
        migrations.RunPython(accounts_made_by_mail_become_contacts, migrations.RunPython.noop),
    ]
