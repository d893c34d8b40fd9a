"""What an error report (the e-mail ADMINS get in production) may carry.

Django's reports list every local variable of every frame, the POST data and
the cookies. Here those can be a trainee's personal data (UU PDP), a practice
case's narrative or a session that signs someone in: the report keeps the
code path and the names, and leaves the values out.
"""

from django.views.debug import SafeExceptionReporterFilter


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def get_traceback_frame_variables(self, request, tb_frame):
        return []

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_cookies(self, request):
        cookies = getattr(request, "COOKIES", {})
        return dict.fromkeys(cookies, self.cleansed_substitute)
