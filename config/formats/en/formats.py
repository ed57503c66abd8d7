"""English: "December 14, 2026", a 24-hour clock ("09:00", never "9 a.m." with its full stop
that doubles at the end of a sentence), "1,234"."""

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "F j, Y, H:i"
SHORT_DATE_FORMAT = "M j, Y"
SHORT_DATETIME_FORMAT = "M j, Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
# Ours: a visit's day with its weekday (mail, day sheets), and the same short in tables.
DAY_FORMAT = "l, F j, Y"
SHORT_DAY_FORMAT = "D, M j, Y"

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
