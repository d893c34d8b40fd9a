"""The assessments pages of the site: quizzes and the trainee's own competence."""
