# Indonesian dates as people write them: "17 November 2022", "17 November 2022, 14.30".
# Anything not set here falls back to Django's own Indonesian formats.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H.i"
FIRST_DAY_OF_WEEK = 1
