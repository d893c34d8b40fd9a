"""Reading what an admin page shows."""

import json
import re


def sidebar(client) -> dict[str, list[str]]:
    """The admin sidebar: each top-level label, with its submenu's labels."""
    page = client.get("/admin/").content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        page,
        re.S,
    )
    modules = json.loads(props[1])["modules"]
    [main] = [
        one for one in modules if one["_type"] == "wagtail.sidebar.MainMenuModule"
    ]
    menu = {}
    for item in main["_args"][0]:
        details = item["_args"][0]
        children = item["_args"][1] if len(item["_args"]) > 1 else []
        menu[details["label"]] = [child["_args"][0]["label"] for child in children]
    return menu
