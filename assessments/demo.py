"""A graded quiz for the sample module, with every kind of question."""

from decimal import Decimal

from .choices import FeedbackTiming, QuestionKind, QuizMode
from .models import AnswerOption, Category, Question, Quiz, QuizQuestion, Scenario

DEMO_QUIZ_SLUG = "contoh-kuis-mendengarkan-dan-merujuk"
SAMPLE_MODULE_SLUG = "contoh-mendengarkan-dan-merujuk"


def _question(
    kind, text, *, category, options=(), several=False, explanation="", scenario=None
) -> Question:
    question = Question.objects.create(
        kind=kind,
        text=text,
        category=category,
        several_correct=several,
        explanation=explanation,
        scenario=scenario,
    )
    for order, (option_text, weight, feedback) in enumerate(options):
        AnswerOption.objects.create(
            question=question,
            text=option_text,
            weight=Decimal(str(weight)),
            feedback=feedback,
            sort_order=order,
        )
    return question


def load_demo_quiz() -> Quiz | None:
    """Idempotent: the quiz is made once, found by its slug afterwards."""
    from modules.models import ModulePage

    existing = Quiz.objects.filter(slug=DEMO_QUIZ_SLUG).first()
    if existing is not None:
        return existing
    module = ModulePage.objects.filter(slug=SAMPLE_MODULE_SLUG).first()
    top, _ = Category.objects.get_or_create(name="Contoh", parent=None)
    category, _ = Category.objects.get_or_create(name="Konseling awal", parent=top)
    scenario = Scenario.objects.create(
        title="Malam di rumah Mama Ina (rekaan)",
        vignette=(
            "Mama Ina datang malam hari dengan lengan bengkak. Suaminya memukulnya. "
            "Ia takut melapor karena anak-anaknya."
        ),
    )
    questions = [
        _question(
            QuestionKind.MULTIPLE_CHOICE,
            "Apa yang pertama kali kamu lakukan ketika korban datang bercerita?",
            category=category,
            options=[
                ("Mendengarkan tanpa menyalahkan", 1, "Tepat: dengarkan dulu."),
                ("Menasihati agar ia sabar", 0, "Nasihat dapat terasa menyalahkan."),
                ("Langsung menelepon keluarganya", 0, "Tanyakan dulu persetujuannya."),
            ],
            explanation="Mendengarkan membuat korban merasa dipercaya.",
        ),
        _question(
            QuestionKind.TRUE_FALSE,
            "Kasus kekerasan seksual oleh orang dewasa boleh diselesaikan secara adat.",
            category=category,
            options=[("Benar", 0, ""), ("Salah", 1, "")],
            explanation=(
                "UU 12/2022 (TPKS) pasal 23: perkara kekerasan seksual tidak dapat "
                "diselesaikan di luar pengadilan, kecuali pelakunya anak."
            ),
        ),
        _question(
            QuestionKind.MULTIPLE_CHOICE,
            "Layanan mana yang dapat kamu tawarkan kepada Mama Ina besok pagi?",
            category=category,
            several=True,
            scenario=scenario,
            options=[
                ("Puskesmas untuk memeriksa lukanya", 0.5, ""),
                ("UPTD PPA untuk pendampingan", 0.5, ""),
                (
                    "Meminta suaminya datang untuk berdamai",
                    -0.5,
                    "Ini membahayakannya.",
                ),
            ],
            explanation="Tawarkan layanan; Mama Ina yang memilih.",
        ),
        _question(
            QuestionKind.ESSAY,
            "Mama Ina tidak mau melapor. Apa yang akan kamu katakan kepadanya?",
            category=category,
            scenario=scenario,
        ),
    ]
    quiz = Quiz.objects.create(
        title="Contoh kuis: Mendengarkan dan Merujuk",
        slug=DEMO_QUIZ_SLUG,
        description="Kuis contoh dengan setiap jenis soal.",
        category=category,
        module=module,
        mode=QuizMode.GRADED,
        feedback=FeedbackTiming.AT_END,
        attempt_limit=3,
        pass_mark=70,
        success_text="Bagus! Kamu siap melanjutkan.",
        fail_text="Baca lagi pelajarannya, lalu coba sekali lagi.",
    )
    for order, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz


def prepare_assessments(*, demo: bool) -> None:
    if demo:
        load_demo_quiz()
        load_demo_competencies()
        load_demo_event()


