"""French (Canada too): « 14 décembre 2026 », « 9 h 00 » with non-breaking spaces, « 1 234 »."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "G\xa0\\h\xa0i"
DATETIME_FORMAT = "j F Y \\à G\xa0\\h\xa0i"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y, G\xa0\\h\xa0i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# Ours: a visit's day with its weekday (mail, day sheets), and the same short in tables.
DAY_FORMAT = "l j F Y"
SHORT_DAY_FORMAT = "D. j N Y"

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
