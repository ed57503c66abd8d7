"""The three roster files: their names, the upload field that carries each, and their columns."""

DEPARTMENTS, SITES, PEOPLE = "departments.csv", "sites.csv", "people.csv"
FILE_NAMES = (DEPARTMENTS, SITES, PEOPLE)
# The upload field (web form, API multipart) that carries each file.
UPLOAD_FIELDS = {"departments": DEPARTMENTS, "sites": SITES, "people": PEOPLE}

# (required, optional) columns of each file.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    DEPARTMENTS: (("code", "name"), ("head_email", "name_fr", "country", "subdivision")),
    SITES: (
        ("code", "name", "region", "timezone", "channel"),
        ("address", "daily_visitor_limit", "country", "subdivision"),
    ),
    PEOPLE: (
        (
            "email",
            "full_name",
            "title",
            "department_code",
            "manager_email",
            "site_code",
            "languages",
            "roles",
        ),
        (),
    ),
}

PERSON_FIELDS = ("full_name", "title", "department_code", "manager_email", "site_code")
