"""Forms for bid pages: the council's (sections/, pages.py, task_list.py, council.py) and
officials' (assessment.py, interviews.py, decisions.py, extensions.py), on core.forms."""
