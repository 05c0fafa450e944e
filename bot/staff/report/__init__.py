"""Reports for the council and the public: ``mitwirken report`` and the free-text review.

``content`` lays out what a report says from the results dict (no numbers of its
own); ``charts`` draws its charts with matplotlib as SVG; ``document`` renders the
self-contained HTML (jinja2) and the tagged PDF (WeasyPrint) from it;
``commands`` holds ``mitwirken report`` and ``mitwirken texts``. matplotlib,
jinja2 and WeasyPrint are imported only here, so ``mitwirken --help`` stays fast.
"""
