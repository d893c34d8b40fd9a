from .certification import Certificate, CertificateRenewal, CertificationRule
from .competence import CompetenceAssessment, Competency, Evidence
from .events import Attendance, TrainingEvent
from .questions import AnswerOption, Category, Question, Scenario
from .quizzes import QuestionPool, Quiz, QuizQuestion
from .sample_load import SampleCurriculumLoad
from .sittings import Answer, Sitting, SittingQuestion

__all__ = [
    "Certificate",
    "CertificateRenewal",
    "CertificationRule",
    "Attendance",
    "CompetenceAssessment",
    "Competency",
    "Evidence",
    "TrainingEvent",
    "Answer",
    "AnswerOption",
    "Category",
    "Question",
    "QuestionPool",
    "Quiz",
    "QuizQuestion",
    "SampleCurriculumLoad",
    "Scenario",
    "Sitting",
    "SittingQuestion",
]
