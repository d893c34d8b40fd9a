from django.db import migrations

# (app_label, model, actions) each role may use in the admin; the scope rule
# still limits which rows.
GRANTS = {
    "Fasilitator": [
        ("learning", "user", ["add", "change", "view"]),
        ("learning", "organisation", ["view"]),
        ("learning", "programme", ["view"]),
        ("learning", "cohort", ["add", "change", "view"]),
        ("learning", "enrolment", ["add", "change", "delete", "view"]),
    ],
    "Koordinator": [
        ("learning", "user", ["add", "change", "view"]),
        ("learning", "organisation", ["add", "change", "view"]),
        ("learning", "programme", ["add", "change", "view"]),
        ("learning", "cohort", ["add", "change", "delete", "view"]),
        ("learning", "enrolment", ["add", "change", "delete", "view"]),
    ],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, grants in GRANTS.items():
        group = Group.objects.get(name=group_name)
        for app_label, model, actions in grants:
            content_type, _ = ContentType.objects.get_or_create(
                app_label=app_label, model=model
            )
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_add_organisations_programmes_cohorts"),
        ("learning", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
