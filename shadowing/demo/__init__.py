"""The demo (`manage.py demo`): a realistic organisation and three waves of the programme,
lived through the product's own services with the clock moved.

    data, roster, barriers   the fixed tables, the people drawn from them, what they saw
    generate                 the roster and programme as the CSV files a coordinator imports
    timeline                 where the waves fall around today; the event queue played in order
    visits, backlog          the debriefs and reports of the visits; the backlog's life
    lived                    the waves themselves, and the sizes the demo reaches

`data`, `roster`, `barriers` and `generate` are pure Python; the rest write through services.
"""
