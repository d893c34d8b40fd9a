from django.db import migrations

GRANTS = {
    "Fasilitator": {
        "competency": ["view"],
        "competenceassessment": ["add", "view"],
        "trainingevent": ["add", "change", "view"],
        "attendance": ["add", "change", "delete", "view"],
    },
    "Koordinator": {
        "competency": ["add", "change", "delete", "view"],
        "competenceassessment": ["add", "view"],
        "trainingevent": ["add", "change", "delete", "view"],
        "attendance": ["add", "change", "delete", "view"],
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
                app_label="assessments", model=model
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
        ("assessments", "0003_add_competencies_assessments_events"),
        ("learning", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
