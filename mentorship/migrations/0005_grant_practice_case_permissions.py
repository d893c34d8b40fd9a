from django.db import migrations

# Facilitators (magang supervisors among them) read practice cases in the
# admin: which ones is `mentorship.cases.cases_visible_to`'s rule (their
# supervisees', and after review their cohorts' trainees'). Nobody adds, edits
# or deletes a case there. Coordinators get nothing on cases: they see counts
# only, on a page that needs no model permission.
GRANTS = {
    "Fasilitator": {"practicecase": ["view"]},
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


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, models in GRANTS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for model, actions in models.items():
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="mentorship",
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0004_add_practice_cases"),
        ("learning", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
