"""Ids ticked on a form, refused in words when they cannot be a row's id.

Django's `ModelMultipleChoiceField` hands any digits to the database, and
SQLite raises OverflowError (a 500) for 99999999999999999999; letters and
NUL get Django's own message. Here anything `learning.bounds.parse_id` does
not read as an id is `invalid_pk_value` before a query is made.
"""

from django import forms
from django.core.exceptions import ValidationError

from learning.bounds import parse_id


class IdsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            return super()._check_values(value)
        for pk in values:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
