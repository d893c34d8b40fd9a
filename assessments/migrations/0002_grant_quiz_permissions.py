from django.db import migrations

MODELS = ["quiz", "question", "category", "scenario"]
ACTIONS = {
    "Fasilitator": ["add", "change", "delete", "view"],
    "Koordinator": ["add", "change", "delete", "view"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, actions in ACTIONS.items():
        group = Group.objects.get(name=group_name)
        for model in MODELS:
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
        ("assessments", "0001_add_question_bank_quizzes_sittings"),
        ("learning", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
