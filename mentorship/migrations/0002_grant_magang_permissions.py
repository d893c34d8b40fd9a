from django.db import migrations

# Facilitators and coordinators set up placements and read hour entries in the
# admin. Nobody edits an entry there: trainees write them on the site, and
# supervisors verify or return them through `mentorship.verification`.
GRANTS = {
    "Fasilitator": {
        "placement": ["add", "change", "delete", "view"],
        "hourentry": ["view"],
    },
    "Koordinator": {
        "placement": ["add", "change", "delete", "view"],
        "hourentry": ["view"],
    },
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, models in GRANTS.items():
        group = Group.objects.get(name=group_name)
        for model, actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(
                app_label="mentorship", model=model
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
        ("mentorship", "0001_add_placements_and_hours"),
        ("learning", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
