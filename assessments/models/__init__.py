from .questions import AnswerOption, Category, Question, Scenario
from .quizzes import QuestionPool, Quiz, QuizQuestion
from .sittings import Answer, Sitting, SittingQuestion

__all__ = [
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
