"""Date and number formats per language (FORMAT_MODULE_PATH), one house style.

Swedish: "1 december 2026", "1 dec 2026" in tables, "35 000 kr" (fund_money.kronor).
English: the same day-month-year order, "1 December 2026" and "1 Dec 2026",
never Django's American "Dec. 1, 2026". Templates write `|date` or
`|date:"SHORT_DATE_FORMAT"` and leave the pattern to these modules.
"""
