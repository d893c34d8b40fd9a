from django.db import migrations

ROLES = ["Peserta", "Fasilitator", "Alumni", "Koordinator"]
ADMIN_ROLES = ["Fasilitator", "Koordinator"]
ACCOUNT_ROLES = ["Fasilitator", "Koordinator"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    user_type, _ = ContentType.objects.get_or_create(app_label="learning", model="user")
    one_time_password, _ = Permission.objects.get_or_create(
        content_type=user_type,
        codename="set_one_time_password",
        defaults={"name": "Dapat memberi kata sandi sementara kepada peserta"},
    )
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name in ADMIN_ROLES:
            group.permissions.add(access_admin)
        if name in ACCOUNT_ROLES:
            group.permissions.add(one_time_password)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
    ]