# The demo framework: the competencies the seeds' training builds, each with
# the law it answers to. Level descriptors are short on purpose: sample content.
DEMO_COMPETENCIES = [
    (
        "Analisis gender",
        "Melihat bagaimana peran dan relasi kuasa laki-laki dan perempuan "
        "membentuk kerentanan terhadap kekerasan.",
        "Membedakan jenis kelamin dan gender\nMengenali ketimpangan relasi kuasa "
        "dalam kasus",
        "UU 12/2022 (TPKS) pasal 26: perspektif hak asasi manusia dan sensitif gender",
    ),
    (
        "Mengenali bentuk dan dampak KTP/KTA",
        "Mengenali kekerasan fisik, psikis, seksual, penelantaran dan eksploitasi, "
        "serta dampaknya bagi perempuan dan anak.",
        "Menyebut empat bentuk KDRT\nMengenali tanda kekerasan pada anak",
        "UU 23/2004 (PKDRT) pasal 5",
    ),
    (
        "Konseling awal dan penguatan korban",
        "Mendengarkan, menenangkan dan menguatkan korban tanpa menghakimi.",
        "Mendengarkan tanpa menyalahkan\nMenanyakan keselamatan korban\n"
        "Menghormati pilihan korban",
        "UU 23/2004 (PKDRT) pasal 23; Permenkumham 3/2021",
    ),
    (
        "Mekanisme penanganan dan rujukan kasus",
        "Merujuk korban ke layanan kesehatan, hukum dan sosial yang ia butuhkan.",
        "Mengenal layanan rujukan di wilayahnya\nMendampingi korban ke layanan",
        "UU 23/2004 (PKDRT) pasal 23; UU 12/2022 (TPKS) pasal 26",
    ),
    (
        "Pendokumentasian kasus (offline dan SIMFONI-PPA)",
        "Mencatat kasus dengan kategori yang benar tanpa membuka identitas korban.",
        "Mengisi formulir dokumentasi\nMemakai kategori SIMFONI-PPA",
        "Permenkumham 3/2021",
    ),
    (
        "Proses litigasi dan non-litigasi",
        "Menjelaskan jalur hukum dan penyelesaian di luar pengadilan beserta "
        "batasannya.",
        "Menjelaskan tahapan laporan polisi\nMengetahui larangan penyelesaian di "
        "luar pengadilan untuk kekerasan seksual",
        "UU 12/2022 (TPKS) pasal 23; Permenkumham 3/2021",
    ),
    (
        "Kerja sama dengan pemerintah desa, tokoh masyarakat dan Polsek",
        "Membangun dukungan desa dan aparat untuk pencegahan dan penanganan.",
        "Menghadiri musyawarah desa\nMenjalin kontak dengan Polsek",
        "UU 23/2004 (PKDRT) pasal 15",
    ),
    (
        "Etika, kerahasiaan dan keselamatan pendamping",
        "Menjaga kerahasiaan korban dan keselamatan diri sendiri.",
        "Tidak menyebarkan identitas korban\nMengenali ancaman bagi pendamping",
        "UU 12/2022 (TPKS): kerahasiaan identitas korban; UU 27/2022 (PDP)",
    ),
]


def load_demo_competencies() -> list:
    from modules.models import ModulePage

    from .models import Competency

    sample = ModulePage.objects.filter(slug=SAMPLE_MODULE_SLUG).first()
    competencies = []
    for order, (name, description, criteria, basis) in enumerate(DEMO_COMPETENCIES):
        competency, created = Competency.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "criteria": criteria,
                "legal_basis": basis,
                "sort_order": order,
                "not_yet": "Belum menunjukkan kriteria di atas.",
                "developing": "Menunjukkan sebagian kriteria dengan bantuan.",
                "competent": "Menunjukkan semua kriteria secara mandiri.",
            },
        )
        if created and sample is not None and order in (2, 3):
            competency.modules.set([sample])
            competency.save()
        competencies.append(competency)
    return competencies


DEMO_EVENT_TITLE = "Pelatihan Pendokumentasian Kasus"


def load_demo_event():
    """The seeds' two-day workshop in Soe, with the I-WILL cohort present."""
    import datetime

    from learning.models import Programme, Region, User
    from modules.models import ModulePage

    from .models import Attendance, TrainingEvent

    programme = Programme.objects.filter(short_name="I-WILL").first()
    if (
        programme is None
        or TrainingEvent.objects.filter(title=DEMO_EVENT_TITLE).exists()
    ):
        return None
    event = TrainingEvent.objects.create(
        title=DEMO_EVENT_TITLE,
        programme=programme,
        start_date=datetime.date(2022, 11, 17),
        end_date=datetime.date(2022, 11, 18),
        place=Region.objects.get(code="53.02.01"),
        venue="Soe",
    )
    event.organisers.set(programme.organisations.all())
    event.facilitators.set(User.objects.filter(username="fasilitator"))
    event.modules.set(ModulePage.objects.filter(slug=SAMPLE_MODULE_SLUG))
    event.save()
    trainees = User.objects.filter(enrolments__cohort__programme=programme).distinct()
    Attendance.objects.bulk_create(
        Attendance(event=event, trainee=trainee, day=day)
        for trainee in trainees
        for day in event.days
    )
    return event
