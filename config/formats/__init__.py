"""How people read dates, times and numbers, one set per language (FORMAT_MODULE_PATH).

Pages, PDFs and mail use only these named formats (`|date:"DATE_FORMAT"`,
`|time:"TIME_FORMAT"`, `date_format(value, "DAY_FORMAT")`); CSV, iCalendar and the API keep
ISO 8601. Modules: `en.formats`, `fr.formats` (also read for fr-ca).
"""
