"""A realistic demo organisation and programme, written as the roster files a coordinator
imports (`manage.py demo` loads them). Pure Python: nothing here touches the database."""
