from .competence import CompetenceAssessment, Competency, Evidence
from .events import Attendance, TrainingEvent
from .questions import AnswerOption, Category, Question, Scenario
from .quizzes import QuestionPool, Quiz, QuizQuestion
from .sittings import Answer, Sitting, SittingQuestion

__all__ = [
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
    "Scenario",
    "Sitting",
    "SittingQuestion",
]
