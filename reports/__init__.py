"""Reports: the programme dashboard and the PDFs (programme, department backlog, debrief, day
sheet), reading from every app below it.

    documents     the four documents: how to find their object, their fingerprint, their template
    selectors     the figures each report shows
    backlog       what the reports take from the barriers app (the only module that knows it)
    charts        charts as SVG strings, for the pages and the PDFs alike
    pdf           WeasyPrint, locked down: the one way HTML becomes a PDF
    services      asking for a report, rendering it (in the background when large), storing it
    access        fetching and authorising a report in one call, for pages and API
    models, tasks, views, urls, api/, admin, permissions
"""
