"""The assessments app in the Wagtail admin: one module per sub-domain.

Importing this package registers nothing: `assessments.wagtail_hooks` does.
"""
