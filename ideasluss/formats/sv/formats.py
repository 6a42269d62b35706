# Swedish: the long form in running text, the short one in tables; 24-hour clock.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j b Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
# A no-break space, so "35 000 kr" never breaks inside the number.
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
