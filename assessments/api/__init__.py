"""The assessments app in the JSON API: one router per sub-domain.

`learning.api` adds them by import string: `quizzes.router` under
/api/quizzes/ (tag "kuis"), `competence.router` under /api/competence/ (tag
"kompetensi").
"""
